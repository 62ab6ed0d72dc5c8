/// Unchecked-pointer LEB128 decoding for hot loops that have an end bound but no `ByteReader`.
public enum VarInt {
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
}
