import Foundation
import Testing
import ZhengSouAnalysis

/// Writes the SIGHAN bakeoff format (surface segments joined by single spaces, one line per input
/// line) when ZHENGSOU_SIGHAN_OUT is set; input from ZHENGSOU_SIGHAN_IN (default: the PKU test set).
/// Score with /work/shared/tools/seg_score.py. Skipped otherwise so tests never depend on ../shared.
struct SIGHANExportTests {
  @Test(.enabled(if: ProcessInfo.processInfo.environment["ZHENGSOU_SIGHAN_OUT"] != nil))
  func writeSurfaceSegmentation() throws {
    let environment = ProcessInfo.processInfo.environment
    let input = environment["ZHENGSOU_SIGHAN_IN"] ?? "/work/shared/eval/sighan2005-pku/test.txt"
    let data = try Data(contentsOf: URL(fileURLWithPath: input))
    var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
      String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
    }
    if lines.last == "" { lines.removeLast() }
    let segmenter = try Segmenter()
    var output = ""
    for line in lines {
      let bytes = Array(line.utf8)
      output += segmenter.surfaceSegments(line).map { String(decoding: bytes[$0], as: UTF8.self) }
        .joined(separator: " ")
      output += "\n"
    }
    try output.write(toFile: environment["ZHENGSOU_SIGHAN_OUT"]!, atomically: true, encoding: .utf8)
    #expect(!lines.isEmpty)
  }
}
