import Foundation
import ZhengSouTestSupport
import ZhengSou

/// The repository root, found from this file's path (tests run from a clone with Corpus/).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The bundled Corpus indexed once per test process (title and body), shared by all tests.
enum CorpusFixture {
  static let result: Result<String, any Error> = Result {
    let dir = makeTemporaryDirectory("corpus")
    let path = dir.appendingPathComponent("corpus.zsx").path
    let loader = DocumentLoader(paths: [repositoryRoot.appendingPathComponent("Corpus").path], folderExtensions: ["jsonl"])
    _ = try IndexingPipeline.build(loader: loader, output: path)
    return path
  }

  static func path() throws -> String { try result.get() }

  /// Normalized title + body of every corpus document, by id (for substring checks).
  static let normalizedTexts: [String: String] = {
    guard let segmenter = try? Segmenter() else { return [:] }
    var out: [String: String] = [:]
    DocumentLoader(paths: [repositoryRoot.appendingPathComponent("Corpus").path], folderExtensions: ["jsonl"])
      .forEachDocument({ out[$0.id] = segmenter.normalize($0.title) + "\n" + segmenter.normalize($0.body) }, onProblem: { _ in })
    return out
  }()
}
