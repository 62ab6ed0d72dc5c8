import CBitPacking

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
    writer.writeRaw(maxCount: packedByteCount(count: values.count, bitWidth: bitWidth)) { pack(values, bitWidth: bitWidth, to: $0) }
  }

  /// Packs `values` straight to `out` (which has room for `packedByteCount(count: values.count,
  /// bitWidth:)` bytes), least significant bit first; returns how many bytes it wrote.
  public static func pack(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
    precondition(bitWidth >= 0 && bitWidth <= 32)
    guard bitWidth > 0 else { return 0 }
    var acc: UInt64 = 0
    var bits = 0
    var w = 0
    for v in values {
      acc |= UInt64(v) << UInt64(bits)
      bits += bitWidth
      while bits >= 8 {
        out[w] = UInt8(truncatingIfNeeded: acc)
        w += 1
        acc >>= 8
        bits -= 8
      }
    }
    if bits > 0 {
      out[w] = UInt8(truncatingIfNeeded: acc)
      w += 1
    }
    return w
  }

  /// Value `i` of values packed by `pack` at `source`, without decoding the others (a document's
  /// positions within its block's). The caller guarantees that the value's bytes are readable:
  /// `i` is below the packed count and `packedByteCount` bytes are there.
  @inlinable
  public static func value(at i: Int, bitWidth: Int, in source: UnsafeRawPointer) -> UInt32 {
    guard bitWidth > 0 else { return 0 }
    let bit = i &* bitWidth
    let first = bit &>> 3, shift = bit & 7
    let bytes = (shift &+ bitWidth &+ 7) &>> 3  // at most 5
    var acc: UInt64 = 0
    for k in 0..<bytes { acc |= UInt64(source.load(fromByteOffset: first &+ k, as: UInt8.self)) &<< UInt64(8 &* k) }
    return UInt32(truncatingIfNeeded: (acc &>> UInt64(shift)) & ((1 &<< UInt64(bitWidth)) &- 1))
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

  /// Decodes a full postings block: 128 values of `bitWidth` bits (0...32, checked by the caller)
  /// from `16·bitWidth` bytes at `source`, of which `readable` may be read. Faster than `unpack`:
  /// every value is one unconditional 8-byte load, and a switch makes the width a constant in each
  /// loop. Those loads reach up to 8 bytes past the packed ones, so when fewer than that are
  /// readable (a block at the very end of its buffer) the bytes are first copied to a zero-padded
  /// stack buffer; elsewhere they are read in place (the copy was a twentieth of a query's time).
  ///
  /// Widths up to 25 (doc-id deltas and frequencies, in practice) go to `zs_unpack128`, which
  /// decodes eight values per step with AVX2 where the CPU has it: the scalar loop was a fifth of
  /// the instructions of a query (`callgrind` over the harness's 1,000 queries).
  @inlinable
  public static func unpack128(_ source: UnsafeRawPointer, bitWidth: Int, readable: Int, into dest: UnsafeMutablePointer<UInt32>) {
    guard bitWidth > 0 else {
      dest.update(repeating: 0, count: 128)
      return
    }
    if readable >= 16 * bitWidth + 16 && zs_unpack128(source.assumingMemoryBound(to: UInt8.self), UInt32(bitWidth), dest) != 0 {
      return
    }
    if readable >= 16 * bitWidth + 8 {
      unpack128(padded: source, bitWidth: bitWidth, into: dest)
      return
    }
    withUnsafeTemporaryAllocation(byteCount: 16 * 32 + 8, alignment: 8) { buffer in
      buffer.baseAddress!.copyMemory(from: source, byteCount: 16 * bitWidth)
      (buffer.baseAddress! + 16 * bitWidth).initializeMemory(as: UInt8.self, repeating: 0, count: 8)
      unpack128(padded: UnsafeRawPointer(buffer.baseAddress!), bitWidth: bitWidth, into: dest)
    }
  }

  /// Turns a full block's 128 doc-id deltas (at most `maximumSIMDWidth` bits wide, so they sum to
  /// less than 2³²) into ids in place, each `base` plus the deltas up to it, with AVX2; returns
  /// their sum and the smallest delta from index `first` on, or nil (nothing written) without AVX2.
  /// The caller checks `base` + the sum against the document count, which bounds every id.
  public static func prefixSums128(_ values: UnsafeMutablePointer<UInt32>, base: UInt32, first: Int) -> (total: UInt32, smallestDelta: UInt32)? {
    var total: UInt32 = 0, smallest: UInt32 = 0
    guard zs_prefix_sum128(values, base, UInt32(first), &total, &smallest) != 0 else { return nil }
    return (total, smallest)
  }

  /// `unpack128` of a full block's doc-id deltas and `prefixSums128` over them, in one AVX2 pass
  /// that never stores the deltas (`zs_unpack_prefix_sum128`); nil, with nothing written, when that
  /// path does not apply (no AVX2, a width outside 1...`maximumSIMDWidth`, fewer than 16 · w + 16
  /// readable bytes): the caller then takes the two steps.
  @inline(__always)
  public static func unpackPrefixSums128(
    _ source: UnsafeRawPointer, bitWidth: Int, readable: Int, base: UInt32, first: Int, into dest: UnsafeMutablePointer<UInt32>
  ) -> (total: UInt32, smallestDelta: UInt32)? {
    guard bitWidth >= 1, bitWidth <= maximumSIMDWidth, readable >= 16 * bitWidth + 16 else { return nil }
    var total: UInt32 = 0, smallest: UInt32 = 0
    guard zs_unpack_prefix_sum128(source.assumingMemoryBound(to: UInt8.self), UInt32(bitWidth), base, UInt32(first), dest, &total, &smallest) != 0
    else { return nil }
    return (total, smallest)
  }

  /// The widest values the AVX2 paths take (`zs_unpack128`, `prefixSums128`).
  public static let maximumSIMDWidth = Int(ZS_UNPACK128_MAX_WIDTH)

  /// Whether this CPU takes the AVX2 paths (tests check that they agree with the scalar ones).
  public static let hasSIMD = zs_bitpack_simd_available() != 0

  /// The first index in `from ..< count` (`count` ≤ 128) of ascending `values` whose value is ≥
  /// `target`, or `count`: the scan of a postings cursor's `advance`, eight ids a step with AVX2.
  @inlinable @inline(__always)
  public static func firstIndex(in values: UnsafePointer<UInt32>, atLeast target: UInt32, from: Int, count: Int) -> Int {
    Int(zs_first_at_least(values, Int32(truncatingIfNeeded: from), Int32(truncatingIfNeeded: count), target))
  }

  /// Adds 1 to each of a full block's 128 values (packed frequencies are tf − 1) and returns the
  /// smallest result (0 only if one wrapped), with AVX2; nil, nothing written, without it.
  @inlinable @inline(__always)
  public static func addOneReturningMinimum128(_ values: UnsafeMutablePointer<UInt32>) -> UInt32? {
    var done: Int32 = 0
    let smallest = zs_add_one_min128(values, &done)
    return done != 0 ? smallest : nil
  }

  /// `unpack128` from bytes followed by at least 8 readable bytes.
  @inlinable
  static func unpack128(padded: UnsafeRawPointer, bitWidth: Int, into dest: UnsafeMutablePointer<UInt32>) {
    switch bitWidth {
    case 1: unpack128(from: padded, bitWidth: 1, into: dest)
    case 2: unpack128(from: padded, bitWidth: 2, into: dest)
    case 3: unpack128(from: padded, bitWidth: 3, into: dest)
    case 4: unpack128(from: padded, bitWidth: 4, into: dest)
    case 5: unpack128(from: padded, bitWidth: 5, into: dest)
    case 6: unpack128(from: padded, bitWidth: 6, into: dest)
    case 7: unpack128(from: padded, bitWidth: 7, into: dest)
    case 8: unpack128(from: padded, bitWidth: 8, into: dest)
    case 9: unpack128(from: padded, bitWidth: 9, into: dest)
    case 10: unpack128(from: padded, bitWidth: 10, into: dest)
    case 11: unpack128(from: padded, bitWidth: 11, into: dest)
    case 12: unpack128(from: padded, bitWidth: 12, into: dest)
    case 13: unpack128(from: padded, bitWidth: 13, into: dest)
    case 14: unpack128(from: padded, bitWidth: 14, into: dest)
    case 15: unpack128(from: padded, bitWidth: 15, into: dest)
    case 16: unpack128(from: padded, bitWidth: 16, into: dest)
    case 17: unpack128(from: padded, bitWidth: 17, into: dest)
    case 18: unpack128(from: padded, bitWidth: 18, into: dest)
    case 19: unpack128(from: padded, bitWidth: 19, into: dest)
    case 20: unpack128(from: padded, bitWidth: 20, into: dest)
    case 21: unpack128(from: padded, bitWidth: 21, into: dest)
    case 22: unpack128(from: padded, bitWidth: 22, into: dest)
    case 23: unpack128(from: padded, bitWidth: 23, into: dest)
    case 24: unpack128(from: padded, bitWidth: 24, into: dest)
    case 25: unpack128(from: padded, bitWidth: 25, into: dest)
    case 26: unpack128(from: padded, bitWidth: 26, into: dest)
    case 27: unpack128(from: padded, bitWidth: 27, into: dest)
    case 28: unpack128(from: padded, bitWidth: 28, into: dest)
    case 29: unpack128(from: padded, bitWidth: 29, into: dest)
    case 30: unpack128(from: padded, bitWidth: 30, into: dest)
    case 31: unpack128(from: padded, bitWidth: 31, into: dest)
    case 32: unpack128(from: padded, bitWidth: 32, into: dest)
    default: break
    }
  }

  @inlinable @inline(__always)
  static func unpack128(from padded: UnsafeRawPointer, bitWidth w: Int, into dest: UnsafeMutablePointer<UInt32>) {
    let mask: UInt64 = (1 << UInt64(w)) &- 1
    for i in 0..<128 {
      let bit = i &* w
      let word = UInt64(littleEndian: padded.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
      dest[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
    }
  }
}
