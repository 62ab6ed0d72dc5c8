/// Unchecked-pointer LEB128 coding for hot loops that have a raw buffer but no `ByteReader` or
/// `ByteWriter`.
public enum VarInt {
  /// Encodes `value` at `out` (at most 5 bytes; the caller has reserved them) and returns how many
  /// bytes it wrote.
  @inlinable @inline(__always)
  public static func writeUInt32(_ value: UInt32, to out: UnsafeMutablePointer<UInt8>) -> Int {
    var v = value
    var w = 0
    while v >= 0x80 {
      out[w] = UInt8(truncatingIfNeeded: v) | 0x80
      w += 1
      v >>= 7
    }
    out[w] = UInt8(v)
    return w + 1
  }

  /// Decodes one unsigned LEB128 value at `offset`, advancing it; nil when the value runs past `end`
  /// or does not fit 32 bits (all hot-path varints are 32-bit).
  @inlinable @inline(__always)
  public static func readUInt32(_ base: UnsafeRawPointer, _ offset: inout Int, end: Int) -> UInt32? {
    var result: UInt32 = 0
    var shift: UInt32 = 0
    while offset < end {
      let b = base.load(fromByteOffset: offset, as: UInt8.self)
      offset += 1
      if shift == 28 && b > 0x0F { return nil }  // bits beyond 32: not a 32-bit value
      result |= UInt32(b & 0x7F) << shift
      if b < 0x80 { return result }
      shift += 7
      if shift > 28 { return nil }
    }
    return nil
  }

  /// Decodes one unsigned LEB128 value of up to 64 bits at `offset`, advancing it; nil when
  /// `decodeUInt64` refuses it. The one-byte case (most of a dictionary entry's fields) is up front.
  @inlinable @inline(__always)
  public static func readUInt64(_ base: UnsafeRawPointer, _ offset: inout Int, end: Int) -> UInt64? {
    guard offset < end else { return nil }
    let first = base.load(fromByteOffset: offset, as: UInt8.self)
    if first < 0x80 {
      offset += 1
      return UInt64(first)
    }
    return try? decodeUInt64(base, &offset, end: end)
  }

  /// Why `decodeUInt64` refused a value.
  public enum Refusal: Error, Equatable {
    case runsPastEnd, overflows64Bits

    public var reason: String {
      switch self {
      case .runsPastEnd: "varint runs past the end"
      case .overflows64Bits: "varint overflows 64 bits"
      }
    }
  }

  /// The one definition of a 64-bit varint, for `readUInt64` and `ByteReader.readVarUInt`: fitting
  /// 64 bits (so at most 10 bytes: a 10th byte above 1, continued or not, overflows), within `end`.
  /// Advances `offset` past what it read.
  @inlinable @inline(__always)
  public static func decodeUInt64(_ base: UnsafeRawPointer, _ offset: inout Int, end: Int) throws(Refusal) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while offset < end {
      let b = base.load(fromByteOffset: offset, as: UInt8.self)
      offset += 1
      if shift == 63 && b > 1 { throw .overflows64Bits }
      result |= UInt64(b & 0x7F) << shift
      if b < 0x80 { return result }
      shift += 7
    }
    throw .runsPastEnd
  }
}
