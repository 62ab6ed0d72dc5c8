import ZhengSouIndex
import ZhengSouQuery

/// One result as shown to a user: the stored document, its score and highlighted text.
public struct SearchResult: Sendable {
  public var rank: Int
  public var ordinal: Int
  public var score: Double
  public var document: StoredDocument
  public var title: HighlightedText
  public var snippet: HighlightedText
}

/// The answer to one query.
public struct SearchResponse: Sendable {
  public var results: [SearchResult]
  /// How many documents matched (before the top-k cut): exact, or a lower bound when pruning
  /// skipped documents that could not rank (`SearchOptions.exhaustive` always counts exactly).
  public var matches: MatchCount
  /// Time from query string to ranked ordinals (analysis + matching + scoring), in milliseconds.
  public var searchMilliseconds: Double
}
