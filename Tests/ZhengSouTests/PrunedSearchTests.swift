import Testing
import ZhengSou
import ZhengSouTestSupport

/// Over the bundled Corpus, the default (pruned) search returns exactly the exhaustive hits, for
/// generated queries built from the documents' own text: CJK words and strings (many bigram
/// terms), phrases, and mixes of rare and frequent terms.
@Suite struct PrunedSearchTests {
  @Test func prunedEqualsExhaustiveOnCorpusQueries() throws {
    let index = try SearchIndex(path: try CorpusFixture.path())
    let reader = index.reader
    var rng = SplitMix64(seed: 99)
    func random(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    // CJK runs of the stored texts of a few hundred documents, to draw query text from.
    var runs: [[Character]] = []
    for _ in 0..<300 {
      let doc = try reader.document(random(reader.documentCount))
      for text in [doc.title, String(doc.body.prefix(2000))] {
        var run: [Character] = []
        for c in text {
          if c.unicodeScalars.allSatisfy({ (0x4E00...0x9FFF).contains($0.value) }) {
            run.append(c)
          } else {
            if run.count >= 2 { runs.append(run) }
            run = []
          }
        }
        if run.count >= 2 { runs.append(run) }
      }
    }
    func snippet(_ length: Int) -> String {
      let run = runs[random(runs.count)]
      let n = min(length, run.count)
      let start = random(run.count - n + 1)
      return String(run[start..<(start + n)])
    }
    var lowerBounds = 0
    let count = 800
    for q in 0..<count {
      // 1–6 parts: 1–6 characters of CJK text each (short ones are frequent words, long ones rare),
      // a quarter of the queries with a quoted phrase.
      var parts = (0..<(1 + random(6))).map { _ in snippet(1 + random(6)) }
      if q % 4 == 1 { parts[0] = "\"\(parts[0])\"" }
      let text = parts.joined(separator: " ")
      let options = SearchOptions(limit: [1, 10, 100][random(3)])
      var exhaustive = options
      exhaustive.exhaustive = true
      let reference = try index.searchOrdinals(text, options: exhaustive)
      let pruned = try index.searchOrdinals(text, options: options)
      #expect(pruned.hits == reference.hits, "\(text), k = \(options.limit)")
      #expect(reference.matches.isExact)
      if pruned.matches.isExact {
        #expect(pruned.matches == reference.matches, "\(text)")
      } else {
        lowerBounds += 1
        #expect(pruned.matches.value <= reference.matches.value, "\(text)")
      }
    }
    #expect(lowerBounds > count / 4, "pruning skipped documents in many queries")
  }
}
