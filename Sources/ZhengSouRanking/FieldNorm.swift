/// One-byte quantized field lengths, with exactly Lucene's `SmallFloat.intToByte4` scheme (as
/// tantivy does): lengths 0…39 are exact (codes 0…23 directly, 24…39 as exact small floats), larger
/// ones keep 4 significant bits (a float with a 3-bit
/// mantissa), up to Int32.max.
///
/// Why: BM25's length factor then depends on one byte, so it is a 256-entry table per field and
/// query, computed once; the norms of all documents cost one byte each on disk and in cache.
public enum FieldNorm {
  /// 255 − `longToInt4(Int32.max)`: codes below this are the length itself.
  public static let exactCodes = 24

  @inlinable
  static func longToInt4(_ i: UInt64) -> Int {
    let numBits = 64 - i.leadingZeroBitCount
    if numBits < 4 { return Int(i) }
    let shift = numBits - 4
    var encoded = Int(i >> UInt64(shift)) & 0x07
    encoded |= (shift + 1) << 3
    return encoded
  }

  @inlinable
  static func int4ToLong(_ i: Int) -> UInt64 {
    let bits = UInt64(i & 0x07)
    let shift = (i >> 3) - 1
    return shift == -1 ? bits : (bits | 0x08) << UInt64(shift)
  }

  /// The code of a field length (lengths are clamped to Int32.max).
  @inlinable
  public static func encode(length: Int) -> UInt8 {
    let n = min(max(length, 0), Int(Int32.max))
    if n < exactCodes { return UInt8(n) }
    return UInt8(exactCodes + longToInt4(UInt64(n - exactCodes)))
  }

  /// The length a code stands for (the smallest length with that code).
  @inlinable
  public static func decode(_ code: UInt8) -> Int {
    let i = Int(code)
    if i < exactCodes { return i }
    return exactCodes + Int(int4ToLong(i - exactCodes))
  }

  /// All 256 decoded lengths, indexed by code.
  public static let decodedLengths: [Int] = (0..<256).map { decode(UInt8($0)) }
}
