/// A query after parsing and analysis: normalized terms, ready to match.
///
/// Semantics (README, "Query syntax"): unquoted words are OR-ed and ranked by BM25; every quoted
/// part is a phrase the document must contain (in one field, at consecutive positions) and it adds
/// its own BM25 score; a phrase of one token is simply a required term.
public struct ParsedQuery: Sendable, Equatable {
  /// A normalized term, as the index stores it.
  public struct Term: Hashable, Sendable, CustomStringConvertible {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { bytes = Array(text.utf8) }
    public var description: String { String(decoding: bytes, as: UTF8.self) }
  }

  /// Terms at offsets relative to the phrase's first position (gaps are allowed when the analyzer
  /// dropped nothing between them, offsets are consecutive).
  public struct Phrase: Sendable, Equatable {
    public var terms: [Term]
    public var offsets: [Int]
    /// The last term is the unigram of a CJK character that ends the phrase: in a document that
    /// character may be followed by more CJK text, where it starts a bigram instead, so the last slot
    /// also matches every gram that begins with it (found by a dictionary prefix scan).
    public var openEnded: Bool
    /// The normalized text the phrase stands for (what a snippet looks for; "" when unknown).
    public var text: String

    public init(terms: [Term], offsets: [Int], openEnded: Bool = false, text: String = "") {
      self.terms = terms
      self.offsets = offsets
      self.openEnded = openEnded
      self.text = text
    }
  }

  /// Distinct optional word terms, in order of first appearance.
  public var terms: [Term]
  /// Distinct optional CJK gram terms of the unquoted text (bigrams, and unigrams of one-character
  /// runs): they find every document containing the text even where the segmenter cut it into
  /// other words, and add score with `SearchOptions.gramWeight`.
  public var gramTerms: [Term]
  /// The most distinct grams of one whitespace-separated chunk of unquoted text: how long the
  /// longest stretch of text typed as one piece is (a headline, a law's name), as opposed to words
  /// typed apart (`SearchOptions.leadMinimumQueryGrams`).
  public var longestChunkGrams = 0
  /// Required phrases.
  public var phrases: [Phrase]
  /// Optional phrases that only add score: each whitespace-separated chunk of unquoted text that
  /// the segmenter split into several words (共同富裕 → 共同 富裕) rewards documents that contain the
  /// chunk as typed, matched like a quoted phrase (through its grams: 共同 同富 富裕 adjacent).
  public var adjacencyBoosts: [Phrase]
  /// The words of those chunks (西湖 and 区 of 西湖区): the highlighter lights a one-character word
  /// among them only inside the whole chunk.
  public var chunkWords: [Term]

  public init(terms: [Term], phrases: [Phrase], adjacencyBoosts: [Phrase] = [], chunkWords: [Term] = [], gramTerms: [Term] = []) {
    self.terms = terms
    self.phrases = phrases
    self.adjacencyBoosts = adjacencyBoosts
    self.chunkWords = chunkWords
    self.gramTerms = gramTerms
  }

  public var isEmpty: Bool { terms.isEmpty && phrases.isEmpty && gramTerms.isEmpty }

  /// Every distinct term the query mentions (for highlighting).
  public var allTerms: [Term] {
    var seen = Set<Term>()
    return (terms + phrases.flatMap(\.terms)).filter { seen.insert($0).inserted }
  }
}
