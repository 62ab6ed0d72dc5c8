import Foundation
import ZhengSouTestSupport
import Testing
import ZhengSou

/// Runs the built `zhengsou` executable (it sits beside the test bundle).
struct CLIRun {
  var stdout: String
  var stderr: String
  var status: Int32

  static let binary: URL = {
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    // On Linux the bundle is `…/debug/NAMEPackageTests.xctest` (a file); elsewhere a folder inside debug/.
    if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
    return dir.appendingPathComponent("zhengsou")
  }()

  /// With `merged`, stdout and stderr share one pipe (as `2>&1` does), and all of it is `stdout`.
  /// With `shell`, `/bin/sh` runs with `arguments` (to pass bytes a String cannot hold).
  static func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:], merged: Bool = false, shell: Bool = false) throws -> CLIRun {
    let process = Process()
    process.executableURL = shell ? URL(fileURLWithPath: "/bin/sh") : binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "NO_COLOR")
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = merged ? out : err
    process.standardInput = input
    try process.run()
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    try err.fileHandleForWriting.close()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIRun(stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self), status: process.terminationStatus)
  }
}

/// Compares `actual` with `Tests/ZhengSouTests/Golden/cli/NAME`; with ZHENGSOU_RECORD_GOLDEN=1 it
/// rewrites the file instead (and fails, so a recording is never mistaken for a pass).
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
  let url = repositoryRoot.appendingPathComponent("Tests/ZhengSouTests/Golden/cli/\(name)")
  if ProcessInfo.processInfo.environment["ZHENGSOU_RECORD_GOLDEN"] == "1" {
    try Data(actual.utf8).write(to: url)
    Issue.record("recorded golden file \(name)", sourceLocation: sourceLocation)
    return
  }
  let expected = try String(contentsOf: url, encoding: .utf8)
  #expect(actual == expected, "output differs from Golden/cli/\(name)", sourceLocation: sourceLocation)
}

@Suite struct CLITests {
  let sentences = "2024年国内生产总值（GDP）增长5.2%。\n國務院關於推動經濟高質量發展\nＡＩ和５Ｇ手機\n\n共同富裕示范区\n"

  @Test func searchPrintsRankedHighlightedResults() throws {
    let r = try CLIRun.run(["search", "共同富裕", "-i", try CorpusFixture.path(), "-n", "5"])
    #expect(r.status == 0)
    try expectGolden(r.stdout, "search-plain.txt")
    #expect(r.stderr.contains("matching documents"))
  }

  /// The summary line goes to stderr after the results on stdout; with both in one pipe it must
  /// still come last, whole, after results that are themselves whole (stdout is flushed first).
  @Test func theSummaryFollowsTheResultsInOneStream() throws {
    let r = try CLIRun.run(["search", "共同富裕", "-i", try CorpusFixture.path(), "-n", "50"], merged: true)
    #expect(r.status == 0)
    #expect(!r.stdout.contains("\u{FFFD}"), "the output was cut inside a character")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.last?.contains("matching documents") == true, "\(lines.suffix(2))")
    #expect(lines.filter { $0.contains("matching documents") }.count == 1)
    #expect(r.stdout.utf8.count > 8192, "more than one buffer of results, so a late flush would show")
  }

  @Test func searchJSONLines() throws {
    let r = try CLIRun.run(["search", "\"高质量发展\" 西湖区", "-i", try CorpusFixture.path(), "-n", "3", "--json"])
    #expect(r.status == 0)
    try expectGolden(r.stdout, "search-json.jsonl")
    for line in r.stdout.split(separator: "\n") {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      #expect(object?["id"] is String && object?["score"] is Double && object?["highlights"] is [[Int]])
    }
  }

  @Test func colourOnlyWhenAskedOrOnATerminal() throws {
    let path = try CorpusFixture.path()
    let plain = try CLIRun.run(["search", "共同富裕", "-i", path, "-n", "1"])
    #expect(!plain.stdout.contains("\u{1B}["), "a pipe gets no escape codes")
    let forced = try CLIRun.run(["search", "共同富裕", "-i", path, "-n", "1", "--color", "always"])
    #expect(forced.stdout.contains("\u{1B}[1;31m共同富裕\u{1B}[0m"))
  }

  @Test func segmentWritesSIGHANFormatAndJSON() throws {
    let plain = try CLIRun.run(["segment"], stdin: sentences)
    #expect(plain.status == 0)
    try expectGolden(plain.stdout, "segment.txt")
    #expect(plain.stdout.split(separator: "\n", omittingEmptySubsequences: false).count == sentences.split(separator: "\n", omittingEmptySubsequences: false).count)
    let json = try CLIRun.run(["segment", "--json"], stdin: sentences)
    try expectGolden(json.stdout, "segment-json.jsonl")
  }

  @Test func exitStatusesFollowTheContract() throws {
    let path = try CorpusFixture.path()
    let none = try CLIRun.run(["search", "zzqqxx", "-i", path])
    #expect(none.status == 1)
    #expect(none.stdout.isEmpty)
    let badQuery = try CLIRun.run(["search", "\"发展", "-i", path])
    #expect(badQuery.status == 2)
    #expect(badQuery.stderr.contains("column 1"))
    #expect(try CLIRun.run(["search", "x", "-n", "0", "-i", path]).status == 2)
    #expect(try CLIRun.run(["frobnicate"]).status == 2)
    let missing = try CLIRun.run(["search", "x", "-i", "/nonexistent/index.zsx"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("/nonexistent/index.zsx"))
    #expect(try CLIRun.run(["--help"]).status == 0)
  }

  @Test func aBudgetTooSmallStillBuildsTheSameIndexAndSaysSo() throws {
    let dir = makeTemporaryDirectory()
    let seeds = repositoryRoot.appendingPathComponent("Corpus/seeds.jsonl").path
    let normal = dir.appendingPathComponent("normal.zsx").path
    let tight = dir.appendingPathComponent("tight.zsx").path
    #expect(try CLIRun.run(["index", seeds, "-o", normal]).status == 0)
    let r = try CLIRun.run(["index", seeds, "-o", tight, "--memory-budget", "1", "--json"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("\"spilled_runs\":"))
    #expect(r.stderr.contains("warning: peak memory"), "a process bigger than its budget says so: \(r.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: tight)) == Data(contentsOf: URL(fileURLWithPath: normal)))
    let negative = try CLIRun.run(["index", seeds, "-o", tight, "--memory-budget", "-5"])
    #expect(negative.status == 2)
    #expect(negative.stderr.contains("--memory-budget"))
  }

  @Test func indexStatsAndVerify() throws {
    let dir = makeTemporaryDirectory()
    let output = dir.appendingPathComponent("seeds.zsx").path
    let binary = dir.appendingPathComponent("binary.txt")
    try Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2]).write(to: binary)
    let built = try CLIRun.run(["index", repositoryRoot.appendingPathComponent("Corpus/seeds.jsonl").path, binary.path, "-o", output])
    #expect(built.status == 0)
    #expect(built.stdout.hasPrefix("indexed 5 documents, skipped 1 input\n"))
    #expect(built.stderr.contains("binary.txt"))

    let stats = try CLIRun.run(["stats", output])
    #expect(stats.status == 0)
    #expect(stats.stdout.contains("documents  5\n"))
    #expect(stats.stdout.contains("zhengsou-segmenter/"))
    for section in ["META", "SEGM", "TDIC", "POST", "POSN", "FNRM", "DOCS"] { #expect(stats.stdout.contains("  \(section) ")) }
    #expect(stats.stdout.contains("postings by field and term kind"))
    #expect(stats.stdout.contains("grams"))

    let ok = try CLIRun.run(["verify", output])
    #expect(ok.status == 0)
    #expect(ok.stdout.contains("OK"))
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    bytes[bytes.count / 2] ^= 0x20
    let damaged = dir.appendingPathComponent("damaged.zsx").path
    try Data(bytes).write(to: URL(fileURLWithPath: damaged))
    let bad = try CLIRun.run(["verify", damaged])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("damaged.zsx") && (bad.stderr.contains("checksum") || bad.stderr.contains("corrupt")))
    let searchBad = try CLIRun.run(["search", "西湖", "-i", damaged])
    #expect(searchBad.status != 0 || searchBad.stdout.contains("西湖"), "never a crash")
  }

  @Test func searchWithoutAnIndexUsesTheBundledCorpusCache() throws {
    let cache = makeTemporaryDirectory().path
    let first = try CLIRun.run(["search", "共同富裕", "-n", "3"], environment: ["ZHENGSOU_CACHE_DIR": cache])
    #expect(first.status == 0)
    #expect(first.stderr.contains("building the index of the bundled Corpus"))
    #expect(first.stdout.contains("共同富裕"))
    let second = try CLIRun.run(["search", "共同富裕", "-n", "3"], environment: ["ZHENGSOU_CACHE_DIR": cache])
    #expect(!second.stderr.contains("building"), "the cached index is reused")
    #expect(second.stdout == first.stdout)
    let cached = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".zsx") }
    #expect(cached.count == 1)
  }

  /// An argument with ill-formed UTF-8 (here a 0xFF byte before 中国, passed through the shell,
  /// since `Process` takes Strings) is refused with status 2 and names the argument, instead of
  /// being searched as 中国.
  @Test func anArgumentThatIsNotUTF8IsRefused() throws {
    let r = try CLIRun.run(["-c", "exec \"$0\" search \"$(printf '\\377')中国\" -i \"$1\"", CLIRun.binary.path, try CorpusFixture.path()], shell: true)
    #expect(r.status == 2)
    #expect(r.stderr.contains("argument 2 is not valid UTF-8 (byte 0 of it)"), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
    let fine = try CLIRun.run(["-c", "exec \"$0\" search \"$(printf '\\344\\270\\255')国\" -i \"$1\" -n 1", CLIRun.binary.path, try CorpusFixture.path()], shell: true)
    #expect(fine.status == 0 && fine.stdout.contains("中国"), "the same bytes well formed are searched")
  }
}
