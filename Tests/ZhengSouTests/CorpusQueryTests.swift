import Foundation
import ZhengSouTestSupport
import Testing
import ZhengSou

/// One line of Golden/corpus-queries.tsv.
struct CorpusQueryCase: CustomTestStringConvertible, Sendable {
  var query: String
  var within: Int
  var expected: [String]
  var testDescription: String { "\(query) → \(expected.joined(separator: ", ")) within \(within)" }

  static func load() -> [CorpusQueryCase] {
    guard let url = Bundle.module.url(forResource: "Golden/corpus-queries", withExtension: "tsv"),
      let text = try? String(contentsOf: url, encoding: .utf8)
    else { return [] }
    return text.split(separator: "\n").compactMap { line in
      guard !line.hasPrefix("#") else { return nil }
      let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard cols.count == 3, let within = Int(cols[1]) else { return nil }
      return CorpusQueryCase(query: String(cols[0]), within: within, expected: cols[2].split(separator: " ").map(String.init))
    }
  }
}

@Suite struct CorpusQueryTests {
  @Test func theCaseFileHasEnoughCases() {
    #expect(CorpusQueryCase.load().count >= 15)
  }

  @Test(arguments: CorpusQueryCase.load())
  func expectedDocumentsRankHigh(_ c: CorpusQueryCase) throws {
    let index = try SearchIndex(path: try CorpusFixture.path())
    let response = try index.search(c.query, options: SearchOptions(limit: c.within))
    let ids = response.results.map(\.document.id)
    for id in c.expected {
      #expect(ids.contains(id), "\(c.query): \(id) not in top \(c.within): \(ids)")
    }
  }

  @Test func traditionalQueriesRankLikeTheirSimplifiedForm() throws {
    let index = try SearchIndex(path: try CorpusFixture.path())
    for (traditional, simplified) in [("國務院關於推動經濟高質量發展", "国务院关于推动经济高质量发展"), ("論聯合政府", "论联合政府"), ("共同富裕", "共同富裕")] {
      let a = try index.searchOrdinals(traditional, options: .init(limit: 20))
      let b = try index.searchOrdinals(simplified, options: .init(limit: 20))
      #expect(!a.hits.isEmpty)
      #expect(a.hits == b.hits, "\(traditional) vs \(simplified)")
    }
  }

  @Test func fullWidthAndCaseFold() throws {
    let index = try SearchIndex(path: try CorpusFixture.path())
    let forms = ["GDP", "gdp", "ＧＤＰ", "Gdp"].map { try? index.searchOrdinals($0, options: .init(limit: 50)).hits }
    #expect(forms[0]?.isEmpty == false)
    #expect(Set(forms.map { $0.map { $0.map(\.document) } ?? [] }).count == 1)
  }

  @Test func phraseResultsContainThePhrase() throws {
    let index = try SearchIndex(path: try CorpusFixture.path())
    let segmenter = try Segmenter()
    let texts = CorpusFixture.normalizedTexts
    for phrase in ["共同富裕", "人民公社", "一带一路", "新质生产力", "之江国家旅游度假区", "改革开放", "5.4%"] {
      let response = try index.search("\"\(phrase)\"", options: .init(limit: 1000))
      let needle = segmenter.normalize(phrase)
      #expect(!response.results.isEmpty, "\(phrase) finds something")
      for r in response.results {
        #expect(texts[r.document.id]?.contains(needle) == true, "\(phrase): \(r.document.id) does not contain it")
      }
    }
  }

  @Test func highlightsPointAtMatchedText() throws {
    let index = try SearchIndex(path: try CorpusFixture.path())
    let segmenter = try Segmenter()
    let response = try index.search("國務院 共同富裕 GDP", options: .init(limit: 10))
    let terms = Set(["国务院", "共同", "富裕", "共同富裕", "gdp"])
    var checked = 0
    for r in response.results {
      for h in [r.title, r.snippet] {
        let bytes = Array(h.text.utf8)
        for range in h.ranges {
          let surface = String(decoding: bytes[range], as: UTF8.self)
          let normalized = segmenter.normalize(surface)
          #expect(terms.contains(normalized), "highlight \(surface) → \(normalized)")
          checked += 1
        }
      }
    }
    #expect(checked > 10)
  }

  @Test func anIndexFromAnotherSegmenterIsRefused() throws {
    let dir = makeTemporaryDirectory()
    let path = dir.appendingPathComponent("other.zsx").path
    var options = IndexBuildOptions()
    options.segmenter.traditionalToSimplified = false
    _ = try IndexingPipeline.build(paths: [repositoryRoot.appendingPathComponent("Corpus/seeds.jsonl").path], output: path, options: options)
    #expect(throws: ZhengSouError.self) { try SearchIndex(path: path) }
    do {
      _ = try SearchIndex(path: path)
    } catch {
      #expect("\(error)".contains("different segmenter"))
    }
  }

  @Test func aFailedBuildLeavesTheOldIndexIntact() throws {
    let dir = makeTemporaryDirectory()
    let path = dir.appendingPathComponent("keep.zsx").path
    _ = try IndexingPipeline.build(paths: [repositoryRoot.appendingPathComponent("Corpus/seeds.jsonl").path], output: path)
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    let empty = dir.appendingPathComponent("empty.txt")
    try Data().write(to: empty)
    var problems: [IngestionProblem] = []
    #expect(throws: ZhengSouError.self) {
      try IndexingPipeline.build(paths: [empty.path, dir.appendingPathComponent("missing.jsonl").path], output: path, onProblem: { problems.append($0) })
    }
    #expect(problems.count == 2)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    #expect(try SearchIndex(path: path).reader.documentCount == 5)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp") }
    #expect(leftovers.isEmpty)
  }

  @Test func theIndexVerifiesAndCountsTheCorpus() throws {
    let reader = try IndexReader(path: try CorpusFixture.path())
    try reader.verify()
    #expect(reader.documentCount == 93)
    #expect(reader.fieldNames == ["title", "body", "lead"], "the lead is derived from the body")
  }
}
