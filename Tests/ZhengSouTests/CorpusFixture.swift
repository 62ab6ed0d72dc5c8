import Foundation
import ZhengSou

/// The repository root, found from this file's path (tests run from a clone with Corpus/).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh temporary directory for one test; every one is removed when the test process exits.
func makeTemporaryDirectory(_ name: String = #function) -> URL {
  let safe = name.filter { $0.isLetter || $0.isNumber }
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("zhengsou-\(getpid())-\(safe)-\(UUID().uuidString.prefix(8))")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  TemporaryDirectories.register(url.path)
  return url
}

/// The directories `makeTemporaryDirectory` made, deleted by an `atexit` handler (Swift Testing has
/// no suite-wide teardown, and test runs must not leave indexes behind in /tmp).
enum TemporaryDirectories {
  nonisolated(unsafe) static var paths: [String] = []
  static let lock = NSLock()
  static let installHandler: Void = {
    atexit {
      TemporaryDirectories.lock.lock()
      for path in TemporaryDirectories.paths { try? FileManager.default.removeItem(atPath: path) }
      TemporaryDirectories.lock.unlock()
    }
  }()

  static func register(_ path: String) {
    _ = installHandler
    lock.lock()
    paths.append(path)
    lock.unlock()
  }
}

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
