/// Text with the byte ranges (UTF-8 offsets into `text`) that matched the query.
public struct HighlightedText: Sendable, Equatable {
  public var text: String
  /// Sorted, non-overlapping UTF-8 byte ranges into `text`.
  public var ranges: [Range<Int>]

  public init(text: String, ranges: [Range<Int>]) {
    self.text = text
    self.ranges = ranges
  }

  /// The same ranges as Unicode scalar offsets (what JSON consumers in most languages index by).
  public var scalarRanges: [Range<Int>] {
    var out: [Range<Int>] = []
    var byte = 0, scalar = 0
    var starts: [Int: Int] = [:]
    var wanted = Set(ranges.flatMap { [$0.lowerBound, $0.upperBound] })
    for s in text.unicodeScalars {
      if wanted.remove(byte) != nil { starts[byte] = scalar }
      byte += UTF8.width(s)
      scalar += 1
    }
    if wanted.remove(byte) != nil { starts[byte] = scalar }
    for r in ranges {
      if let a = starts[r.lowerBound], let b = starts[r.upperBound] { out.append(a..<b) }
    }
    return out
  }
}
