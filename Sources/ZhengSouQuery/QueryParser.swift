import ZhengSouAnalysis

/// Turns a query string into a `ParsedQuery` with the same segmenter that built the index.
///
/// Quotes: ASCII `"`, full-width `＂`, and the Chinese pairs “…”, 「…」, 『…』. Text outside quotes
/// becomes optional terms (primary tokens only: alternatives such as the bare number inside 2024年
/// are index-side extras, so matching the primary token is exact). Text inside becomes a phrase.
public struct QueryParser {
  let segmenter: Segmenter

  public init(segmenter: Segmenter) { self.segmenter = segmenter }

  /// The closing quote for an opening one, or nil. A switch, not a dictionary: the parser asks
  /// for every character of the query, and hashing each one showed up in short queries' profiles.
  private static func closer(of scalar: Unicode.Scalar) -> Unicode.Scalar? {
    switch scalar {
    case "\"": "\""
    case "＂": "＂"
    case "\u{201C}": "\u{201D}"
    case "「": "」"
    case "『": "』"
    default: nil
    }
  }

  public func parse(_ query: String) throws(QueryError) -> ParsedQuery {
    var terms = DistinctTerms()
    var phrases: [ParsedQuery.Phrase] = []
    var boosts: [ParsedQuery.Phrase] = []
    var chunkWords: [ParsedQuery.Term] = []
    var plain = ""
    var phraseText = ""
    var closer: Unicode.Scalar? = nil
    var openColumn = 0

    var grams = DistinctTerms()

    func flushPlain() {
      for chunk in plain.split(whereSeparator: { $0.isWhitespace }) {
        let analysis = analyze(String(chunk))
        let tokens = analysis.words
        for t in tokens { terms.insert(t.term) }
        for g in analysis.gramSlots { grams.insert(g.term) }
        // The chunk's text as a phrase, matched like a quoted one (grams for Chinese text): an
        // index keeps no positions for Chinese words, whose phrases the grams match.
        if tokens.count >= 2, let first = analysis.phraseSlots.first?.position {
          let slots = analysis.phraseSlots
          let boost = ParsedQuery.Phrase(
            terms: slots.map(\.term), offsets: slots.map { $0.position - first }, openEnded: analysis.openEnded,
            text: segmenter.normalize(String(chunk)))
          if !boosts.contains(boost) { boosts.append(boost) }
          for t in tokens where !chunkWords.contains(t.term) { chunkWords.append(t.term) }
        }
      }
      plain = ""
    }

    for (i, scalar) in query.unicodeScalars.enumerated() {
      if let c = closer {
        if scalar == c {
          let analysis = analyze(phraseText)
          let slots = analysis.phraseSlots
          guard !slots.isEmpty else { throw .emptyPhrase(column: openColumn) }
          let first = slots[0].position
          phrases.append(.init(
            terms: slots.map(\.term), offsets: slots.map { $0.position - first }, openEnded: analysis.openEnded,
            text: segmenter.normalize(phraseText)))
          phraseText = ""
          closer = nil
        } else {
          phraseText.unicodeScalars.append(scalar)
        }
      } else if let c = Self.closer(of: scalar) {
        flushPlain()
        closer = c
        openColumn = i + 1
      } else {
        plain.unicodeScalars.append(scalar)
      }
    }
    if closer != nil { throw .unclosedQuote(column: openColumn) }
    flushPlain()
    let parsed = ParsedQuery(terms: terms.items, phrases: phrases, adjacencyBoosts: boosts, chunkWords: chunkWords, gramTerms: grams.items)
    if parsed.isEmpty { throw .noSearchableTerms }
    return parsed
  }

  /// The analysis of one piece of query text.
  struct Analysis {
    /// Primary (word) tokens with their positions.
    var words: [(term: ParsedQuery.Term, position: Int)] = []
    /// What a phrase of this text must match, slot by slot: bigrams for CJK runs (a unigram for a
    /// one-character run) and whole tokens for numbers and Latin words.
    var phraseSlots: [(term: ParsedQuery.Term, position: Int)] = []
    /// The gram slots alone (for optional gram evidence).
    var gramSlots: [(term: ParsedQuery.Term, position: Int)] = []
    /// The last phrase slot is a one-character run's unigram at the very end (see `Phrase.openEnded`).
    var openEnded = false
  }

  /// Whether a term has a character that no gram covers (digits, Latin, symbols).
  static func hasNonCJK(_ term: ParsedQuery.Term) -> Bool {
    !term.bytes.withUnsafeBytes { Segmenter.isGramCoveredWord($0) }
  }

  /// How many characters a gram term holds after its prefix byte: its UTF-8 lead bytes (the
  /// segmenter writes valid UTF-8), counted without making a `String` per token.
  static func scalarCount(ofGram term: ParsedQuery.Term) -> Int {
    term.bytes.dropFirst().reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
  }

  /// Segments `text` once and derives its words, phrase slots and gram slots.
  func analyze(_ text: String) -> Analysis {
    let buffer = segmenter.segment(text)
    var a = Analysis()
    let usesGrams = segmenter.options.cjkGrams
    var lastBigramEnd = -1  // position just past the last bigram's first character's run partner
    for i in 0..<buffer.count {
      let token = buffer.tokens[i]
      let term = ParsedQuery.Term(buffer.withTermBytes(i) { Array($0) })
      let position = Int(token.position)
      if token.kind == .gram {
        // A gram term is the prefix byte and one (unigram) or two (bigram) characters.
        let characters = Self.scalarCount(ofGram: term)
        if characters == 2 {
          a.gramSlots.append((term, position))
          a.phraseSlots.append((term, position))
          // The first character's UTF-16 length: 2 for a four-byte (supplementary) one.
          lastBigramEnd = position + (term.bytes.count > 1 && term.bytes[1] >= 0xF0 ? 2 : 1)
        } else if position != lastBigramEnd {
          // A one-character run (a run's last character is already covered by the bigram before it).
          a.gramSlots.append((term, position))
          a.phraseSlots.append((term, position))
        }
      } else if !token.isAlternative {
        a.words.append((term, position))
        // With grams, CJK characters are matched by their grams; a word stays a slot of its own
        // only for what grams cannot see (digits, Latin: `5.4%`, `gdp`, the 2024 of `2024年`).
        if !usesGrams || Self.hasNonCJK(term) { a.phraseSlots.append((term, position)) }
      }
    }
    a.phraseSlots.sort { $0.position < $1.position }
    if let last = a.phraseSlots.last, last.term.bytes.first == Segmenter.gramPrefix,
      Self.scalarCount(ofGram: last.term) == 1
    {
      a.openEnded = true
    }
    return a
  }
}
