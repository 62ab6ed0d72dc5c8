import Foundation
import Testing
import ZhengSou
import ZhengSouIndex
import ZhengSouTestSupport

/// `index --store ids` (`IndexBuildOptions.storesText = false`): the index keeps each document's
/// id and no text. It must rank exactly as the full index does, say what it is, and be smaller by
/// the stored texts.
@Suite struct StoreModeTests {
  static let idsOnly: Result<String, any Error> = Result {
    let path = makeTemporaryDirectory("ids-only").appendingPathComponent("ids.zsx").path
    let loader = DocumentLoader(paths: [repositoryRoot.appendingPathComponent("Corpus").path], folderExtensions: ["jsonl"])
    var options = IndexBuildOptions()
    options.storesText = false
    _ = try IndexingPipeline.build(loader: loader, output: path, options: options)
    return path
  }

  @Test func idsOnlyRanksLikeTheFullIndex() throws {
    let full = try SearchIndex(path: try CorpusFixture.path())
    let ids = try SearchIndex(path: try Self.idsOnly.get())
    #expect(full.storesText && !ids.storesText)
    #expect(ids.reader.documentCount == full.reader.documentCount)
    for d in 0..<full.reader.documentCount {
      #expect(try ids.reader.documentID(d) == full.reader.documentID(d))
      let doc = try ids.reader.document(d)
      #expect(doc.title.isEmpty && doc.body.isEmpty && doc.date.isEmpty)
    }
    for query in ["共同富裕", "\"高质量发展\" 西湖区", "农业", "十四五 规划", "國務院", "GDP", "\"2024年\"", "的"] {
      for limit in [1, 10, 50] {
        let a = try full.searchOrdinals(query, options: SearchOptions(limit: limit))
        let b = try ids.searchOrdinals(query, options: SearchOptions(limit: limit))
        #expect(!a.hits.isEmpty && a.hits == b.hits && a.matches == b.matches, "\(query)")
      }
    }
    // The stored texts are what it leaves out.
    let fullDocs = try #require(full.reader.container.entry(IndexFormat.storedDocuments)).length
    let idsDocs = try #require(ids.reader.container.entry(IndexFormat.storedDocuments)).length
    #expect(idsDocs * 20 < fullDocs, "DOCS \(idsDocs) against \(fullDocs) bytes")
    try ids.reader.verify()
  }

  @Test func theCommandLineShowsIdsAndRefusesToSampleText() throws {
    let path = try Self.idsOnly.get()
    let r = try CLIRun.run(["search", "共同富裕", "-i", path, "-n", "2"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("1. seed-000-xihu-15th-plan-news  ["), "\(r.stdout)")
    #expect(r.stdout.split(separator: "\n").count == 2, "one line a result, no snippet")
    let stats = try CLIRun.run(["stats", path])
    #expect(stats.stdout.contains("stored = ids"))
    let check = try CLIRun.run(["literal-check", "-i", path])
    #expect(check.status == 2 && check.stderr.contains("stores document ids only"))
  }
}
