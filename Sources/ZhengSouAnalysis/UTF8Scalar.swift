/// Decodes one scalar from UTF-8 bytes, without making a `String`: what the highlighter's snippet
/// copy and the lead's cut (`IndexBuildOptions.leadEnd`) read text with, a scalar at a time.
///
/// The bytes are expected to be valid UTF-8 (they come from a `String`); a sequence cut short by
/// the end of `bytes` decodes as U+FFFD, one byte long, so a read never runs past the end.
public enum UTF8Scalar {
  @inlinable @inline(__always)
  public static func decode<Bytes: RandomAccessCollection>(_ bytes: Bytes, at i: Int) -> (scalar: UInt32, length: Int)
  where Bytes.Element == UInt8, Bytes.Index == Int {
    let b = bytes[i]
    if b < 0x80 { return (UInt32(b), 1) }
    let end = bytes.endIndex
    if b < 0xE0, i + 1 < end { return (UInt32(b & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2) }
    if b < 0xF0, i + 2 < end {
      return (UInt32(b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), 3)
    }
    if i + 3 < end {
      return (
        UInt32(b & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F), 4
      )
    }
    return (0xFFFD, 1)
  }
}
