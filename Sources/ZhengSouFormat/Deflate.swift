import CDeflateShim

/// zlib streams (RFC 1950) for the stored documents, made and read by the system's libdeflate
/// through `CDeflateShim`.
///
/// Why zlib streams: any zlib since 1995 inflates them (a file written today inflates anywhere),
/// and each stream carries its own Adler-32, so a damaged block is detected even when the section
/// checksum was not verified. Why libdeflate rather than zlib itself: it compresses whole buffers
/// in half the time at the same level, with slightly smaller output (news.jsonl's blocks of 16
/// documents at level 6: 52.36 MB in 3.0 s of CPU, against zlib's 52.44 MB in 5.9 s; the stored
/// text was the largest single cost of a build). Inflating never traps: any bad input is an error
/// naming the region and offset.
public enum Deflate {
  /// Compresses `bytes` as one zlib stream.
  public static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = 6) -> [UInt8] {
    var capacity = zs_deflate_bound(bytes.count)
    var out = [UInt8](repeating: 0, count: capacity)
    let rc = out.withUnsafeMutableBufferPointer { dest in
      zs_deflate(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, dest.baseAddress, &capacity, level)
    }
    precondition(rc == 0, "libdeflate could not compress \(bytes.count) bytes into a buffer of its own bound (out of memory?)")
    out.removeSubrange(capacity...)
    return out
  }

  /// Inflates the zlib stream `source`, which must produce exactly `expectedLength` bytes and end
  /// exactly at the end of `source`.
  public static func decompress(
    _ source: UnsafeRawBufferPointer, expectedLength: Int, region: String, offset: Int
  ) throws(FormatError) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: max(expectedLength, 1))
    var produced = expectedLength
    var consumed = source.count
    let rc = out.withUnsafeMutableBufferPointer { dest in
      zs_inflate(source.baseAddress?.assumingMemoryBound(to: UInt8.self), &consumed, dest.baseAddress, &produced)
    }
    guard rc == 0 else {
      throw .corrupt(region: region, offset: offset, reason: "compressed data does not inflate (\(rc == 3 ? "it inflates to more than \(expectedLength) bytes" : "libdeflate result \(rc)"))")
    }
    guard produced == expectedLength, consumed == source.count else {
      throw .corrupt(region: region, offset: offset, reason: "compressed data inflates to \(produced) bytes from \(consumed) of \(source.count), expected \(expectedLength) from all")
    }
    out.removeSubrange(produced...)
    return out
  }
}
