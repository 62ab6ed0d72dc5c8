import ZhengSouRanking

/// How a search ranks and how many results it keeps.
public struct SearchOptions: Sendable, Equatable {
  /// Results to return (top-k).
  public var limit: Int
  public var bm25: BM25Parameters
  /// Multiplier of each field's BM25 score, by field name; fields not listed weigh 1.
  /// Titles weigh more by default: a query word in a title says more about the document.
  public var fieldWeights: [String: Double]

  /// Weight of `ParsedQuery.adjacencyBoosts` (0, the default, turns them off). Measured with
  /// `zhengsou eval`: once bigrams are scored they carry adjacency already, and the boost lowered
  /// MRR@10 on both known-item sets (policy 0.797 → 0.767, news 0.684 → 0.681).
  public var adjacencyBoost: Double
  /// Weight of the CJK gram terms of unquoted text (0: words only). Grams guarantee that a document
  /// containing the typed text matches even where the segmenter cut it differently.
  public var gramWeight: Double
  /// Optional terms found in more than this fraction of documents are not scored (1: keep all).
  /// Such terms (的, 发展, 中华人民共和国 in a law corpus) separate nothing; skipping them removes
  /// noise from long queries and spares the longest postings lists. Phrases always use every term,
  /// and a query whose terms are all this common keeps them.
  public var maxDocumentFrequencyRatio: Double
  /// The `lead` field (the body's first characters, when indexed) counts only for queries with at
  /// least this many distinct CJK grams (about that many characters + 1): long, title-like queries
  /// (a headline, a law's name) are what a lead restates; a short topical query like 疫情防控 should
  /// not prefer documents that merely open with it.
  public var leadMinimumQueryGrams: Int
  /// Score every matching document (the reference evaluation) instead of pruning with block-max
  /// MaxScore. Both return identical hits and scores; exhaustive evaluation is slower but always
  /// counts matches exactly (see `MatchCount`). For comparisons, benchmarks and checks.
  public var exhaustive: Bool

  public init(
    limit: Int = 10, bm25: BM25Parameters = .default, fieldWeights: [String: Double] = ["title": 2.0, "lead": 0.5],
    adjacencyBoost: Double = 0, gramWeight: Double = 0.5, maxDocumentFrequencyRatio: Double = 1.0, exhaustive: Bool = false
  ) {
    self.exhaustive = exhaustive
    self.maxDocumentFrequencyRatio = maxDocumentFrequencyRatio
    self.leadMinimumQueryGrams = 5
    self.gramWeight = gramWeight
    self.limit = limit
    self.bm25 = bm25
    self.fieldWeights = fieldWeights
    self.adjacencyBoost = adjacencyBoost
  }

  public func weight(of field: String) -> Double { fieldWeights[field] ?? 1.0 }
}
