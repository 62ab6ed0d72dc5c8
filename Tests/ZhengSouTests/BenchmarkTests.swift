import Foundation
import ZhengSouTestSupport
import Testing
import ZhengSou

/// `zhengsou bench` (issue #4): percentile maths, the reproducible query generator, the in-process
/// timer and its results file (the peer harness's external-engine protocol), and the CLI.
@Suite struct BenchmarkTests {
  // MARK: Percentiles

  @Test func nearestRankPercentiles() {
    let hundred = (1...100).map(Double.init)
    #expect(LatencySummary.percentile(hundred, 50) == 50)
    #expect(LatencySummary.percentile(hundred, 95) == 95)
    #expect(LatencySummary.percentile(hundred, 99) == 99)
    #expect(LatencySummary.percentile(hundred, 100) == 100)
    #expect(LatencySummary.percentile(hundred, 0) == 1, "rank 0 is clamped to the first value")
    let ten = (1...10).map(Double.init)
    #expect(LatencySummary.percentile(ten, 50) == 5)
    #expect(LatencySummary.percentile(ten, 95) == 10, "⌈9.5⌉ = rank 10")
    #expect(LatencySummary.percentile(ten, 99) == 10)
    #expect(LatencySummary.percentile(ten, 10) == 1)
    #expect(LatencySummary.percentile(ten, 11) == 2)
    #expect(LatencySummary.percentile([7], 99) == 7)
    #expect(LatencySummary.percentile([], 50) == 0)

    let s = LatencySummary(milliseconds: [4, 1, 3, 2])  // any order
    #expect(s.count == 4 && s.p50 == 2 && s.p95 == 4 && s.p99 == 4 && s.max == 4)
    #expect(s.mean == 2.5 && s.total == 10)
    #expect(s.queriesPerSecond == 400, "4 queries in 10 ms")
    #expect(LatencySummary(milliseconds: []).queriesPerSecond == 0)
  }

  // MARK: Query generation

  @Test func bandsAreFractionsOfTheDocuments() {
    typealias G = BenchmarkQueryGenerator
    #expect(G.band(documentFrequency: 75, documents: 75_000) == .rare)
    #expect(G.band(documentFrequency: 76, documents: 75_000) == .medium)
    #expect(G.band(documentFrequency: 3_750, documents: 75_000) == .medium)
    #expect(G.band(documentFrequency: 3_751, documents: 75_000) == .frequent)
    #expect(G.band(documentFrequency: 1, documents: 93) == .rare, "a small index still has a rare band")
    #expect(G.band(documentFrequency: 2, documents: 93) == .medium)
    #expect(G.band(documentFrequency: 4, documents: 93) == .medium)
    #expect(G.band(documentFrequency: 5, documents: 93) == .frequent)
  }

  @Test func generationIsReproducibleAndKeepsItsBands() throws {
    let index = try SearchIndex(path: try CorpusFixture.path())
    let generator = try BenchmarkQueryGenerator(reader: index.reader, segmenter: index.segmenter)
    let a = try generator.generate(perClass: 20, seed: 7)
    let b = try BenchmarkQueryGenerator(reader: index.reader, segmenter: index.segmenter).generate(perClass: 20, seed: 7)
    #expect(a == b, "same index and seed, same queries")
    #expect(try generator.generate(perClass: 20, seed: 8) != a, "another seed, other queries")
    #expect(a.count == 200, "10 classes × 20 on the Corpus")
    #expect(Set(a.map(\.queryClass)).count == 10)
    let lengths = Set(a.filter { $0.queryClass != BenchmarkQueryGenerator.phraseClass }
      .flatMap { $0.text.split(separator: " ").map(\.unicodeScalars.count) })
    #expect(lengths.contains(2) && lengths.contains { $0 > 2 }, "two-character words (from bigrams) and longer ones: \(lengths)")

    let fields = index.reader.fieldNames.indices.filter { index.reader.fieldNames[$0] != "lead" }
    for q in a {
      if q.queryClass == BenchmarkQueryGenerator.phraseClass {
        #expect(q.text.hasPrefix("\"") && q.text.hasSuffix("\""))
        #expect((4...8).contains(q.text.unicodeScalars.count - 2))
        #expect(!(try index.searchOrdinals(q.text).hits.isEmpty), "a phrase from stored text matches: \(q.text)")
        continue
      }
      let parts = q.queryClass.split(separator: "/")
      let words = q.text.split(separator: " ")
      #expect("\(words.count)-word" == parts[0], "\(q.text) in \(q.queryClass)")
      #expect(Set(words).count == words.count, "distinct words")
      for w in words {
        // A two-character word is in the index as its bigram.
        let term = w.unicodeScalars.count == 2 ? [Segmenter.gramPrefix] + Array(w.utf8) : Array(w.utf8)
        let infos = try #require(try index.reader.lookup(term), "\(w)")
        let df = fields.map { infos[$0]?.docFrequency ?? 0 }.max() ?? 0
        let band = BenchmarkQueryGenerator.band(documentFrequency: df, documents: index.reader.documentCount)
        #expect(band.rawValue == parts[1], "\(w) (df \(df)) in \(q.queryClass)")
        #expect(w.unicodeScalars.count >= 2)
      }
    }
  }

  // MARK: Timing and results

  @Test func benchmarkReturnsTheSearchRankingForEveryThreadCount() throws {
    let path = try CorpusFixture.path()
    let queries = ["共同富裕", "\"高质量发展\" 西湖区", "zzqqxx", "\"发展", "国务院 政府工作报告 改革"].map {
      BenchmarkQuery(text: $0, queryClass: BenchmarkQuery.unclassified)
    }
    let index = try SearchIndex(path: path)
    let expected = queries.map { q -> [Int] in
      (try? index.searchOrdinals(q.text, options: SearchOptions(limit: 5)).hits.map(\.document)) ?? []
    }
    for threads in [1, 2, 3] {
      let bench = try QueryBenchmark(
        indexPath: path, options: QueryBenchmarkOptions(search: SearchOptions(limit: 5), warmup: 1, repetitions: 2, threads: threads))
      let report = try bench.run(queries)
      #expect(report.hits == expected, "\(threads) threads")
      #expect(report.milliseconds.allSatisfy { $0.count == 2 && $0.allSatisfy { $0 >= 0 } })
      #expect(report.unparsable == 1, "the unclosed quote")
      #expect(report.zeroHit == 2)
      #expect(report.overall.count == 10)
      #expect(report.byClass.map(\.queryClass) == [BenchmarkQuery.unclassified])
      #expect(report.throughput > 0)
    }
  }

  @Test func queryFilesArePlainTextOrHarnessJSONL() throws {
    let dir = makeTemporaryDirectory()
    let plain = dir.appendingPathComponent("q.txt")
    try Data("共同富裕\n\n  \n西湖区 发展\n".utf8).write(to: plain)
    #expect(try BenchmarkQuery.load(path: plain.path) == [
      BenchmarkQuery(text: "共同富裕", queryClass: "file"), BenchmarkQuery(text: "西湖区 发展", queryClass: "file"),
    ])
    let jsonl = dir.appendingPathComponent("q.jsonl")
    try Data("""
      {"qid": "g1", "query": "打击犯罪 推行", "kind": "2term", "band": "medium", "df": [12, 178]}
      {"qid": "g2", "query": "求人"}

      """.utf8).write(to: jsonl)
    #expect(try BenchmarkQuery.load(path: jsonl.path) == [
      BenchmarkQuery(text: "打击犯罪 推行", queryClass: "2term/medium"), BenchmarkQuery(text: "求人", queryClass: "file"),
    ])
    let empty = dir.appendingPathComponent("empty.txt")
    try Data("\n \n".utf8).write(to: empty)
    #expect(throws: EvaluationInputError.empty(path: empty.path)) { try BenchmarkQuery.load(path: empty.path) }
    let bad = dir.appendingPathComponent("bad.jsonl")
    try Data("{\"query\": 3}\n".utf8).write(to: bad)
    #expect(throws: EvaluationInputError.self) { try BenchmarkQuery.load(path: bad.path) }
  }

  @Test func bagOfWordsReadsQuotesAsSpaces() throws {
    let q = BenchmarkQuery(text: "用严标准“丈量”全国 \"高质量发展\" 「西湖」『区』＂x＂", queryClass: "t")
    #expect(q.bagOfWords == BenchmarkQuery(text: "用严标准 丈量 全国  高质量发展   西湖  区  x ", queryClass: "t"))
    let index = try SearchIndex(path: try CorpusFixture.path())
    #expect(throws: (any Error).self) { try index.searchOrdinals("\"发展") }
    #expect(!(try index.searchOrdinals(BenchmarkQuery(text: "\"发展", queryClass: "t").bagOfWords.text).hits.isEmpty))
  }

  @Test func allRequiredQuotesEveryWord() throws {
    let q = BenchmarkQuery(text: "用严标准“丈量”  \"高质量 发展\" GDP", queryClass: "t")
    #expect(q.allRequired == BenchmarkQuery(text: "\"用严标准\" \"丈量\" \"高质量\" \"发展\" \"GDP\"", queryClass: "t"))
    // Each word is then required: every hit of the conjunction holds both, and there are fewer.
    let index = try SearchIndex(path: try CorpusFixture.path())
    let options = SearchOptions(limit: 1000)
    let any = try index.search("国务院 改革", options: options)
    let all = try index.search(BenchmarkQuery(text: "国务院 改革", queryClass: "t").allRequired.text, options: options)
    #expect(!all.results.isEmpty)
    #expect(all.results.count < any.results.count)
    for result in all.results {
      let text = result.document.title + "\n" + result.document.body
      #expect(text.contains("国务院") && text.contains("改革"), "\(result.document.id)")
    }
  }

  // MARK: CLI

  @Test func benchResultsFileSpeaksTheHarnessProtocol() throws {
    let path = try CorpusFixture.path()
    let dir = makeTemporaryDirectory()
    let queries = ["共同富裕", "\"高质量发展\" 西湖区", "zzqqxx", "国务院 改革"]
    let queryFile = dir.appendingPathComponent("queries.txt")
    try Data((queries.joined(separator: "\n") + "\n").utf8).write(to: queryFile)
    let out = dir.appendingPathComponent("out.jsonl")
    let r = try CLIRun.run(["bench", "--index", path, "--queries", queryFile.path, "--k", "7", "--warmup", "1", "--results", out.path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("p50") && r.stdout.contains("throughput"))
    let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == queries.count, "one line per query, in input order")
    let index = try SearchIndex(path: path)
    for (line, query) in zip(lines, queries) {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let ids = try #require(object["ids"] as? [String])
      let ms = try #require(object["ms"] as? Double)
      #expect(ms >= 0)
      let expected = try index.search(query, options: SearchOptions(limit: 7)).results.map(\.document.id)
      #expect(ids == expected, "\(query)")
    }
  }

  @Test func benchJSONOnGeneratedQueries() throws {
    let dir = makeTemporaryDirectory()
    let saved = dir.appendingPathComponent("generated.jsonl")
    let r = try CLIRun.run(["bench", "-i", try CorpusFixture.path(), "--per-class", "3", "--seed", "5", "--json", "--save-queries", saved.path])
    #expect(r.status == 0, "\(r.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(object["queries"] as? Int == 30)
    #expect(object["percentiles"] as? String == "nearest-rank")
    let overall = try #require(object["overall"] as? [String: Any])
    for key in ["p50_ms", "p95_ms", "p99_ms", "max_ms", "qps"] { #expect(overall[key] is Double, "\(key)") }
    let classes = try #require(object["classes"] as? [String: Any])
    #expect(classes.keys.contains("phrase") && classes.keys.contains("3-word/frequent"))
    // The saved set is a query file of its own, with the same classes.
    let reloaded = try BenchmarkQuery.load(path: saved.path)
    #expect(reloaded.count == 30 && Set(reloaded.map(\.queryClass)) == Set(classes.keys))
    let again = try CLIRun.run(["bench", "-i", try CorpusFixture.path(), "--queries", saved.path, "--json", "--threads", "2"])
    #expect(again.status == 0, "\(again.stderr)")
  }

  @Test func benchErrorsExitWithTwo() throws {
    let path = try CorpusFixture.path()
    let dir = makeTemporaryDirectory()
    let missing = try CLIRun.run(["bench", "-i", path, "--queries", "/nonexistent/q.txt"])
    #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/q.txt"))
    let empty = dir.appendingPathComponent("empty.txt")
    try Data().write(to: empty)
    let none = try CLIRun.run(["bench", "-i", path, "--queries", empty.path])
    #expect(none.status == 2 && none.stderr.contains("no queries"))
    let badIndex = try CLIRun.run(["bench", "-i", empty.path, "--per-class", "1"])
    #expect(badIndex.status == 2 && badIndex.stderr.contains(empty.path))
    #expect(try CLIRun.run(["bench", "-i", path, "--threads", "0"]).status == 2)
  }

  @Test func benchSegmentComparesWithRawICU() throws {
    let dir = makeTemporaryDirectory()
    let text = dir.appendingPathComponent("text.txt")
    try Data(String(repeating: "2024年国内生产总值增长5.2%，國務院關於推動經濟高質量發展。\n", count: 200).utf8).write(to: text)
    let r = try CLIRun.run(["bench", "segment", text.path, "--runs", "2"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("segmenter") && r.stdout.contains("raw ICU") && r.stdout.contains("MB/s"))
    let json = try CLIRun.run(["bench", "segment", repositoryRoot.appendingPathComponent("Corpus/seeds.jsonl").path, "--runs", "1", "--json"])
    #expect(json.status == 0, "\(json.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect((object["segmenter_mb_s"] as? Double ?? 0) > 0 && (object["icu_mb_s"] as? Double ?? 0) > 0)
    #expect(object["chunks"] as? Int == 10, "title and body of 5 documents")

    let invalid = dir.appendingPathComponent("invalid.txt")
    try Data([0xE4, 0xB8, 0xAD, 0xFF, 0x41, 0x0A]).write(to: invalid)
    let bad = try CLIRun.run(["bench", "segment", invalid.path])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains(invalid.path) && bad.stderr.contains("byte offset 3"), "\(bad.stderr)")
  }

  @Test func indexReportsItselfAndIndexesConcatAsOneField() throws {
    let dir = makeTemporaryDirectory()
    let output = dir.appendingPathComponent("concat.zsx").path
    let seeds = repositoryRoot.appendingPathComponent("Corpus/seeds.jsonl").path
    let r = try CLIRun.run(["index", seeds, "--fields", "concat", "-o", output, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let last = try #require(r.stdout.split(separator: "\n").last)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    #expect(object["documents"] as? Int == 5)
    #expect((object["seg_s"] as? Double ?? 0) > 0 && (object["peak_rss_mb"] as? Double ?? 0) > 0)
    let finish = object["finish_s"] as? Double ?? -1
    #expect(finish > 0 && finish < (object["seconds"] as? Double ?? 0))
    #expect(object["fields"] as? [String] == ["text"])
    let index = try SearchIndex(path: output)
    #expect(index.reader.fieldNames == ["text", "lead"])
    // A title word is found through the one field.
    let doc = try index.reader.document(0)
    let titleWord = String(doc.title.prefix(3))
    #expect(try index.searchOrdinals("\"\(titleWord)\"", options: SearchOptions(limit: 100)).hits.contains { $0.document == 0 })
    let report = try LiteralRecallCheck.run(index: index, samples: 50, seed: 3)
    #expect(report.failures.isEmpty)

    let text = try CLIRun.run(["index", seeds, "-o", dir.appendingPathComponent("plain.zsx").path])
    #expect(text.stdout.contains("documents/s") && text.stdout.contains("peak memory"))
    #expect(try CLIRun.run(["index", seeds, "--fields", "concat,body", "-o", output]).status == 2)
  }
}
