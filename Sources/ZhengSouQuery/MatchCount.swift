/// How many documents matched a query: exactly, or at least this many.
///
/// Pruned evaluation (the default) never looks at documents that cannot enter the top k, so it
/// knows the count only as a lower bound (Lucene's `TotalHits.Relation`). It is exact whenever no
/// document was skipped, for example when fewer than k documents match, and always with
/// `SearchOptions.exhaustive`.
public struct MatchCount: Sendable, Equatable, CustomStringConvertible {
  public enum Relation: Sendable, Equatable {
    /// `value` documents matched.
    case equalTo
    /// At least `value` documents matched.
    case greaterThanOrEqualTo
  }

  public var value: Int
  public var relation: Relation

  public init(_ value: Int, _ relation: Relation = .equalTo) {
    self.value = value
    self.relation = relation
  }

  public var isExact: Bool { relation == .equalTo }

  /// `1234`, or `≥ 1234` for a lower bound.
  public var description: String { isExact ? "\(value)" : "≥ \(value)" }
}
