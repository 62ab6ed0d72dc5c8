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
    var grams = DistinctTerms()
    var longestChunkGrams = 0
    let scalars = query.unicodeScalars

    /// One whitespace-separated chunk of unquoted text.
    func addChunk(_ chunk: String) {
      let analysis = analyze(chunk)
      let tokens = analysis.words
      for t in tokens { terms.insert(t.term) }
      var chunkGrams = DistinctTerms()
      for g in analysis.gramSlots {
        grams.insert(g.term)
        chunkGrams.insert(g.term)
      }
      longestChunkGrams = max(longestChunkGrams, chunkGrams.items.count)
      // The chunk's text as a phrase, matched like a quoted one (grams for Chinese text): an
      // index keeps no positions for Chinese words, whose phrases the grams match.
      if tokens.count >= 2, let boost = analysis.phrase {
        if !boosts.contains(boost) { boosts.append(boost) }
        for t in tokens where !chunkWords.contains(t.term) { chunkWords.append(t.term) }
      }
    }

    // One pass over the scalars, cutting slices of the query (no per-scalar appends): unquoted
    // text up to a quote, a quote's text up to its closer.
    var closer: Unicode.Scalar? = nil
    var start = scalars.startIndex
    var openColumn = 0
    var column = 0
    var i = scalars.startIndex
    while i < scalars.endIndex {
      let scalar = scalars[i]
      let next = scalars.index(after: i)
      column += 1
      if let c = closer {
        if scalar == c {
          guard let phrase = analyze(String(scalars[start..<i])).phrase else {
            throw .emptyPhrase(column: openColumn)
          }
          phrases.append(phrase)
          closer = nil
          start = next
        }
      } else if let c = Self.closer(of: scalar) {
        for chunk in Self.chunks(of: scalars[start..<i]) { addChunk(chunk) }
        closer = c
        openColumn = column
        start = next
      }
      i = next
    }
    if closer != nil { throw .unclosedQuote(column: openColumn) }
    for chunk in Self.chunks(of: scalars[start...]) { addChunk(chunk) }
    var parsed = ParsedQuery(terms: terms.items, phrases: phrases, adjacencyBoosts: boosts, chunkWords: chunkWords, gramTerms: grams.items)
    parsed.longestChunkGrams = longestChunkGrams
    if parsed.isEmpty { throw .noSearchableTerms }
    return parsed
  }

  /// The whitespace-separated chunks of unquoted text: its `Character`s split at whitespace, as
  /// `split(whereSeparator: \.isWhitespace)` gives them. They are found scalar by scalar where
  /// every scalar is a `Character` of its own (`isOwnCharacter`), since splitting `Character`s
  /// was a sixth of a short query's parse.
  static func chunks(of plain: Substring.UnicodeScalarView) -> [String] {
    guard plain.allSatisfy(isOwnCharacter) else { return String(plain).split(whereSeparator: { $0.isWhitespace }).map(String.init) }
    var chunks: [String] = []
    var chunkStart: Substring.UnicodeScalarView.Index? = nil
    var i = plain.startIndex
    while i < plain.endIndex {
      if isWhitespace(plain[i]) {
        if let start = chunkStart { chunks.append(String(plain[start..<i])) }
        chunkStart = nil
      } else if chunkStart == nil {
        chunkStart = i
      }
      plain.formIndex(after: &i)
    }
    if let start = chunkStart { chunks.append(String(plain[start...])) }
    return chunks
  }

  /// Unicode's White_Space, without asking the property tables for ASCII and the CJK blocks
  /// (about 350 instructions a scalar).
  static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
    if v >= 0x3400 && v < 0xA000 { return false }
    return scalar.properties.isWhitespace
  }

  /// Whether splitting at `scalar` cuts the text as splitting its `Character`s at whitespace
  /// does: a `SingleScalarCharacters` scalar, or CR (CR LF is one `Character`, but both are
  /// whitespace, so the chunks are the same). The text of policy queries is; anything else is
  /// split as `Character`s.
  static func isOwnCharacter(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value == 0x0D || SingleScalarCharacters.contains(scalar.value)
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
    /// The text normalized (`Segmenter.normalize`), which the positions count in.
    var normalizedText = ""

    /// The phrase its slots spell, at offsets from the first, standing for the normalized text;
    /// nil without slots. What a quoted part becomes, and a multi-word chunk's adjacency boost.
    var phrase: ParsedQuery.Phrase? {
      guard let first = phraseSlots.first?.position else { return nil }
      return ParsedQuery.Phrase(
        terms: phraseSlots.map(\.term), offsets: phraseSlots.map { $0.position - first }, openEnded: openEnded, text: normalizedText)
    }
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
    let (buffer, normalizedText) = segmenter.segmentAndNormalize(text)
    var a = Analysis()
    a.normalizedText = normalizedText
    // Room for every token at once (growing three arrays from empty was a tenth of a parse).
    a.words.reserveCapacity(buffer.count)
    a.phraseSlots.reserveCapacity(buffer.count)
    a.gramSlots.reserveCapacity(buffer.count)
    let usesGrams = segmenter.options.cjkGrams
    var lastBigramEnd = -1  // position just past the last bigram's first character's run partner
    buffer.withTermArena { arena in
      for i in 0..<buffer.count {
        let token = buffer.tokens[i]
        if token.kind != .gram && token.isAlternative { continue }
        let term = ParsedQuery.Term(Array(arena[Int(token.termOffset)..<Int(token.termOffset + token.termLength)]))
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
        } else {
          a.words.append((term, position))
          // With grams, CJK characters are matched by their grams; a word stays a slot of its own
          // only for what grams cannot see (digits, Latin: `5.4%`, `gdp`, the 2024 of `2024年`).
          if !usesGrams || Self.hasNonCJK(term) { a.phraseSlots.append((term, position)) }
        }
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
