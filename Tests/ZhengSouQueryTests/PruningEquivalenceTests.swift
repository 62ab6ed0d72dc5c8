import Testing
import ZhengSouTestSupport
import ZhengSouFormat
import ZhengSouIndex
@testable import ZhengSouQuery
import ZhengSouRanking

/// Pruned evaluation (block-max MaxScore, bounded phrase candidates) must return exactly what
/// exhaustive evaluation returns: the same documents in the same order with the same Doubles.
@Suite struct PruningEquivalenceTests {
  /// 4,000 documents over a Zipf-like vocabulary: the frequent words span many 128-document
  /// blocks, and their frequencies and lengths vary between runs of documents, so block bounds
  /// differ from each other and from term bounds.
  static let vocabulary: [String] = (0..<400).map { "w\($0)" }
  static let docs: [[[String]]] = {
    var rng = SplitMix64(seed: 4)
    // Word i has weight 1/(i+1): w0 is in most documents, w399 in a few.
    let weights = vocabulary.indices.map { 1.0 / Double($0 + 1) }
    let total = weights.reduce(0, +)
    var cumulative: [Double] = []
    var sum = 0.0
    for w in weights {
      sum += w / total
      cumulative.append(sum)
    }
    func word(_ rng: inout SplitMix64) -> String {
      let u = Double(rng.next() >> 11) / Double(1 << 53)
      var lo = 0, hi = cumulative.count - 1
      while lo < hi {
        let mid = (lo + hi) / 2
        if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
      }
      return vocabulary[lo]
    }
    return (0..<4000).map { d in
      // Four runs of 1,000 documents differ, so that block bounds differ a lot from block to block
      // (as a topic's terms cluster in time in a news index): a burst of long documents repeating
      // a frequent word, short documents of distinct words (tf 1: low bounds), then a mix of
      // lengths from 1 to 60 where each document repeats one word (skewed tf, high bounds).
      let run = d / 1000
      let length = run == 1 ? 1 + Int(rng.next() % 4) : run == 0 ? 30 + Int(rng.next() % 30) : 1 + Int(rng.next() % (d % 7 == 0 ? 60 : 10))
      let burst = run == 0
      let repeated = burst ? vocabulary[Int(rng.next() % 8)] : word(&rng)
      var body: [String] = []
      while body.count < length {
        let w = run != 1 && rng.next() % (burst ? 2 : 3) == 0 ? repeated : word(&rng)
        if run != 1 || !body.contains(w) { body.append(w) }
      }
      let title = (0..<Int(rng.next() % 6)).map { _ in word(&rng) }
      return [title, body]
    }
  }()

  static let reader: Result<IndexReader, any Error> = Result { try openIndex(docs, name: "pruning.zsx") }

  @Test func prunedEqualsExhaustiveOnGeneratedQueries() throws {
    let searcher = Searcher(index: try Self.reader.get())
    // The same with one-word windows and room for one record at first: windows end at the cap
    // and the records grow many times within a query.
    let cramped = Searcher(index: try Self.reader.get())
    cramped.maxScoreCapacities = .init(window: 64, records: 1)
    var rng = SplitMix64(seed: 2027)
    let bands = [0..<8, 8..<60, 60..<400]  // frequent, medium, rare
    func pick(_ rng: inout SplitMix64) -> ParsedQuery.Term {
      let band = bands[Int(rng.next() % 3)]
      return .init(Self.vocabulary[band.lowerBound + Int(rng.next() % UInt64(band.count))])
    }
    var queries = 0, lowerBounds = 0, nonEmpty = 0
    for q in 0..<2000 {
      let termCount = 1 + Int(rng.next() % 6)
      var terms: [ParsedQuery.Term] = []
      for _ in 0..<termCount {
        let t = pick(&rng)
        if !terms.contains(t) { terms.append(t) }
      }
      // Split the words between the two optional groups (grams are weighed by gramWeight).
      let split = Int(rng.next() % UInt64(terms.count + 1))
      var phrases: [ParsedQuery.Phrase] = []
      if q % 4 == 3 {
        // A phrase copied from a document (so it matches), of 1–3 words, sometimes two of them.
        for _ in 0..<(1 + Int(rng.next() % 2)) {
          let doc = Self.docs[Int(rng.next() % UInt64(Self.docs.count))][1]
          let length = min(doc.count, 1 + Int(rng.next() % 3))
          let start = Int(rng.next() % UInt64(doc.count - length + 1))
          phrases.append(.init(terms: doc[start..<(start + length)].map { .init($0) }, offsets: Array(0..<length)))
        }
      }
      let query = ParsedQuery(terms: Array(terms[..<split]), phrases: phrases, gramTerms: Array(terms[split...]))
      var options = SearchOptions(limit: [1, 10, 100, 3][q % 4 == 0 ? 3 : Int(rng.next() % 3)])
      if q % 5 == 0 {
        // Other BM25 parameters and weights, including b = 0 (no length part) and a zero weight.
        options.bm25 = BM25Parameters(k1: [0.3, 1.2, 2.5][Int(rng.next() % 3)], b: [0, 0.5, 1][Int(rng.next() % 3)])
        options.fieldWeights = ["title": [0, 1, 3][Int(rng.next() % 3)]]
        options.gramWeight = [0, 0.25, 1][Int(rng.next() % 3)]
      }
      var exhaustiveOptions = options
      exhaustiveOptions.exhaustive = true
      let reference = try searcher.search(query, options: exhaustiveOptions)
      let pruned = try searcher.search(query, options: options)
      queries += 1
      if !reference.hits.isEmpty { nonEmpty += 1 }
      #expect(reference.matches.isExact)
      // Same ids, same order, and the same Doubles (SearchHit's == compares scores exactly).
      #expect(pruned.hits == reference.hits, "query \(q): \(query), k = \(options.limit)")
      let crampedHits = try cramped.search(query, options: options).hits
      #expect(crampedHits == reference.hits, "query \(q), small scratch: \(query), k = \(options.limit)")
      if pruned.matches.isExact {
        #expect(pruned.matches.value == reference.matches.value, "query \(q)")
      } else {
        lowerBounds += 1
        #expect(pruned.matches.value <= reference.matches.value, "query \(q)")
        #expect(reference.hits.count == options.limit, "a count is inexact only when k hits were found")
      }
    }
    #expect(queries == 2000)
    #expect(nonEmpty > 1600)
    #expect(lowerBounds > 600, "pruning skipped documents in many queries")
  }

  /// Conjunctions (block-max AND): one to three required phrases, mostly single frequent or
  /// medium words, with and without optional terms (one lone word runs as MaxScore over its
  /// fields' lists). Ranges whose block bounds cannot beat θ are
  /// passed over, and candidates come only from the matchers whose bounds do not fit under θ; the
  /// hits must still be exhaustive evaluation's, Double for Double.
  @Test func prunedConjunctionsEqualExhaustive() throws {
    let searcher = Searcher(index: try Self.reader.get())
    var rng = SplitMix64(seed: 2028)
    let bands = [0..<8, 8..<60]
    var lowerBounds = 0, nonEmpty = 0
    for q in 0..<1500 {
      var phrases: [ParsedQuery.Phrase] = []
      for _ in 0..<(1 + Int(rng.next() % 3)) {
        if rng.next() % 4 == 0 {
          // Two words copied from a document's body, so that positions decide.
          let doc = Self.docs[Int(rng.next() % UInt64(Self.docs.count))][1]
          guard doc.count >= 2 else { continue }
          let start = Int(rng.next() % UInt64(doc.count - 1))
          phrases.append(.init(terms: doc[start..<(start + 2)].map { .init($0) }, offsets: [0, 1]))
        } else {
          let band = bands[Int(rng.next() % 2)]
          let word = Self.vocabulary[band.lowerBound + Int(rng.next() % UInt64(band.count))]
          phrases.append(.init(terms: [.init(word)], offsets: [0]))
        }
      }
      let terms = (0..<Int(rng.next() % 4)).map { _ in ParsedQuery.Term(Self.vocabulary[Int(rng.next() % 400)]) }
      let query = ParsedQuery(terms: terms, phrases: phrases, gramTerms: [])
      var options = SearchOptions(limit: [1, 3, 10, 50][Int(rng.next() % 4)])
      if q % 5 == 0 {
        options.bm25 = BM25Parameters(k1: [0.3, 1.2][Int(rng.next() % 2)], b: [0, 0.75, 1][Int(rng.next() % 3)])
        options.fieldWeights = ["title": [0, 1, 4][Int(rng.next() % 3)]]
      }
      var exhaustiveOptions = options
      exhaustiveOptions.exhaustive = true
      let reference = try searcher.search(query, options: exhaustiveOptions)
      let pruned = try searcher.search(query, options: options)
      if !reference.hits.isEmpty { nonEmpty += 1 }
      #expect(pruned.hits == reference.hits, "query \(q): \(query), k = \(options.limit)")
      if pruned.matches.isExact {
        #expect(pruned.matches.value == reference.matches.value, "query \(q)")
      } else {
        lowerBounds += 1
        #expect(pruned.matches.value <= reference.matches.value, "query \(q)")
      }
    }
    #expect(nonEmpty > 1000)
    #expect(lowerBounds > 500, "pruning skipped documents in many queries")
  }

  /// Damaged postings (their checksums are trusted until `verify`): block-max AND reads skip
  /// entries it did not read before, so conjunctions over indexes with flipped bytes must end with
  /// hits or an `IndexError`, pruned and exhaustive, never a trap (a debug build checks every
  /// load's bounds).
  @Test func damagedPostingsNeverTrapAConjunction() throws {
    let intact = try indexBytes(Array(Self.docs.prefix(1500)))
    // The postings (with their skip entries) and the positions: what opening does not check.
    let regions = try intact.withUnsafeBytes { (file) throws(FormatError) in
      let container = try IndexFileReader(file, supportedVersions: IndexFormat.supportedVersions)
      return [IndexFormat.postings, IndexFormat.positions].compactMap { container.entry($0) }.map { $0.offset..<($0.offset + $0.length) }
    }
    #expect(regions.count == 2)
    var rng = SplitMix64(seed: 2029)
    var opened = 0, failed = 0
    for variant in 0..<40 {
      var bytes = intact
      // Eight flips in those sections.
      for _ in 0..<8 {
        let region = regions[Int(rng.next() % UInt64(regions.count))]
        bytes[region.lowerBound + Int(rng.next() % UInt64(region.count))] ^= UInt8(1 + rng.next() % 255)
      }
      guard let reader = try? openIndex(bytes: bytes, name: "damaged-\(variant).zsx") else { continue }
      opened += 1
      let searcher = Searcher(index: reader)
      for _ in 0..<10 {
        let phrases = (0..<(2 + Int(rng.next() % 2))).map { _ in
          ParsedQuery.Phrase(terms: [.init(Self.vocabulary[Int(rng.next() % 60)])], offsets: [0])
        }
        let terms = (0..<Int(rng.next() % 3)).map { _ in ParsedQuery.Term(Self.vocabulary[Int(rng.next() % 400)]) }
        let query = ParsedQuery(terms: terms, phrases: phrases, gramTerms: [])
        for exhaustive in [false, true] {
          do {
            _ = try searcher.search(query, options: SearchOptions(limit: 3, exhaustive: exhaustive))
          } catch {
            failed += 1
          }
        }
      }
    }
    #expect(opened > 20)
    #expect(failed > 0, "some damage was found while searching")
  }

  /// An optional term's bound also holds only up to its block's end: a range is ended there even
  /// when the phrase's blocks reach further, so a later block where the term scores higher is read.
  @Test func optionalTermsEndRangesAtTheirBlocks() throws {
    // "a" (required) in the body of every tenth document: two blocks, 0–1270 and 1280–1990. "c"
    // (optional) in every second: blocks of 256 documents, once each below 1000 and five times
    // from 1000 on. Documents 0, 10 and 20 also have "a" in the title: they fill the top 3.
    let docs: [[[String]]] = (0..<2000).map { d in
      let c = d % 2 == 0 ? Array(repeating: "c", count: d < 1000 ? 1 : 5) : []
      let a = d % 10 == 0 ? ["a"] : []
      let body = a + c + (0..<(10 - a.count - c.count)).map { "x\(($0 + d) % 30)" }
      return [d <= 20 && d % 10 == 0 ? ["a"] : ["t"], body]
    }
    let searcher = Searcher(index: try openIndex(docs, name: "term-ranges.zsx"))
    let query = ParsedQuery(terms: [.init("c")], phrases: [.init(terms: [.init("a")], offsets: [0])], gramTerms: [])
    let options = SearchOptions(limit: 3, fieldWeights: ["title": 0.04])
    var reference = options
    reference.exhaustive = true
    let exhaustive = try searcher.search(query, options: reference)
    let pruned = try searcher.search(query, options: options)
    #expect(pruned.hits == exhaustive.hits)
    #expect(exhaustive.hits.map(\.document) == [1000, 1010, 1020], "\(exhaustive.hits)")
    #expect(searcher.lastConjunctionCandidates < 150, "candidates: \(searcher.lastConjunctionCandidates)")
  }

  /// The conjunction `"a" "b"` with k = 3 over an index of `docs`, pruned and exhaustive.
  static func aAndB(_ docs: [[[String]]], name: String) throws -> (Searcher, pruned: [SearchHit], exhaustive: (hits: [SearchHit], matches: MatchCount)) {
    let searcher = Searcher(index: try openIndex(docs, name: name))
    let query = ParsedQuery(terms: [], phrases: [.init(terms: [.init("a")], offsets: [0]), .init(terms: [.init("b")], offsets: [0])], gramTerms: [])
    let options = SearchOptions(limit: 3)
    var reference = options
    reference.exhaustive = true
    let exhaustive = try searcher.search(query, options: reference)
    return (searcher, try searcher.search(query, options: options).hits, exhaustive)
  }

  /// Block-max AND draws a conjunction's candidates from the matchers that can still beat θ: once
  /// the top k hold title matches, documents matching only in the body are not visited.
  @Test func titleMatchesDrawTheConjunctionsCandidates() throws {
    // 2,000 documents, all with "a" and "b" in the body; every hundredth also in the title.
    let docs: [[[String]]] = (0..<2000).map { d in
      [d % 100 == 0 ? ["a", "b"] : ["t"], ["a", "x\(d % 50)", "b", "y"]]
    }
    let (searcher, pruned, exhaustive) = try Self.aAndB(docs, name: "conjunction.zsx")
    #expect(pruned == exhaustive.hits)
    #expect(pruned.map(\.document) == [0, 100, 200])
    #expect(exhaustive.matches.value == 2000)
    // Every document is a candidate until the three title matches are kept (documents 0 to 200);
    // after them only the seventeen later title matches are.
    #expect(searcher.lastConjunctionCandidates < 240, "candidates: \(searcher.lastConjunctionCandidates)")
  }

  /// A range's bounds hold only up to the nearest end of the blocks they were read from: after
  /// ranges that cannot beat θ are passed over, later blocks that score higher must still be read.
  @Test func laterBlocksWithHigherBoundsStillCount() throws {
    // Documents 0–2: short bodies with "a" and "b" twice (they fill the top 3); 3–999: long bodies
    // holding them once (low scores, ranges to pass over); 1000–1999: short bodies holding them
    // three times (the best scores).
    let docs: [[[String]]] = (0..<2000).map { d in
      if d < 3 { return [["t"], ["a", "a", "b", "b"]] }
      if d < 1000 { return [["t"], ["a", "b"] + (0..<40).map { "x\(($0 + d) % 60)" }] }
      return [["t"], ["a", "a", "a", "b", "b", "b", "y"]]
    }
    let (searcher, pruned, exhaustive) = try Self.aAndB(docs, name: "later-blocks.zsx")
    #expect(pruned == exhaustive.hits)
    #expect(exhaustive.hits.map(\.document) == [1000, 1001, 1002], "the later bodies score best")
    // Blocks 1–6 of each list (documents 128–895) are passed over unread; the 1,000 later bodies
    // all tie the 3rd score, so they are all candidates.
    #expect(searcher.lastConjunctionCandidates < 1300, "candidates: \(searcher.lastConjunctionCandidates)")
  }

  /// The bound a window uses (`shallowAdvance`, then the largest block bound up to the window's
  /// end) is at least every score of the term in that window, for windows of any size and start.
  @Test func windowBoundsCoverEveryScore() throws {
    let reader = try Self.reader.get()
    var rng = SplitMix64(seed: 5)
    let n = reader.documentCount
    var checked = 0
    for word in Self.vocabulary.prefix(40) {
      guard let infos = try reader.lookup(word) else { continue }
      for (f, info) in infos.enumerated() {
        guard let info else { continue }
        let table = LengthNormBuffer(LengthNormTable(parameters: .default, averageFieldLength: reader.metadata.averageLength(field: f)))
        func scorer() -> TermScorer {
          TermScorer(cursor: reader.cursor(info), idf: BM25.idf(docFrequency: info.docFrequency, documentCount: n),
                     fieldWeight: 1, lengthNorms: table, k1: 1.2, norms: reader.norms(field: f))
        }
        let probe = scorer(), walker = scorer()
        var start: UInt32 = 0
        while start < UInt32(n) {
          let end = min(UInt32(n - 1), start + UInt32(rng.next() % 600))
          let b = probe.cursor.shallowAdvance(to: max(start, probe.cursor.doc))
          let bound = b < probe.cursor.blockCount ? probe.bound(fromBlock: b, through: end) : 0
          var d = walker.cursor.advance(to: start)
          while d <= end && d != PostingsCursor.exhausted {
            #expect(walker.score() <= bound, "\(word) field \(f) doc \(d) in \(start)...\(end)")
            checked += 1
            d = walker.cursor.next()
          }
          start = end + 1
        }
      }
    }
    #expect(checked > 10_000)
  }

  /// The non-essential set is chosen by bound per posting, not by bound alone: a frequent word
  /// whose bound is the larger (weight 1, where the rare gram weighs 0.25) is left out of the
  /// candidates once the threshold allows it, and the rare gram draws them. Ordered by bound
  /// alone, the word was the essential scorer and each of its documents a candidate.
  @Test func rareTermsDrawTheCandidates() throws {
    // 2,000 documents: the word "a" in every tenth, the gram "b" in every hundredth and in 10 and
    // 20 (so always with "a"; the first window then holds three documents of both).
    let docs: [[[String]]] = (0..<2000).map { d in
      var body = ["x\(d % 50)", "y"]
      if d % 10 == 0 { body.append("a") }
      if d % 100 == 0 || d == 10 || d == 20 { body.append("b") }
      return [["t"], body]
    }
    let searcher = Searcher(index: try openIndex(docs, name: "rare-terms.zsx"))
    let query = ParsedQuery(terms: [.init("a")], phrases: [], gramTerms: [.init("b")])
    let options = SearchOptions(limit: 3, gramWeight: 0.25)
    var reference = options
    reference.exhaustive = true
    let pruned = try searcher.search(query, options: options)
    let exhaustive = try searcher.search(query, options: reference)
    #expect(pruned.hits == exhaustive.hits)
    #expect(exhaustive.matches.value == 200)
    #expect(pruned.hits.map(\.document) == [0, 10, 20])
    // Every scorer is essential until 3 hits are kept (the first window, 62 documents, 7 of them
    // with "a"); after it only the 19 later documents of "b" are candidates, not the 193 of "a".
    #expect(pruned.matches.value < 40, "candidates: \(pruned.matches.value)")
  }

  @Test func adjacencyBoostsStillWork() throws {
    let searcher = Searcher(index: try Self.reader.get())
    let boost = ParsedQuery.Phrase(terms: [.init("w0"), .init("w1")], offsets: [0, 1])
    let query = ParsedQuery(terms: [.init("w0"), .init("w1"), .init("w7")], phrases: [], adjacencyBoosts: [boost])
    let plain = try searcher.search(query, options: SearchOptions(limit: 10, adjacencyBoost: 0))
    let boosted = try searcher.search(query, options: SearchOptions(limit: 10, adjacencyBoost: 1))
    let reference = try searcher.search(query, options: SearchOptions(limit: 10, adjacencyBoost: 1, exhaustive: true))
    #expect(boosted.hits == reference.hits)
    #expect(boosted.matches.isExact, "boosts fall back to exhaustive evaluation")
    #expect(boosted.hits != plain.hits, "the boost changes the ranking")
  }
}
