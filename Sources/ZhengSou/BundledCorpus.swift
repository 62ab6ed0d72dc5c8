import Foundation
import ZhengSouAnalysis
import ZhengSouFormat
import ZhengSouIndex

/// The documents shipped in the repository's `Corpus/` folder, and their cached index.
///
/// The index is built on first use into the user's cache directory and rebuilt whenever the
/// corpus changes: its file name carries a fingerprint (CRC-32C of every corpus file's path and
/// bytes, the segmenter identity, the format version and the pipeline's `IndexingPipeline.policy`),
/// so a stale index is never reused.
public struct BundledCorpus {
  public let directory: String
  public let cacheDirectory: String

  /// `ZHENGSOU_CORPUS` if set, else the `Corpus/` folder of the source tree this binary was built
  /// from, else `./Corpus`.
  public static func locate() -> BundledCorpus? {
    let env = ProcessInfo.processInfo.environment
    var candidates: [String] = []
    if let dir = env["ZHENGSOU_CORPUS"], !dir.isEmpty { candidates.append(dir) }
    let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(sourceRoot.appendingPathComponent("Corpus").path)
    candidates.append(FileManager.default.currentDirectoryPath + "/Corpus")
    var isDir: ObjCBool = false
    guard let dir = candidates.first(where: { FileManager.default.fileExists(atPath: $0, isDirectory: &isDir) && isDir.boolValue }) else {
      return nil
    }
    return BundledCorpus(directory: dir, cacheDirectory: defaultCacheDirectory(env))
  }

  static func defaultCacheDirectory(_ env: [String: String]) -> String {
    if let d = env["ZHENGSOU_CACHE_DIR"], !d.isEmpty { return d }
    if let d = env["XDG_CACHE_HOME"], !d.isEmpty { return d + "/zhengsou" }
    return (env["HOME"] ?? NSTemporaryDirectory()) + "/.cache/zhengsou"
  }

  /// Only the data files: `Corpus/README.md` and the build script are not documents.
  var loader: DocumentLoader { DocumentLoader(paths: [directory], folderExtensions: ["jsonl"]) }

  /// Fingerprint of the corpus files and of everything that shapes their index.
  public func fingerprint(segmenterIdentity: String) throws -> String {
    let (files, _) = loader.inputFiles()
    var crc = CRC32C.checksum(Array("\(segmenterIdentity)|\(IndexFormat.currentVersion)|\(IndexingPipeline.policy)".utf8))
    for f in files {
      let relative = f.hasPrefix(directory) ? String(f.dropFirst(directory.count)) : f
      let data = try Data(contentsOf: URL(fileURLWithPath: f))
      crc = Array(relative.utf8).withUnsafeBytes { CRC32C.checksum($0, continuing: crc) }
      crc = data.withUnsafeBytes { CRC32C.checksum($0, continuing: crc) }
    }
    let hex = String(crc, radix: 16)
    return String(repeating: "0", count: 8 - hex.count) + hex
  }

  /// The path of an up-to-date index of the corpus, building it first if needed.
  /// `onBuild` is called before a (re)build starts, with the path being built.
  public func ensureIndex(onBuild: (String) -> Void = { _ in }) throws -> String {
    let identity = try Segmenter().identity
    let fp = try fingerprint(segmenterIdentity: identity)
    let path = "\(cacheDirectory)/corpus-\(fp).zsx"
    if FileManager.default.fileExists(atPath: path), (try? IndexReader(path: path)) != nil { return path }
    do {
      try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
    } catch {
      throw ZhengSouError.setup("cannot create cache directory \(cacheDirectory): \(error.localizedDescription)")
    }
    onBuild(path)
    _ = try IndexingPipeline.build(
      loader: loader, output: path, options: IndexBuildOptions(metadata: [("corpus-fingerprint", fp)]))
    // Older cached builds of the corpus are stale now.
    for name in (try? FileManager.default.contentsOfDirectory(atPath: cacheDirectory)) ?? []
    where name.hasPrefix("corpus-") && name.hasSuffix(".zsx") && "\(cacheDirectory)/\(name)" != path {
      try? FileManager.default.removeItem(atPath: "\(cacheDirectory)/\(name)")
    }
    return path
  }
}
