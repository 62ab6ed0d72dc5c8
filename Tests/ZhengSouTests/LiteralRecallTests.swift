import Testing
import ZhengSou

/// Issue #3's literal-recall guarantee over the bundled Corpus: sampled CJK strings of 2–6
/// characters are found exactly as phrases (the same documents as a substring scan) and among the
/// hits of a plain search.
@Suite struct LiteralRecallTests {
  @Test func sampledStringsAreFoundExactly() throws {
    let index = try SearchIndex(path: try CorpusFixture.path())
    let report = try LiteralRecallCheck.run(index: index, samples: 250, seed: 2026)
    #expect(report.samples == 250)
    #expect(report.expected > 1000, "the samples occur in many documents")
    for f in report.failures.prefix(10) {
      Issue.record("\(f.text): missing \(f.missing), extra \(f.extra), plain missing \(f.plainMissing)")
    }
    #expect(report.phraseRecall == 1 && report.phrasePrecision == 1 && report.plainRecall == 1)
  }

  @Test func aSubstringAcrossWordBoundariesIsFound() throws {
    // 农业 inside 中国农业发展银行-style compounds, and 业发 across two words.
    let index = try SearchIndex(path: try CorpusFixture.path())
    for text in ["农业", "业发", "富裕示范"] {
      let phrase = try index.search("\"\(text)\"", options: .init(limit: 100))
      #expect(!phrase.results.isEmpty, "\(text)")
      for r in phrase.results {
        // Normalized, field by field: a Traditional document (業發) matches through T→S folding.
        let fields = [r.document.title, r.document.body].map { index.segmenter.normalize($0) }
        #expect(fields.contains { $0.contains(text) }, "\(text) in \(r.document.id)")
      }
    }
  }
}
