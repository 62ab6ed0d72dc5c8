import ZhengSouIndex
import ZhengSouRanking

/// Runs parsed queries against one index: match → score → top-k.
///
/// Document-at-a-time: optional terms are a union of per-field BM25 term scorers; each required
/// phrase is a union over fields of `PhraseMatcher`s, and all phrases are intersected by leapfrog;
/// adjacency boosts are optional phrase matchers that add score to documents already matched.
/// Every document that matches is scored exactly (this is the exhaustive evaluation; block-max
/// pruning is a later optimisation that must return the same hits).
public final class Searcher {
  public let index: IndexReader

  public init(index: IndexReader) { self.index = index }

  /// Hits best first (at most `options.limit`) and the number of documents that matched.
  public func search(_ query: ParsedQuery, options: SearchOptions = .init()) throws(IndexError) -> (hits: [SearchHit], matches: Int) {
    let n = index.documentCount
    let fields = index.fieldNames
    let lengthNorms = fields.indices.map { LengthNormTable(parameters: options.bm25, averageFieldLength: index.metadata.averageLength(field: $0)) }
    let k1 = options.bm25.k1
    let leadActive = query.gramTerms.count >= options.leadMinimumQueryGrams
    /// A field's weight for this query (the lead only for long queries).
    func weight(_ f: Int) -> Double { fields[f] == "lead" && !leadActive ? 0 : options.weight(of: fields[f]) }

    var termScorers: [TermScorer] = []
    let weighted = query.terms.map { ($0, 1.0) } + (options.gramWeight > 0 ? query.gramTerms.map { ($0, options.gramWeight) } : [])
    var lookedUp: [(infos: [TermFieldInfo?], scale: Double)] = []
    for (term, scale) in weighted {
      if let infos = try lookup(term) { lookedUp.append((infos, scale)) }
    }
    // Common-term cut: only when some term stays, so a query of common words still finds them.
    let dfLimit = Int((options.maxDocumentFrequencyRatio * Double(n)).rounded(.down))
    let isCommon: ([TermFieldInfo?]) -> Bool = { infos in infos.allSatisfy { ($0?.docFrequency ?? 0) > dfLimit } }
    let cut = options.maxDocumentFrequencyRatio < 1 && lookedUp.contains { !isCommon($0.infos) }
    for (infos, scale) in lookedUp where !(cut && isCommon(infos)) {
      for (f, info) in infos.enumerated() {
        guard let info, weight(f) > 0 else { continue }
        termScorers.append(TermScorer(
          cursor: index.cursor(info), idf: BM25.idf(docFrequency: info.docFrequency, documentCount: n),
          fieldWeight: scale * weight(f), lengthNorms: lengthNorms[f], k1: k1, norms: index.norms(field: f)))
      }
    }

    /// One matcher per field in which every slot of `phrase` occurs. An open-ended last slot is the
    /// union of its unigram and every gram that starts with that character.
    func matchers(for phrase: ParsedQuery.Phrase, weightScale: Double) throws(IndexError) -> [PhraseMatcher] {
      var slotInfos: [[[TermFieldInfo?]]] = []  // slot → alternatives → per-field infos
      for (k, term) in phrase.terms.enumerated() {
        if phrase.openEnded && k == phrase.terms.count - 1 {
          slotInfos.append(try index.terms(withPrefix: term.bytes).map(\.infos))
        } else {
          slotInfos.append([try lookup(term) ?? Array(repeating: nil, count: fields.count)])
        }
      }
      var out: [PhraseMatcher] = []
      for f in fields.indices where weight(f) > 0 {
        let perSlot = slotInfos.map { alternatives in alternatives.compactMap { $0[f] } }
        guard perSlot.allSatisfy({ !$0.isEmpty }) else { continue }
        let idfSum = perSlot.reduce(0.0) { sum, alternatives in
          let df = min(n, alternatives.reduce(0) { $0 + $1.docFrequency })
          return sum + BM25.idf(docFrequency: df, documentCount: n)
        }
        if let m = PhraseMatcher(
          slots: perSlot.map { $0.map { index.cursor($0) } }, offsets: phrase.offsets, idfSum: idfSum,
          fieldWeight: weightScale * weight(f), lengthNorms: lengthNorms[f], k1: k1, norms: index.norms(field: f))
        {
          out.append(m)
        }
      }
      return out
    }

    var phraseClauses: [[PhraseMatcher]] = []
    for phrase in query.phrases {
      let clause = try matchers(for: phrase, weightScale: 1)
      if clause.isEmpty { return ([], 0) }  // a required phrase that cannot match anywhere
      phraseClauses.append(clause)
    }
    var boosts: [PhraseMatcher] = []
    if options.adjacencyBoost > 0 {
      for phrase in query.adjacencyBoosts { boosts += try matchers(for: phrase, weightScale: options.adjacencyBoost) }
    }

    var collector = TopKCollector(k: options.limit)
    var matches = 0
    if phraseClauses.isEmpty {
      var doc = termScorers.reduce(PostingsCursor.exhausted) { min($0, $1.cursor.doc) }
      while doc != PostingsCursor.exhausted {
        var score = 0.0
        var next = PostingsCursor.exhausted
        for s in termScorers {
          if s.cursor.doc == doc {
            score += s.score()
            s.cursor.next()
          }
          next = min(next, s.cursor.doc)
        }
        for m in boosts where m.advance(to: doc) == doc { score += m.score() }
        matches += 1
        collector.offer(SearchHit(document: Int(doc), score: score))
        doc = next
      }
    } else {
      var target: UInt32 = 0
      outer: while true {
        // Align every required phrase on one document.
        var doc = target
        var aligned = false
        while !aligned {
          aligned = true
          for clause in phraseClauses {
            let d = clause.reduce(PostingsCursor.exhausted) { min($0, $1.advance(to: doc)) }
            if d == PostingsCursor.exhausted { break outer }
            if d > doc {
              doc = d
              aligned = false
            }
          }
        }
        var score = 0.0
        for clause in phraseClauses {
          for m in clause where m.doc == doc { score += m.score() }
        }
        for s in termScorers where s.cursor.advance(to: doc) == doc { score += s.score() }
        for m in boosts where m.advance(to: doc) == doc { score += m.score() }
        matches += 1
        collector.offer(SearchHit(document: Int(doc), score: score))
        if doc == PostingsCursor.exhausted - 1 { break }
        target = doc + 1
      }
    }

    for s in termScorers { if let f = s.cursor.failure { throw .format(path: index.path, f) } }
    for clause in phraseClauses + [boosts] {
      for m in clause { for c in m.cursors { if let f = c.failure { throw .format(path: index.path, f) } } }
    }
    return (collector.results(), matches)
  }

  private func lookup(_ term: ParsedQuery.Term) throws(IndexError) -> [TermFieldInfo?]? { try index.lookup(term.bytes) }
}
