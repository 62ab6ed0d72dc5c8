import Foundation
import Testing
import ZhengSouTestSupport
import ZhengSouIndex
import ZhengSouQuery
import ZhengSouRanking

/// Scores from the searcher must equal a direct, independent evaluation of the BM25 formula.
@Suite struct BM25ReferenceTests {
  // Field lengths stay below 24, where the one-byte norm is exact.
  let docs: [[[String]]] = [
    [["农业", "银行"], ["中国", "农业", "发展", "银行", "支持", "农业"]],
    [["发展"], ["发展", "是", "第一", "要务", "发展"]],
    [[], ["农业", "农村", "农民"]],
    [["银行", "改革"], ["银行", "银行", "银行", "改革", "深化", "金融", "体制", "改革"]],
    [["报告"], ["政府", "工作", "报告"]],
  ]

  /// The reference: Okapi BM25 with Lucene's idf, summed over fields with field weights.
  func reference(_ query: [String], doc d: Int, p: BM25Parameters, weights: [Double]) -> Double {
    let n = Double(docs.count)
    var total = 0.0
    for f in 0..<2 {
      let avg = Double(docs.map { $0[f].count }.reduce(0, +)) / n
      for term in query {
        let tf = Double(docs[d][f].filter { $0 == term }.count)
        guard tf > 0 else { continue }
        let df = Double(docs.filter { $0[f].contains(term) }.count)
        let idf = log(1 + (n - df + 0.5) / (df + 0.5))
        let len = Double(docs[d][f].count)
        total += weights[f] * idf * tf * (p.k1 + 1) / (tf + p.k1 * (1 - p.b + p.b * len / avg))
      }
    }
    return total
  }

  @Test(arguments: [
    (BM25Parameters(k1: 1.2, b: 0.75), 2.0),
    (BM25Parameters(k1: 0.9, b: 0.4), 1.0),
    (BM25Parameters(k1: 2.0, b: 1.0), 3.5),
  ])
  func scoresEqualTheReference(p: BM25Parameters, titleWeight: Double) throws {
    let reader = try openIndex(docs, name: "bm25-\(p.k1)-\(p.b).zsx")
    let searcher = Searcher(index: reader)
    for query in [["农业"], ["银行", "改革"], ["发展", "农业", "报告"], ["不存在", "农民"]] {
      let parsed = ParsedQuery(terms: query.map { ParsedQuery.Term($0) }, phrases: [])
      let (hits, matches) = try searcher.search(parsed, options: SearchOptions(limit: 10, bm25: p, fieldWeights: ["title": titleWeight], exhaustive: true))
      var expected: [SearchHit] = []
      for d in docs.indices {
        let score = reference(query, doc: d, p: p, weights: [titleWeight, 1])
        if score > 0 { expected.append(SearchHit(document: d, score: score)) }
      }
      expected.sort { $0.ranksBefore($1) }
      #expect(matches == MatchCount(expected.count), "\(query)")
      #expect(hits.map { $0.document } == expected.map { $0.document }, "\(query)")
      for (h, e) in zip(hits, expected) {
        #expect(abs(h.score - e.score) < 1e-9, "\(query) doc \(e.document): \(h.score) vs \(e.score)")
      }
    }
  }

  /// `maxDocumentFrequencyRatio` drops a term found in more than that share of the documents in
  /// every field (银行: two of five titles and bodies), but only when another term stays, so a
  /// query of common words still finds them; pruned and exhaustive alike.
  @Test func commonTermsAreCutOnlyBesideOthers() throws {
    let reader = try openIndex(docs, name: "common-cut.zsx")
    let searcher = Searcher(index: reader)
    for exhaustive in [false, true] {
      func documents(_ query: [String], ratio: Double) throws -> [Int] {
        let parsed = ParsedQuery(terms: query.map { ParsedQuery.Term($0) }, phrases: [])
        return try searcher.search(parsed, options: SearchOptions(limit: 10, maxDocumentFrequencyRatio: ratio, exhaustive: exhaustive)).hits.map(\.document)
      }
      #expect(try documents(["银行", "报告"], ratio: 1).sorted() == [0, 3, 4], "exhaustive \(exhaustive)")
      #expect(try documents(["银行", "报告"], ratio: 0.3) == [4], "exhaustive \(exhaustive)")
      #expect(try documents(["银行"], ratio: 0.3).sorted() == [0, 3], "exhaustive \(exhaustive)")
    }
  }

  @Test func tiesAreBrokenByDocumentOrder() throws {
    let same: [[[String]]] = Array(repeating: [["x"], ["同样", "内容"]], count: 30)
    let reader = try openIndex(same, name: "ties.zsx")
    let (hits, _) = try Searcher(index: reader).search(ParsedQuery(terms: [.init("同样")], phrases: []), options: .init(limit: 7))
    #expect(hits.map(\.document) == Array(0..<7))
  }

  /// The collector keeps the k best of any sequence of offers, ties by document order, for heaps
  /// of one level and of several, offered in document order (as searches do) or shuffled.
  @Test func topKKeepsTheBestHitsInOrder() {
    var rng = SplitMix64(seed: 5)
    let all = (0..<500).map { SearchHit(document: $0, score: Double(Int.random(in: 0..<50, using: &rng))) }
    for k in [1, 2, 3, 7, 20, 64, 600] {
      for shuffled in [false, true] {
        var c = TopKCollector(k: k)
        for h in shuffled ? all.shuffled(using: &rng) : all { c.offer(h) }
        let want = Array(all.sorted { $0.ranksBefore($1) }.prefix(k))
        #expect(c.results() == want, "k \(k), shuffled \(shuffled)")
      }
    }
  }
}
