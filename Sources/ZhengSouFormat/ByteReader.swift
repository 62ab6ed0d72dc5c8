/// A bounds-checked little-endian cursor over bytes that may be corrupt.
///
/// Every read checks that the bytes exist and throws `FormatError.corrupt` naming the region and
/// the offset otherwise: reading never traps on bad bytes (an invariant of this module). Hot decoders
/// check a whole block's bounds once and then decode unchecked; everything else goes through here.
public struct ByteReader {
  public let buffer: UnsafeRawBufferPointer
  public let region: String
  public var offset: Int

  public init(_ buffer: UnsafeRawBufferPointer, region: String, offset: Int = 0) {
    self.buffer = buffer
    self.region = region
    self.offset = offset
  }

  public var remaining: Int { buffer.count - offset }
  public var isAtEnd: Bool { offset >= buffer.count }

  public func corrupt(_ reason: String, at position: Int? = nil) -> FormatError {
    .corrupt(region: region, offset: position ?? offset, reason: reason)
  }

  @inlinable @inline(__always)
  mutating func need(_ n: Int, _ what: @autoclosure () -> String) throws(FormatError) {
    if n < 0 || offset < 0 || n > buffer.count - offset {
      throw corrupt("\(what()) runs past the end (needs \(n) bytes, \(max(0, remaining)) left)")
    }
  }

  @inlinable
  public mutating func readUInt8() throws(FormatError) -> UInt8 {
    try need(1, "a byte")
    defer { offset += 1 }
    return buffer[offset]
  }

  public mutating func readUInt16() throws(FormatError) -> UInt16 {
    try need(2, "a 16-bit integer")
    defer { offset += 2 }
    return UInt16(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
  }

  public mutating func readUInt32() throws(FormatError) -> UInt32 {
    try need(4, "a 32-bit integer")
    defer { offset += 4 }
    return UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
  }

  public mutating func readUInt64() throws(FormatError) -> UInt64 {
    try need(8, "a 64-bit integer")
    defer { offset += 8 }
    return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }

  public mutating func readFloat64() throws(FormatError) -> Double { Double(bitPattern: try readUInt64()) }

  /// Unsigned LEB128 of at most 10 bytes that fits in 64 bits.
  ///
  /// Inlinable, with the one-byte case (most dictionary fields) up front: reading a dictionary
  /// block is a run of small varints, and a call per varint was a third of a short query's time.
  @inlinable
  public mutating func readVarUInt() throws(FormatError) -> UInt64 {
    if offset >= 0 && offset < buffer.count {
      let byte = buffer.load(fromByteOffset: offset, as: UInt8.self)
      if byte < 0x80 {
        offset += 1
        return UInt64(byte)
      }
    }
    return try readLongVarUInt()
  }

  @usableFromInline
  mutating func readLongVarUInt() throws(FormatError) -> UInt64 {
    let start = offset
    guard offset >= 0, let base = buffer.baseAddress else { throw corrupt(VarInt.Refusal.runsPastEnd.reason) }
    do {
      return try VarInt.decodeUInt64(base, &offset, end: buffer.count)
    } catch {
      throw corrupt(error.reason, at: start)
    }
  }

  /// A varint that must fit the given bound (e.g. a count that cannot exceed the bytes left).
  @inlinable
  public mutating func readVarInt(max bound: Int, _ what: @autoclosure () -> String) throws(FormatError) -> Int {
    let start = offset
    let v = try readVarUInt()
    guard v <= UInt64(bound) else { throw corrupt("\(what()) \(v) exceeds its limit \(bound)", at: start) }
    return Int(v)
  }

  @inlinable
  public mutating func readBytes(_ n: Int) throws(FormatError) -> UnsafeRawBufferPointer {
    try need(n, "a \(n)-byte field")
    defer { offset += n }
    return UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + n)])
  }

  /// A varint length followed by that many bytes of valid UTF-8.
  public mutating func readString() throws(FormatError) -> String {
    let start = offset
    let n = try readVarInt(max: remaining, "string length")
    let raw = try readBytes(n)
    guard let s = String(validating: raw, as: UTF8.self) else {
      throw corrupt("string is not valid UTF-8", at: start)
    }
    return s
  }

  public mutating func skip(_ n: Int) throws(FormatError) {
    try need(n, "a skipped field")
    offset += n
  }
}
