/// The knobs of Okapi BM25 (Robertson et al., "Okapi at TREC-3", 1994).
///
/// - `k1` controls term-frequency saturation: how quickly more occurrences stop adding score.
/// - `b` controls how strongly the field length normalizes term frequency (0 = not at all, 1 = fully).
/// Defaults are Lucene's and tantivy's.
public struct BM25Parameters: Sendable, Equatable {
  public var k1: Double
  public var b: Double

  public init(k1: Double = 1.2, b: Double = 0.75) {
    self.k1 = k1
    self.b = b
  }

  public static let `default` = BM25Parameters()
}
