import Foundation
import ZhengSouTestSupport
import Testing
import ZhengSou

/// A user dictionary takes effect in indexing and in queries: the index stores it (section USER),
/// and `SearchIndex` segments queries with it without being told.
@Suite struct UserDictionaryIndexTests {
  let documents = """
    {"id":"a","title":"西湖区","body":"全面打造科教文创高地，推进六六行动。"}
    {"id":"b","title":"规划","body":"实施科教兴国战略，发展文创产业。"}
    {"id":"c","title":"其他","body":"稳步推进农业农村现代化。"}

    """

  func build(dictionary: String?, in dir: URL) throws -> String {
    let corpus = dir.appendingPathComponent("docs.jsonl")
    try Data(documents.utf8).write(to: corpus)
    let output = dir.appendingPathComponent(dictionary == nil ? "plain.zsx" : "dict.zsx").path
    var options = IndexBuildOptions()
    options.segmenter.userDictionary = try dictionary.map { try UserDictionary(text: $0) }
    _ = try IndexingPipeline.build(paths: [corpus.path], output: output, options: options)
    return output
  }

  @Test func dictionaryWordsAreSingleTermsInDocumentsAndQueries() throws {
    let dir = makeTemporaryDirectory()
    let plain = try SearchIndex(path: try build(dictionary: nil, in: dir))
    #expect(plain.reader.userDictionary == nil)
    #expect(try plain.reader.lookup("科教文创") == nil)
    #expect(try plain.parse("科教文创").terms != [ParsedQuery.Term("科教文创")])

    let custom = try SearchIndex(path: try build(dictionary: "科教文创\n六六行动 3\n", in: dir))
    #expect(custom.reader.userDictionary == "六六行动\t3.0\n科教文创\n")
    #expect(custom.segmenter.identity.hasSuffix(" user/\(try UserDictionary(text: "科教文创\n六六行动 3").digest)"))
    // The word is one term in the index, found only in the document that has it whole.
    let infos = try #require(try custom.reader.lookup("科教文创"))
    #expect(infos.compactMap { $0?.docFrequency }.max() == 1)
    // The query is segmented with the stored dictionary, so it looks up that same term.
    #expect(try custom.parse("科教文创").terms == [ParsedQuery.Term("科教文创")])
    #expect(try custom.parse("科教文創").terms == [ParsedQuery.Term("科教文创")])  // Traditional too
    let hits = try custom.search("科教文创").results.map(\.document.id)
    #expect(hits.first == "a")
    // A phrase still matches by characters, whatever the words: b has 科教 and 文创 apart.
    #expect(try custom.search("\"科教文创\"").results.map(\.document.id) == ["a"])
  }

  @Test func cliIndexTakesADictionaryAndReportsBadOnes() throws {
    let dir = makeTemporaryDirectory()
    let corpus = dir.appendingPathComponent("docs.jsonl")
    try Data(documents.utf8).write(to: corpus)
    let dict = dir.appendingPathComponent("words.txt")
    try Data("# 西湖区\n科教文创\n六六行动 many\n".utf8).write(to: dict)
    let output = dir.appendingPathComponent("out.zsx").path
    let bad = try CLIRun.run(["index", corpus.path, "-o", output, "--dict", dict.path])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("\(dict.path):3: bad weight"))
    #expect(!FileManager.default.fileExists(atPath: output))

    try Data("科教文创\n".utf8).write(to: dict)
    #expect(try CLIRun.run(["index", corpus.path, "-o", output, "--dict", dict.path]).status == 0)
    let stats = try CLIRun.run(["stats", output])
    #expect(stats.stdout.contains("  USER "))
    #expect(stats.stdout.contains(" user/"))
    let found = try CLIRun.run(["search", "科教文创", "-i", output, "--json"])
    #expect(found.status == 0)
    #expect(found.stdout.split(separator: "\n").first?.contains("\"id\":\"a\"") == true)
    let segmented = try CLIRun.run(["segment", "--dict", dict.path], stdin: "打造科教文创高地\n")
    #expect(segmented.stdout.contains(" 科教文创 "))
  }
}

/// Parallel segmentation must not change a single byte of the index.
@Suite struct ParallelIndexingTests {
  /// Thread counts and memory budgets (no limit, the default, and one so small that the build
  /// spills many sorted runs and merges them) change no byte of the index.
  @Test func theIndexIsTheSameForEveryThreadCountAndBudget() throws {
    let dir = makeTemporaryDirectory()
    var files: [[UInt8]] = []
    let setups: [(threads: Int, budget: Int?)] = [(1, nil), (2, 1 << 30), (3, nil), (8, 1 << 30), (2, 1)]
    for (k, setup) in setups.enumerated() {
      var options = IndexBuildOptions()
      options.threads = setup.threads
      options.memoryBudget = setup.budget
      let output = dir.appendingPathComponent("t\(k).zsx").path
      let summary = try IndexingPipeline.build(paths: [repositoryRoot.appendingPathComponent("Corpus").path], output: output, options: options)
      #expect(summary.documents > 90)
      #expect(summary.spilledRuns >= (setup.budget == 1 ? 2 : 0), "budget \(String(describing: setup.budget)) spilled \(summary.spilledRuns) runs")
      if setup.budget == 1 << 30 { #expect(summary.spilledRuns == 0) }
      files.append([UInt8](try Data(contentsOf: URL(fileURLWithPath: output))))
    }
    #expect(files[0].count > 1_000_000)
    for (k, file) in files.enumerated().dropFirst() {
      #expect(file == files[0], "setup \(setups[k]) changed the index")
    }
    // Spill files are unlinked at birth: only the index files are left.
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == setups.indices.map { "t\($0).zsx" })
  }
}
