/// Fixed-width bit packing of 32-bit integers: the codec of full postings blocks.
///
/// `count` values of `bitWidth` bits are laid out least-significant bit first, value after value, in
/// `packedByteCount(count:bitWidth:)` bytes (the last byte zero-padded). A block of 128 values of
/// width w takes exactly 16·w bytes. Decoding reads unaligned 64-bit words where 8 bytes are left
/// and falls back to byte loads at the tail, so it never reads past the packed bytes.
public enum BitPacker {
  /// Bits needed for the largest value (0 when all are zero).
  @inlinable
  public static func bitWidth(of values: UnsafeBufferPointer<UInt32>) -> Int {
    var acc: UInt32 = 0
    for v in values { acc |= v }
    return 32 - acc.leadingZeroBitCount
  }

  @inlinable
  public static func packedByteCount(count: Int, bitWidth: Int) -> Int { (count * bitWidth + 7) >> 3 }

  public static func pack(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into writer: inout ByteWriter) {
    precondition(bitWidth >= 0 && bitWidth <= 32)
    guard bitWidth > 0 else { return }
    var acc: UInt64 = 0
    var bits = 0
    for v in values {
      acc |= UInt64(v) << UInt64(bits)
      bits += bitWidth
      while bits >= 8 {
        writer.writeUInt8(UInt8(truncatingIfNeeded: acc))
        acc >>= 8
        bits -= 8
      }
    }
    if bits > 0 { writer.writeUInt8(UInt8(truncatingIfNeeded: acc)) }
  }

  /// Decodes `count` values. The caller guarantees `packedByteCount(count:bitWidth:)` readable bytes
  /// at `source` and `bitWidth` in 0...32 (both checked once per block by the postings reader).
  @inlinable
  public static func unpack(
    _ source: UnsafeRawPointer, count: Int, bitWidth: Int, into dest: UnsafeMutablePointer<UInt32>
  ) {
    if bitWidth == 0 {
      dest.update(repeating: 0, count: count)
      return
    }
    let byteCount = packedByteCount(count: count, bitWidth: bitWidth)
    let mask: UInt64 = (1 << UInt64(bitWidth)) &- 1
    var bitPos = 0
    for i in 0..<count {
      let byte = bitPos >> 3
      let shift = UInt64(bitPos & 7)
      let word: UInt64
      if byte + 8 <= byteCount {
        word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
      } else {
        var w: UInt64 = 0
        var k = 0
        while byte + k < byteCount {
          w |= UInt64(source.load(fromByteOffset: byte + k, as: UInt8.self)) << UInt64(8 * k)
          k += 1
        }
        word = w
      }
      dest[i] = UInt32(truncatingIfNeeded: (word >> shift) & mask)
      bitPos += bitWidth
    }
  }
}
