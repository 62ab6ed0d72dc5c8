/// An append-only little-endian byte buffer: how every structure on disk is produced.
///
/// All multi-byte integers are little-endian (docs/FORMAT.md, "Conventions"); variable-length
/// integers are unsigned LEB128.
public struct ByteWriter: Sendable {
  public private(set) var bytes: [UInt8]

  public init(capacity: Int = 0) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  public var count: Int { bytes.count }

  public mutating func writeUInt8(_ v: UInt8) { bytes.append(v) }

  public mutating func writeUInt16(_ v: UInt16) {
    bytes.append(UInt8(truncatingIfNeeded: v))
    bytes.append(UInt8(truncatingIfNeeded: v >> 8))
  }

  public mutating func writeUInt32(_ v: UInt32) {
    for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) }
  }

  public mutating func writeUInt64(_ v: UInt64) {
    for s in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) }
  }

  public mutating func writeFloat64(_ v: Double) { writeUInt64(v.bitPattern) }

  /// Unsigned LEB128: 7 bits a byte, low groups first, high bit set on all but the last byte.
  public mutating func writeVarUInt(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  public mutating func writeBytes<C: Collection>(_ c: C) where C.Element == UInt8 { bytes.append(contentsOf: c) }

  /// Lets `body` write at most `maxCount` bytes straight into the buffer; it returns how many it
  /// wrote. For hot loops (a term's positions) that would otherwise append byte by byte.
  public mutating func writeRaw(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
    let old = bytes.count
    bytes.append(contentsOf: repeatElement(0, count: maxCount))
    let written = bytes.withUnsafeMutableBufferPointer { body($0.baseAddress! + old) }
    precondition(written <= maxCount, "writeRaw: wrote more than reserved")
    bytes.removeLast(maxCount - written)
  }

  public mutating func writeBytes(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }

  /// A varint byte length followed by the UTF-8 bytes.
  public mutating func writeString(_ s: String) {
    var s = s
    s.withUTF8 { utf8 in
      writeVarUInt(UInt64(utf8.count))
      bytes.append(contentsOf: utf8)
    }
  }

  /// Appends zero bytes until `count` is a multiple of `alignment`.
  public mutating func padToAlignment(_ alignment: Int) {
    while bytes.count % alignment != 0 { bytes.append(0) }
  }

  /// Overwrites four bytes written earlier (for sizes known only later).
  public mutating func patchUInt32(_ v: UInt32, at offset: Int) {
    for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: v >> UInt32(8 * k)) }
  }

  public mutating func removeAll(keepingCapacity: Bool = true) { bytes.removeAll(keepingCapacity: keepingCapacity) }
}
