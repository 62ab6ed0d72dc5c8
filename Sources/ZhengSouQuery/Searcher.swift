import ZhengSouAnalysis
import ZhengSouIndex
import ZhengSouRanking

/// Runs parsed queries against one index: match → score → top-k.
///
/// Document-at-a-time: optional terms are a union of per-field BM25 term scorers; each required
/// phrase is a union over fields of `PhraseMatcher`s, and all phrases are intersected by leapfrog;
/// adjacency boosts are optional phrase matchers that add score to documents already matched.
///
/// By default evaluation is pruned: the union of terms runs as block-max MaxScore
/// (`MaxScoreEvaluator`), and phrase queries as block-max AND (`BlockMaxConjunction`), which reads
/// positions only for documents that every phrase's slots hold and whose score bound beats the k-th
/// score so far (a lone quoted term runs as MaxScore). `SearchOptions.exhaustive` scores
/// every matching document instead. Both return the same hits with bit-identical scores: pruning
/// skips only documents that provably cannot enter the top k, and scores the others by summing the
/// same contributions in the same order. Adjacency boosts (off by default) and BM25 parameters for
/// which the bounds do not hold run exhaustively.
public final class Searcher {
  public let index: IndexReader
  /// The per-field length tables of the last BM25 parameters used: they depend only on those and
  /// the index, and rebuilding them (256 entries per field) was a visible part of a short query.
  private var lengthNormCache: (parameters: BM25Parameters, tables: [LengthNormBuffer])?

  /// How many alternatives a phrase slot needs to be merged into one cursor before evaluation
  /// (`slotCursors`); tests set it to compare merged slots with unmerged ones.
  var unionMinimum = Searcher.defaultUnionMinimum
  static let defaultUnionMinimum = 2
  /// How many phrase slots were merged so far (tests read it to see the merging happen).
  private(set) var mergedSlots = 0
  /// The pruned evaluator's scratch sizes (tests make them tiny).
  var maxScoreCapacities = MaxScoreEvaluator.Capacities()
  /// How many documents the last pruned phrase query bounded one by one
  /// (`BlockMaxConjunction.Outcome.candidates`): what its tests read to see the pruning work.
  private(set) var lastConjunctionCandidates = 0

  public init(index: IndexReader) { self.index = index }

  private func lengthNorms(_ p: BM25Parameters) -> [LengthNormBuffer] {
    if let cached = lengthNormCache, cached.parameters == p { return cached.tables }
    let tables = index.fieldNames.indices.map {
      LengthNormBuffer(LengthNormTable(parameters: p, averageFieldLength: index.metadata.averageLength(field: $0)))
    }
    lengthNormCache = (p, tables)
    return tables
  }

  /// Hits best first (at most `options.limit`) and the number of documents that matched.
  public func search(_ query: ParsedQuery, options: SearchOptions = .init()) throws(IndexError) -> (hits: [SearchHit], matches: MatchCount) {
    let n = index.documentCount
    let fields = index.fieldNames
    let lengthNorms = lengthNorms(options.bm25)
    let k1 = options.bm25.k1
    let leadActive = query.longestChunkGrams >= options.leadMinimumQueryGrams
    /// Each field's weight for this query (the lead only for long queries), looked up once: by
    /// name it is a dictionary lookup, and a query asks twice per term and field.
    let weights = fields.map { $0 == "lead" && !leadActive ? 0 : options.weight(of: $0) }
    func weight(_ f: Int) -> Double { weights[f] }

    var termScorers: [TermScorer] = []
    let weighted = Self.weightedTerms(query, gramWeight: options.gramWeight)
    var lookedUp: [(infos: [TermFieldInfo?], scale: Double)] = []
    for (term, scale) in weighted {
      if let infos = try lookup(term) { lookedUp.append((infos, scale)) }
    }
    // Common-term cut: only when some term stays, so a query of common words still finds them.
    let dfLimit = Int((options.maxDocumentFrequencyRatio * Double(n)).rounded(.down))
    let isCommon: ([TermFieldInfo?]) -> Bool = { infos in infos.allSatisfy { ($0?.docFrequency ?? 0) > dfLimit } }
    if options.maxDocumentFrequencyRatio < 1 && lookedUp.contains(where: { !isCommon($0.infos) }) {
      lookedUp.removeAll { isCommon($0.infos) }
    }
    // Every list's first bytes asked for at once: making a cursor decodes its first block, and
    // those misses overlap only if they are requested together (p50 ratio 0.969, 28 of 40 rounds
    // faster on the harness queries).
    for (infos, _) in lookedUp {
      for (f, info) in infos.enumerated() where weight(f) > 0 { if let info { index.prefetchStart(of: info) } }
    }
    for (infos, scale) in lookedUp {
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
      // The fields where every slot occurs, with their lists. A field whose lists keep no positions
      // (the lead: its text is the body's start, where the body matcher finds the phrase) cannot
      // confirm a phrase.
      var fieldLists: [(field: Int, perSlot: [[TermFieldInfo]])] = []
      for f in fields.indices where weight(f) > 0 {
        let perSlot = slotInfos.map { alternatives in alternatives.compactMap { $0[f] } }
        guard perSlot.allSatisfy({ !$0.isEmpty }) else { continue }
        guard perSlot.allSatisfy({ $0.allSatisfy(\.hasPositions) }) else { continue }
        fieldLists.append((f, perSlot))
      }
      // As for the optional terms below: every list's first bytes asked for before any cursor is
      // made (the harness's 200 phrases, quoted: p50 ratio 0.936, 35 of 40 rounds faster).
      for (_, perSlot) in fieldLists { for alternatives in perSlot { for info in alternatives { index.prefetchStart(of: info) } } }
      var out: [PhraseMatcher] = []
      for (f, perSlot) in fieldLists {
        let idfSum = perSlot.reduce(0.0) { sum, alternatives in
          let df = min(n, alternatives.reduce(0) { $0 + $1.docFrequency })
          return sum + BM25.idf(docFrequency: df, documentCount: n)
        }
        guard let slots = try slotCursors(perSlot, field: f) else { continue }
        if let m = PhraseMatcher(
          slots: slots, offsets: phrase.offsets, idfSum: idfSum,
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
      if clause.isEmpty { return ([], MatchCount(0)) }  // a required phrase that cannot match anywhere
      phraseClauses.append(clause)
    }
    var boosts: [PhraseMatcher] = []
    if options.adjacencyBoost > 0 {
      for phrase in query.adjacencyBoosts { boosts += try matchers(for: phrase, weightScale: options.adjacencyBoost) }
    }

    var collector = TopKCollector(k: options.limit)
    let prune = !options.exhaustive && boosts.isEmpty && collector.k > 0 && termScorers.allSatisfy(\.isBoundable)
      && phraseClauses.allSatisfy { $0.allSatisfy(\.scorer.isBoundable) }
    let count: MatchCount
    if !prune {
      count = MatchCount(Self.exhaustive(termScorers: termScorers, phraseClauses: phraseClauses, boosts: boosts, into: &collector))
    } else if let scorers = phraseClauses.isEmpty ? termScorers : Self.loneTermScorers(phraseClauses, termScorers) {
      let evaluator = MaxScoreEvaluator(scorers: scorers, documentCount: n, capacities: maxScoreCapacities)
      let (matches, exact) = evaluator.run(into: &collector)
      count = MatchCount(matches, exact ? .equalTo : .greaterThanOrEqualTo)
    } else {
      let outcome = BlockMaxConjunction(phraseClauses: phraseClauses, terms: termScorers).run(into: &collector)
      lastConjunctionCandidates = outcome.candidates
      count = MatchCount(outcome.matches, outcome.exact ? .equalTo : .greaterThanOrEqualTo)
    }

    for s in termScorers { if let f = s.cursor.failure { throw .format(path: index.path, f) } }
    for clause in phraseClauses + [boosts] {
      for m in clause { for c in m.cursors { if let f = c.failure { throw .format(path: index.path, f) } } }
    }
    return (collector.results(), count)
  }

  /// The cursors of a phrase's slots in field `f`, one per alternative, except that a slot of at
  /// least `unionMinimum` alternatives (an open-ended last character: its unigram and every bigram
  /// it starts) becomes one merged cursor (`IndexReader.unionCursor`), restricted to the documents
  /// that hold every other slot. Nil when that slot holds none of them: the phrase cannot occur in
  /// the field.
  private func slotCursors(_ perSlot: [[TermFieldInfo]], field f: Int) throws(IndexError) -> [[PostingsCursor]]? {
    guard let wide = perSlot.indices.last(where: { perSlot[$0].count >= unionMinimum }) else {
      return perSlot.map { $0.map { index.cursor($0) } }
    }
    var candidates: [UInt32]? = nil
    if perSlot.count > 1 {
      let others = perSlot.indices.filter { $0 != wide }.map { perSlot[$0].map { index.cursor($0) } }
      candidates = Self.commonDocuments(others)
      for slot in others { for c in slot { if let failure = c.failure { throw .format(path: index.path, failure) } } }
    }
    guard let merged = try index.unionCursor(of: perSlot[wide], field: f, within: candidates) else { return nil }
    mergedSlots += 1
    return perSlot.indices.map { $0 == wide ? [merged] : perSlot[$0].map { index.cursor($0) } }
  }

  /// The documents every slot holds (a slot: any of its cursors), ascending; no positions read.
  /// `slots` must not be empty, nor any slot.
  static func commonDocuments(_ slots: [[PostingsCursor]]) -> [UInt32] {
    var out: [UInt32] = []
    var target: UInt32 = 0
    while let d = firstCommonDocument(slots, from: target, advance: { $0.advance(to: $1) }) {
      out.append(d)
      if d == PostingsCursor.exhausted - 1 { break }
      target = d + 1
    }
    return out
  }

  /// The first document ≥ `target` that every group holds (a group: any of its members), or nil
  /// when there is none: leapfrog, each member moved with `advance(member, to)`, which returns its
  /// document (`PostingsCursor.exhausted` when it has none left). What both the merged slot's
  /// candidates (`commonDocuments`, over cursors) and the exhaustive evaluation (over phrase
  /// matchers) align on. `groups` must not be empty, nor any group.
  static func firstCommonDocument<Member>(_ groups: [[Member]], from target: UInt32, advance: (Member, UInt32) -> UInt32) -> UInt32? {
    var doc = target
    var aligned = false
    while !aligned {
      aligned = true
      for group in groups {
        let d = group.reduce(PostingsCursor.exhausted) { min($0, advance($1, doc)) }
        if d == PostingsCursor.exhausted { return nil }
        if d > doc {
          doc = d
          aligned = false
        }
      }
    }
    return doc
  }

  /// When the query is one required phrase of a single term and nothing else (a quoted word, a
  /// lone number), its matchers' term scorers: the phrase is then the union of that term's lists
  /// in its fields, and block-max MaxScore over them, summed in the order the phrase path sums its
  /// matchers, gives the same hits and Doubles at the OR path's speed. Nil otherwise.
  static func loneTermScorers(_ phraseClauses: [[PhraseMatcher]], _ termScorers: [TermScorer]) -> [TermScorer]? {
    guard phraseClauses.count == 1, termScorers.isEmpty else { return nil }
    var scorers: [TermScorer] = []
    for matcher in phraseClauses[0] {
      guard let s = matcher.termScorer else { return nil }
      scorers.append(s)
    }
    return scorers
  }

  /// The reference evaluation: every matching document is scored and offered. Returns the number
  /// of matching documents.
  static func exhaustive(termScorers: [TermScorer], phraseClauses: [[PhraseMatcher]], boosts: [PhraseMatcher], into collector: inout TopKCollector) -> Int {
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
      // Every required phrase aligned on one document.
      while let doc = firstCommonDocument(phraseClauses, from: target, advance: { $0.advance(to: $1) }) {
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
    return matches
  }

  private func lookup(_ term: ParsedQuery.Term) throws(IndexError) -> [TermFieldInfo?]? { try index.lookup(term.bytes) }

  /// The optional terms to score and their weights: every word at 1, then every gram at
  /// `gramWeight` (none at 0). A two-character Chinese word whose bigram is among the query's grams
  /// (so the query, and the index, were segmented with grams) is scored through that bigram: the
  /// index keeps no list of its own for it (`Segmenter.isBigramWord`), and the bigram's list holds
  /// every document where the word was segmented, at the same positions. The bigram then weighs
  /// 1 + `gramWeight`, one scorer where there were two near-copies: on the development sets MRR@10
  /// moved by −0.0003 (news) and −0.0011 (policy), and queries ran 26 % faster at p50 (issue #4).
  static func weightedTerms(_ query: ParsedQuery, gramWeight: Double) -> [(ParsedQuery.Term, Double)] {
    // Linear searches up to `DistinctTerms.linearLimit` terms, as the parser does.
    let gramSet = query.gramTerms.count > DistinctTerms.linearLimit ? Set(query.gramTerms) : nil
    var terms = DistinctTerms(reservingCapacity: query.terms.count + query.gramTerms.count)
    var weights: [Double] = []
    weights.reserveCapacity(query.terms.count + query.gramTerms.count)
    func add(_ term: ParsedQuery.Term, _ weight: Double) {
      let (position, inserted) = terms.insert(term)
      if inserted { weights.append(weight) } else { weights[position] += weight }
    }
    for word in query.terms {
      if word.bytes.withUnsafeBytes({ Segmenter.isBigramWord($0) }) {
        let bigram = ParsedQuery.Term([Segmenter.gramPrefix] + word.bytes)
        if gramSet?.contains(bigram) ?? query.gramTerms.contains(bigram) {
          add(bigram, 1)
          continue
        }
      }
      add(word, 1)
    }
    if gramWeight > 0 { for gram in query.gramTerms { add(gram, gramWeight) } }
    return Array(zip(terms.items, weights))
  }
}
