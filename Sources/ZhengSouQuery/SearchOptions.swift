import ZhengSouRanking

/// How a search ranks and how many results it keeps.
public struct SearchOptions: Sendable, Equatable {
  /// Results to return (top-k).
  public var limit: Int
  /// BM25's k1 and b; `tunedBM25` by default.
  public var bm25: BM25Parameters
  /// Multiplier of each field's BM25 score, by field name; fields not listed weigh 1.
  /// Titles weigh more by default: a query word in a title says more about the document.
  public var fieldWeights: [String: Double]

  /// Weight of `ParsedQuery.adjacencyBoosts` (0, the default, turns them off). Measured with
  /// `zhengsou eval`: once bigrams are scored they carry adjacency already, and the boost lowered
  /// MRR@10 on both known-item sets (policy 0.797 → 0.767, news 0.684 → 0.681).
  public var adjacencyBoost: Double
  /// Weight of the CJK gram terms of unquoted text (0: words only). Grams guarantee that a document
  /// containing the typed text matches even where the segmenter cut it differently. A two-character
  /// word is scored through its bigram whatever this weight (`Searcher.weightedTerms`), at 1 + it.
  public var gramWeight: Double
  /// Optional terms found in more than this fraction of documents are not scored (1, the default:
  /// keep all). A cut also drops them from matching, so documents that contain only such terms are
  /// no longer found by a plain search; that is why it stays off although 0.3 measured slightly
  /// better on the policy set (MRR@10 0.8311 → 0.8351 at k1 = b = 0.6).
  /// Such terms (的, 发展, 中华人民共和国 in a law corpus) separate nothing; skipping them removes
  /// noise from long queries and spares the longest postings lists. Phrases always use every term,
  /// and a query whose terms are all this common keeps them.
  public var maxDocumentFrequencyRatio: Double
  /// The `lead` field (the body's first characters, when indexed) counts only for queries with a
  /// whitespace-separated chunk of at least this many distinct CJK grams (about that many
  /// characters + 1; `ParsedQuery.longestChunkGrams`): long, title-like text typed as one piece (a
  /// headline, a law's name) is what a lead restates; a short topical query like 疫情防控 should
  /// not prefer documents that merely open with it, nor should keywords typed apart (打击犯罪 推行
  /// 疏散), however many. Counting the whole query's grams instead gave the same MRR@10 on the
  /// development sets (news 0.7207 against 0.7202, policy and CMRC equal) and turned the lead on
  /// for three-word keyword queries, whose p99 it raised by about a tenth (issue #4).
  public var leadMinimumQueryGrams: Int
  /// Score every matching document (the reference evaluation) instead of pruning with block-max
  /// MaxScore. Both return identical hits and scores; exhaustive evaluation is slower but always
  /// counts matches exactly (see `MatchCount`). For comparisons, benchmarks and checks.
  public var exhaustive: Bool

  /// k1 0.6, b 0.6 rather than the textbook 1.2 and 0.75. With the lexicon segmenter, words plus
  /// bigrams and sub-words give every query several overlapping terms, and a lower k1 stops one
  /// repeated term from outweighing the others. Measured with `zhengsou eval` on the development
  /// sets (issue #3's closing note has the grid): news known-item MRR@10 0.6982 → 0.7181, policy
  /// 0.8314 → 0.8311, CMRC 0.9871 → 0.9849.
  public static let tunedBM25 = BM25Parameters(k1: 0.6, b: 0.6)

  public init(
    limit: Int = 10, bm25: BM25Parameters = SearchOptions.tunedBM25, fieldWeights: [String: Double] = ["title": 2.0, "lead": 0.5],
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
