import ZhengSouRanking

/// How a search ranks and how many results it keeps.
public struct SearchOptions: Sendable, Equatable {
  /// Results to return (top-k).
  public var limit: Int
  public var bm25: BM25Parameters
  /// Multiplier of each field's BM25 score, by field name; fields not listed weigh 1.
  /// Titles weigh more by default: a query word in a title says more about the document.
  public var fieldWeights: [String: Double]

  /// Weight of `ParsedQuery.adjacencyBoosts` (0 turns them off: plain BM25 over the words).
  public var adjacencyBoost: Double
  /// Weight of the CJK gram terms of unquoted text (0: words only). Grams guarantee that a document
  /// containing the typed text matches even where the segmenter cut it differently.
  public var gramWeight: Double

  public init(
    limit: Int = 10, bm25: BM25Parameters = .default, fieldWeights: [String: Double] = ["title": 2.0],
    adjacencyBoost: Double = 1.0, gramWeight: Double = 0.5
  ) {
    self.gramWeight = gramWeight
    self.limit = limit
    self.bm25 = bm25
    self.fieldWeights = fieldWeights
    self.adjacencyBoost = adjacencyBoost
  }

  public func weight(of field: String) -> Double { fieldWeights[field] ?? 1.0 }
}
