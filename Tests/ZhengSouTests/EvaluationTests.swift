import Foundation
import ZhengSouTestSupport
import Testing
import ZhengSou

/// Relevance metrics against hand-computed values, the evaluator end to end on the bundled
/// Corpus, input-file errors, and `zhengsou eval`.
@Suite struct EvaluationTests {
  // MARK: Metrics

  @Test func reciprocalRankAndFirstRelevantRank() {
    #expect(RelevanceMetrics.reciprocalRank([1, 0, 0]) == 1)
    #expect(RelevanceMetrics.reciprocalRank([0, 0, 1, 0, 1]) == 1.0 / 3)
    #expect(RelevanceMetrics.firstRelevantRank([0, 0, 1, 0, 1]) == 3)
    #expect(RelevanceMetrics.reciprocalRank([0, 0, 0, 0, 0, 0, 0, 0, 0, 2]) == 0.1, "rank 10 is inside @10")
    let eleventh = Array(repeating: 0, count: 10) + [1]
    #expect(RelevanceMetrics.reciprocalRank(eleventh) == 0, "rank 11 is outside @10")
    #expect(RelevanceMetrics.firstRelevantRank(eleventh) == 11)
    #expect(RelevanceMetrics.reciprocalRank([]) == 0)
    #expect(RelevanceMetrics.firstRelevantRank([0, 0]) == nil)
    #expect(RelevanceMetrics.reciprocalRank([0, -1, 1]) == 1.0 / 3, "a negative grade is not relevant")
  }

  @Test func ndcgWithGradedRelevance() {
    // ranked grades [0, 2, 1], qrels {2, 1}:
    // DCG = 3/log2(3) + 1/log2(4) = 2.392789…, ideal = 3/log2(2) + 1/log2(3) = 3.630929…
    expectClose(RelevanceMetrics.dcg([0, 2, 1]), 2.3927892607143724)
    expectClose(RelevanceMetrics.ndcg([0, 2, 1], judged: [2, 1]), 0.6590018048024133)
    // ranked [1, 3, 0, 2], qrels {3, 2, 1, 1, 0 (judged non-relevant)}:
    // DCG = 1 + 7/log2(3) + 3/log2(5) = 6.708537…, ideal = 7 + 3/log2(3) + 1/2 + 1/log2(5) = 9.823465…
    expectClose(RelevanceMetrics.ndcg([1, 3, 0, 2], judged: [3, 2, 1, 1, 0]), 0.6829094815385867)
    #expect(RelevanceMetrics.ndcg([1], judged: [1]) == 1)
    #expect(RelevanceMetrics.ndcg([0, 0, 0], judged: [1, 1]) == 0, "nothing relevant retrieved")
    #expect(RelevanceMetrics.ndcg([1], judged: []) == 0, "no relevant document in the qrels")
    // Only the top 10 count, for the ranking and for the ideal.
    let late = Array(repeating: 0, count: 10) + [1]
    #expect(RelevanceMetrics.ndcg(late, judged: [1]) == 0)
    expectClose(RelevanceMetrics.ndcg(Array(repeating: 1, count: 10), judged: Array(repeating: 1, count: 20)), 1)
    #expect(RelevanceMetrics.gain(3) == 7 && RelevanceMetrics.gain(0) == 0 && RelevanceMetrics.gain(-1) == 0)
  }

  @Test func recallAtCutoffs() {
    #expect(RelevanceMetrics.recall([1, 0, 1, 0], relevantCount: 3, cutoff: 2) == 1.0 / 3)
    #expect(RelevanceMetrics.recall([1, 0, 1, 0], relevantCount: 3, cutoff: 4) == 2.0 / 3)
    #expect(RelevanceMetrics.recall([1, 0, 1, 0], relevantCount: 3, cutoff: 100) == 2.0 / 3)
    #expect(RelevanceMetrics.recall([0, 0, 0], relevantCount: 2, cutoff: 10) == 0)
    #expect(RelevanceMetrics.recall([1], relevantCount: 0, cutoff: 10) == 0)
    let eleventh = Array(repeating: 0, count: 10) + [2]
    #expect(RelevanceMetrics.recall(eleventh, relevantCount: 1, cutoff: 10) == 0)
    #expect(RelevanceMetrics.recall(eleventh, relevantCount: 1, cutoff: 100) == 1)
  }

  // MARK: End to end on the bundled Corpus

  /// Every 8th Corpus document's title as a query, with the document itself relevant; plus a
  /// query with graded judgments, one with a relevant id absent from the index, one that cannot be
  /// parsed and one without qrels.
  struct TitleSet {
    var queries: [EvaluationQuery] = []
    var qrels = TRECQrels()
    var titleQueries: [String: String] = [:]  // qid → the document id it was taken from
  }

  static func titleSet(_ index: SearchIndex) throws -> TitleSet {
    var set = TitleSet()
    for ordinal in stride(from: 0, to: index.reader.documentCount, by: 8) {
      let doc = try index.reader.document(ordinal)
      let qid = "t\(ordinal)"
      set.queries.append(EvaluationQuery(qid: qid, text: doc.title))
      set.qrels.judgments[qid] = [doc.id: 1]
      set.titleQueries[qid] = doc.id
    }
    set.queries.append(EvaluationQuery(qid: "graded", text: "共同富裕 示范区"))
    set.queries.append(EvaluationQuery(qid: "missing", text: "政府工作报告"))
    set.qrels.judgments["missing"] = ["no-such-document": 1]
    set.queries.append(EvaluationQuery(qid: "punct", text: "，。！"))
    set.qrels.judgments["punct"] = [try index.reader.document(0).id: 1]
    set.queries.append(EvaluationQuery(qid: "nojudgments", text: "西湖"))
    set.qrels.judgments["not-asked"] = ["x": 1]
    return set
  }

  @Test func titleQueriesFindTheirDocumentsAndFiguresFollowTheRankings() throws {
    let path = try CorpusFixture.path()
    let index = try SearchIndex(path: path)
    var set = try Self.titleSet(index)
    // Graded judgments for "graded" taken from an independent search: rank 2 is very relevant
    // (grade 2), rank 5 relevant (grade 1), and one relevant document is never retrieved.
    let independent = try index.searchOrdinals("共同富裕 示范区", options: SearchOptions(limit: 100)).hits
    try #require(independent.count >= 5)
    let second = try index.reader.document(independent[1].document).id
    let fifth = try index.reader.document(independent[4].document).id
    set.qrels.judgments["graded"] = [second: 2, fifth: 1, "never-retrieved": 1, try index.reader.document(independent[0].document).id: 0]

    let report = try RelevanceEvaluator(indexPath: path).evaluate(set.queries, qrels: set.qrels)
    #expect(report.queryCount == set.queries.count)
    #expect(report.queries.map(\.qid) == set.queries.map(\.qid), "file order")
    #expect(report.withoutQrels == 1)
    #expect(report.unparsable == 1)
    #expect(report.evaluated == set.queries.count - 1)
    #expect(report.qrelsWithoutQuery == 1)
    let byQid = Dictionary(uniqueKeysWithValues: report.queries.map { ($0.qid, $0) })

    // A document's own title finds it near the top (titles weigh 2×, and every title word is in it;
    // only the NPC resolutions, whose titles differ in one ordinal, can trade the first places),
    // and the per-query figures follow the rank an independent search gives it.
    var titleRR = 0.0, titleNDCG = 0.0, firsts = 0
    for (qid, id) in set.titleQueries {
      let q = try #require(byQid[qid])
      let ranked = try index.searchOrdinals(q.text, options: SearchOptions(limit: 100)).hits
      let rank = try #require(try ranked.firstIndex { try index.reader.document($0.document).id == id }) + 1
      #expect(rank <= 2, "\(q.text)")
      if rank == 1 { firsts += 1 }
      #expect(q.firstRelevantRank == rank && q.reciprocalRank == 1 / Double(rank) && q.recall10 == 1 && q.recall100 == 1)
      expectClose(q.ndcg10, 1 / log2(Double(rank) + 1))
      #expect(q.ranked.count <= 100)
      titleRR += q.reciprocalRank
      titleNDCG += q.ndcg10
    }
    #expect(firsts >= set.titleQueries.count - 2, "own title first for all but at most two documents")
    // The ranking is the searcher's, with stored ids.
    let graded = try #require(byQid["graded"])
    #expect(graded.ranked.map(\.score) == independent.map(\.score))
    #expect(graded.ranked.map(\.id) == (try independent.map { try index.reader.document($0.document).id }))
    #expect(graded.relevantCount == 3)
    #expect(graded.firstRelevantRank == 2 && graded.reciprocalRank == 0.5)
    expectClose(graded.ndcg10, (3 / log2(3) + 1 / log2(6)) / (3 + 1 / log2(3) + 1 / log2(4)))
    expectClose(graded.recall10, 2.0 / 3)
    expectClose(graded.recall100, 2.0 / 3)

    let missing = try #require(byQid["missing"])
    #expect(!missing.ranked.isEmpty && missing.firstRelevantRank == nil && missing.reciprocalRank == 0 && missing.recall100 == 0)
    let punct = try #require(byQid["punct"])
    #expect(punct.unparsable && punct.ranked.isEmpty && punct.hasQrels && punct.reciprocalRank == 0)
    let unjudged = try #require(byQid["nojudgments"])
    #expect(!unjudged.hasQrels && !unjudged.ranked.isEmpty)

    // Averages over the evaluated queries: titles as above, the others as above.
    let titles = Double(set.titleQueries.count), n = Double(report.evaluated)
    expectClose(report.mrr10, (titleRR + 0.5) / n)
    expectClose(report.recall10, (titles + 2.0 / 3) / n)
    expectClose(report.ndcg10, (titleNDCG + graded.ndcg10) / n)

    // The TREC run: one line per retrieved document, `qid Q0 docid rank score zhengsou`.
    let run = report.trecRun()
    let lines = run.split(separator: "\n")
    #expect(lines.count == report.queries.reduce(0) { $0 + $1.ranked.count })
    let first = lines[0].split(separator: " ").map(String.init)
    #expect(first.count == 6 && first[0] == "t0" && first[1] == "Q0" && first[2] == set.titleQueries["t0"] && first[3] == "1" && first[5] == "zhengsou")
    #expect(Double(first[4]) == report.queries[0].ranked[0].score)
    #expect(!run.contains("punct "), "an unparsable query retrieves nothing")
  }

  @Test func resultsDoNotDependOnTheThreadCount() throws {
    let path = try CorpusFixture.path()
    let set = try Self.titleSet(try SearchIndex(path: path))
    let options = EvaluationOptions(search: SearchOptions(bm25: BM25Parameters(k1: 0.9, b: 0.4)), depth: 50)
    var three = options
    three.threads = 3
    let one = try RelevanceEvaluator(indexPath: path, options: options).evaluate(set.queries, qrels: set.qrels)
    let parallel = try RelevanceEvaluator(indexPath: path, options: three).evaluate(set.queries, qrels: set.qrels)
    #expect(one.threads == 1 && parallel.threads == 3)
    #expect(one.queries == parallel.queries)
    #expect(one.trecRun() == parallel.trecRun())
    #expect(one.mrr10 == parallel.mrr10 && one.ndcg10 == parallel.ndcg10 && one.recall100 == parallel.recall100)
    #expect(one.queries.allSatisfy { $0.ranked.count <= 50 })
    // More threads than queries: the spare ones stay idle.
    let few = Array(set.queries.prefix(2))
    let many = try RelevanceEvaluator(indexPath: path, options: EvaluationOptions(threads: 4)).evaluate(few, qrels: set.qrels)
    #expect(many.queries.map(\.qid) == few.map(\.qid))
  }

  // MARK: Input files

  @Test func inputFilesAreParsedStrictly() throws {
    let dir = makeTemporaryDirectory()
    let queries = dir.appendingPathComponent("queries.tsv")
    try Data("\u{FEFF}q1\t共同富裕\r\n\nq2\t\"高质量发展\"\tsecond tab kept\nq3\t\n".utf8).write(to: queries)
    let loaded = try EvaluationQuery.load(path: queries.path)
    #expect(loaded == [
      EvaluationQuery(qid: "q1", text: "共同富裕"), EvaluationQuery(qid: "q2", text: "\"高质量发展\"\tsecond tab kept"),
      EvaluationQuery(qid: "q3", text: ""),
    ])
    let qrels = dir.appendingPathComponent("qrels.txt")
    try Data("q1 0 doc-a 1\nq1\t0\tdoc-b\t2\n\nq2 0 doc-a 0\nq3 Q0 doc-c -1\n".utf8).write(to: qrels)
    let judged = try TRECQrels.load(path: qrels.path)
    #expect(judged.judgments == ["q1": ["doc-a": 1, "doc-b": 2], "q2": ["doc-a": 0], "q3": ["doc-c": -1]])
    #expect(judged.relevantCount(qid: "q1") == 2 && judged.relevantCount(qid: "q2") == 0 && judged.relevantCount(qid: "zz") == 0)
    #expect(judged.grade(qid: "q1", docid: "doc-b") == 2 && judged.grade(qid: "q1", docid: "doc-z") == 0)
  }

  @Test func malformedFilesAreErrorsNamingFileAndLine() throws {
    let dir = makeTemporaryDirectory()
    func write(_ name: String, _ text: String) throws -> String {
      let url = dir.appendingPathComponent(name)
      try Data(text.utf8).write(to: url)
      return url.path
    }
    let cases: [(String, Int, String, (String) throws -> Void)] = [
      (try write("notab.tsv", "q1\tok\nq2 no tab here\n"), 2, "no tab", { _ = try EvaluationQuery.load(path: $0) }),
      (try write("dup.tsv", "q1\ta\nq1\tb\n"), 2, "line 1", { _ = try EvaluationQuery.load(path: $0) }),
      (try write("noqid.tsv", "\tb\n"), 1, "empty qid", { _ = try EvaluationQuery.load(path: $0) }),
      (try write("three.qrels", "q1 0 d1 1\n\nq2 0 d2\n"), 3, "4 fields", { _ = try TRECQrels.load(path: $0) }),
      (try write("five.qrels", "q1 0 d1 1 x\n"), 1, "found 5", { _ = try TRECQrels.load(path: $0) }),
      (try write("grade.qrels", "q1 0 d1 1\nq1 0 d2 yes\n"), 2, "not an integer", { _ = try TRECQrels.load(path: $0) }),
      (try write("twice.qrels", "q1 0 d1 1\nq1 0 d1 2\n"), 2, "already judged", { _ = try TRECQrels.load(path: $0) }),
    ]
    for (path, line, reason, load) in cases {
      do {
        try load(path)
        Issue.record("\(path) was accepted")
      } catch let error as EvaluationInputError {
        #expect(error.description.hasPrefix("\(path):\(line): "), "\(error)")
        #expect(error.description.contains(reason), "\(error)")
      }
    }
    var invalid = Array("q1\tok\nq2\t".utf8)
    invalid += [0xFF, 0xFE, 0x0A]
    let invalidPath = dir.appendingPathComponent("invalid.tsv").path
    try Data(invalid).write(to: URL(fileURLWithPath: invalidPath))
    #expect(throws: EvaluationInputError.malformed(path: invalidPath, line: 2, reason: "invalid UTF-8")) { try EvaluationQuery.load(path: invalidPath) }
    let nowhere = dir.appendingPathComponent("absent.tsv").path
    #expect(throws: EvaluationInputError.unreadable(path: nowhere, reason: "no such file")) { try EvaluationQuery.load(path: nowhere) }
    let blank = try write("blank.tsv", "\n\n")
    #expect(throws: EvaluationInputError.empty(path: blank)) { try EvaluationQuery.load(path: blank) }
  }

  // MARK: The command

  @Test func evalCommandPrintsFiguresAndWritesARun() throws {
    let path = try CorpusFixture.path()
    let index = try SearchIndex(path: path)
    let dir = makeTemporaryDirectory()
    var queries = "", qrels = ""
    for ordinal in [0, 10, 20] {
      let doc = try index.reader.document(ordinal)
      queries += "q\(ordinal)\t\(doc.title)\n"
      qrels += "q\(ordinal) 0 \(doc.id) 1\n"
    }
    queries += "q-punct\t、、\n"
    qrels += "q-punct 0 \(try index.reader.document(1).id) 1\n"
    let queriesPath = dir.appendingPathComponent("queries.tsv").path, qrelsPath = dir.appendingPathComponent("qrels.tsv").path
    try Data(queries.utf8).write(to: URL(fileURLWithPath: queriesPath))
    try Data(qrels.utf8).write(to: URL(fileURLWithPath: qrelsPath))
    let runPath = dir.appendingPathComponent("run.txt").path

    let r = try CLIRun.run(["eval", "-i", path, "--queries", queriesPath, "--qrels", qrelsPath, "--per-query", "--run", runPath, "--threads", "2"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 5)
    #expect(lines[0].split(separator: "\t").map(String.init).prefix(4) == ["q0", "1", "1.0000", "1.0000"])
    #expect(lines[3] == "q-punct\t-\t0.0000\t0.0000\t、、")
    let summary = try #require(lines.last)
    #expect(summary.hasPrefix("queries 4 (0 without qrels, 1 unparsable)   MRR@10 0.7500   nDCG@10 0.7500   R@10 0.7500   R@100 0.7500   ("))
    #expect(summary.hasSuffix(" s, 2 threads)"))
    #expect(r.stderr.contains("q-punct"))
    let run = try String(contentsOfFile: runPath, encoding: .utf8)
    #expect(run.split(separator: "\n").allSatisfy { $0.split(separator: " ").count == 6 && $0.hasSuffix(" zhengsou") })
    #expect(run.hasPrefix("q0 Q0 \(try index.reader.document(0).id) 1 "))

    let json = try CLIRun.run(["eval", "-i", path, "--queries", queriesPath, "--qrels", qrelsPath, "--json"])
    #expect(json.status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["queries"] as? Int == 4 && object["unparsable"] as? Int == 1 && object["without_qrels"] as? Int == 0)
    #expect(object["mrr@10"] as? Double == 0.75 && object["recall@100"] as? Double == 0.75)

    let badQrels = dir.appendingPathComponent("bad.qrels").path
    try Data("q0 0 x 1\nq10 0 y\n".utf8).write(to: URL(fileURLWithPath: badQrels))
    let bad = try CLIRun.run(["eval", "-i", path, "--queries", queriesPath, "--qrels", badQrels])
    #expect(bad.status == 2)
    #expect(bad.stdout.isEmpty)
    #expect(bad.stderr.contains("bad.qrels:2: expected 4 fields"))
    let absent = try CLIRun.run(["eval", "-i", path, "--queries", dir.appendingPathComponent("nope.tsv").path, "--qrels", qrelsPath])
    #expect(absent.status == 2 && absent.stderr.contains("nope.tsv: no such file"))
    #expect(try CLIRun.run(["eval", "-i", path, "--queries", queriesPath, "--qrels", qrelsPath, "--threads", "0"]).status == 2)
  }
}

private func expectClose(_ a: Double, _ b: Double, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(abs(a - b) < 1e-12, "\(a) ≠ \(b)", sourceLocation: sourceLocation)
}
