import ZhengSouAnalysis

/// Turns a query string into a `ParsedQuery` with the same segmenter that built the index.
///
/// Quotes: ASCII `"`, full-width `＂`, and the Chinese pairs “…”, 「…」, 『…』. Text outside quotes
/// becomes optional terms (primary tokens only: alternatives such as the bare number inside 2024年
/// are index-side extras, so matching the primary token is exact). Text inside becomes a phrase.
public struct QueryParser {
  let segmenter: Segmenter

  public init(segmenter: Segmenter) { self.segmenter = segmenter }

  private static let closers: [Unicode.Scalar: Unicode.Scalar] = [
    "\"": "\"", "＂": "＂", "\u{201C}": "\u{201D}", "「": "」", "『": "』",
  ]

  public func parse(_ query: String) throws(QueryError) -> ParsedQuery {
    var terms: [ParsedQuery.Term] = []
    var seen = Set<ParsedQuery.Term>()
    var phrases: [ParsedQuery.Phrase] = []
    var boosts: [ParsedQuery.Phrase] = []
    var plain = ""
    var phraseText = ""
    var closer: Unicode.Scalar? = nil
    var openColumn = 0

    func flushPlain() {
      for chunk in plain.split(whereSeparator: { $0.isWhitespace }) {
        let tokens = analyze(String(chunk))
        for t in tokens where seen.insert(t.term).inserted { terms.append(t.term) }
        if tokens.count >= 2 {
          let first = tokens[0].position
          let boost = ParsedQuery.Phrase(terms: tokens.map(\.term), offsets: tokens.map { $0.position - first })
          if !boosts.contains(boost) { boosts.append(boost) }
        }
      }
      plain = ""
    }

    for (i, scalar) in query.unicodeScalars.enumerated() {
      if let c = closer {
        if scalar == c {
          let tokens = analyze(phraseText)
          guard !tokens.isEmpty else { throw .emptyPhrase(column: openColumn) }
          let first = tokens[0].position
          phrases.append(.init(terms: tokens.map(\.term), offsets: tokens.map { $0.position - first }))
          phraseText = ""
          closer = nil
        } else {
          phraseText.unicodeScalars.append(scalar)
        }
      } else if let c = Self.closers[scalar] {
        flushPlain()
        closer = c
        openColumn = i + 1
      } else {
        plain.unicodeScalars.append(scalar)
      }
    }
    if closer != nil { throw .unclosedQuote(column: openColumn) }
    flushPlain()
    let parsed = ParsedQuery(terms: terms, phrases: phrases, adjacencyBoosts: boosts)
    if parsed.isEmpty { throw .noSearchableTerms }
    return parsed
  }

  /// Primary tokens of `text` with their positions.
  private func analyze(_ text: String) -> [(term: ParsedQuery.Term, position: Int)] {
    let buffer = segmenter.segment(text)
    var out: [(term: ParsedQuery.Term, position: Int)] = []
    for i in 0..<buffer.count where !buffer.tokens[i].isAlternative {
      let bytes = buffer.withTermBytes(i) { Array($0) }
      out.append((ParsedQuery.Term(bytes), Int(buffer.tokens[i].position)))
    }
    return out
  }
}
