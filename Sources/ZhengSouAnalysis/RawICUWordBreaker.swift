/// Raw ICU word-break iteration over UTF-8 text (utext_openUTF8), counting boundaries: the baseline
/// the benchmark compares the segmenter against (no normalization, no tokens).
/// Not thread-safe: one per thread.
public final class RawICUWordBreaker {
  private let breaker: ICUWordBreaker

  public init() throws {
    breaker = try ICUWordBreaker(locale: "zh")
  }

  /// Number of boundaries ICU finds in `utf8`, including the one at 0.
  public func countBoundaries(_ utf8: UnsafeRawBufferPointer) -> Int {
    breaker.countBoundaries(utf8: utf8)
  }
}
