/// One ranked result: a document ordinal and its score.
///
/// Ordering is total and deterministic: higher score first, then lower document ordinal.
public struct SearchHit: Sendable, Equatable {
  public var document: Int
  public var score: Double

  public init(document: Int, score: Double) {
    self.document = document
    self.score = score
  }

  /// True when `self` ranks before `other`.
  @inline(__always)
  public func ranksBefore(_ other: SearchHit) -> Bool {
    score != other.score ? score > other.score : document < other.document
  }
}
