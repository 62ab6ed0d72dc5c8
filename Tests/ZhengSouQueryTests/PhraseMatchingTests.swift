import Testing
import ZhengSouTestSupport
import ZhengSouIndex
import ZhengSouQuery

/// Phrase queries must match exactly the documents containing the phrase in one field.
@Suite struct PhraseMatchingTests {
  @Test func phrasesMatchExactlyTheDocumentsThatContainThem() throws {
    var rng = SplitMix64(seed: 11)
    let vocabulary = ["中国", "农业", "发展", "银行", "改革", "的", "和", "建设"]
    // 400 documents so that frequent words span several postings blocks.
    let docs: [[[String]]] = (0..<400).map { _ in
      [(0..<Int.random(in: 0...3, using: &rng)).map { _ in vocabulary.randomElement(using: &rng)! },
       (0..<Int.random(in: 1...40, using: &rng)).map { _ in vocabulary.randomElement(using: &rng)! }]
    }
    let reader = try openIndex(docs, name: "phrases.zsx")
    let searcher = Searcher(index: reader)

    func contains(_ tokens: [String], _ phrase: [String]) -> Bool {
      guard tokens.count >= phrase.count else { return false }
      return (0...(tokens.count - phrase.count)).contains { Array(tokens[$0..<($0 + phrase.count)]) == phrase }
    }

    var nonEmpty = 0
    for length in 1...4 {
      for _ in 0..<40 {
        let phrase = (0..<length).map { _ in vocabulary.randomElement(using: &rng)! }
        let query = ParsedQuery(terms: [], phrases: [.init(terms: phrase.map { .init($0) }, offsets: Array(0..<length))])
        let (hits, matches) = try searcher.search(query, options: .init(limit: 1000))
        let expected = Set(docs.indices.filter { contains(docs[$0][0], phrase) || contains(docs[$0][1], phrase) })
        #expect(Set(hits.map(\.document)) == expected, "phrase \(phrase)")
        #expect(matches == MatchCount(expected.count), "fewer matches than k: the count is exact")
        if !expected.isEmpty { nonEmpty += 1 }
      }
    }
    #expect(nonEmpty > 40)
  }

  @Test func phrasesAreRequiredAndTermsOptional() throws {
    let docs: [[[String]]] = [
      [[], ["农业", "发展", "银行"]],
      [[], ["发展", "农业", "银行"]],
      [[], ["银行"]],
      [["农业", "发展"], ["其他"]],
    ]
    let reader = try openIndex(docs, name: "required.zsx")
    let q = ParsedQuery(terms: [.init("银行")], phrases: [.init(terms: [.init("农业"), .init("发展")], offsets: [0, 1])])
    let (hits, _) = try Searcher(index: reader).search(q)
    #expect(Set(hits.map(\.document)) == [0, 3], "phrase required; 银行 only adds score")
    #expect(hits.first?.document == 0 || hits.first?.document == 3)
    // A phrase that occurs across the title/body boundary does not match.
    let cross = ParsedQuery(terms: [], phrases: [.init(terms: [.init("发展"), .init("其他")], offsets: [0, 1])])
    #expect(try Searcher(index: reader).search(cross).hits.isEmpty)
  }
}
