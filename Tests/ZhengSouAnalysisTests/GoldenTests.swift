import Foundation
import Testing
import ZhengSouAnalysis

/// Data-driven cases from `Golden/tokens.tsv`: numbers and units, dates, Latin words, punctuation,
/// Traditional and full-width input, emoji. Offsets are checked against the ORIGINAL text.
struct GoldenTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var input: String
    var expected: [String]
    var testDescription: String { input }
  }

  static func loadCases() throws -> [Case] {
    guard let url = Bundle.module.url(forResource: "tokens", withExtension: "tsv", subdirectory: "Golden") else {
      throw CocoaError(.fileNoSuchFile)
    }
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
      if line.hasPrefix("#") { return nil }
      let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
      let expected = fields.count > 1 ? fields[1].split(separator: " ").map(String.init) : []
      return Case(input: String(fields[0]), expected: expected)
    }
  }

  /// The rendering used in the golden file.
  static func render(_ buffer: TokenBuffer) -> [String] {
    (0..<buffer.count).map { i in
      let t = buffer.tokens[i]
      return "\(t.isAlternative ? "+" : "")\(buffer.termString(i))@\(t.start)-\(t.end)#\(t.position)"
    }
  }

  @Test func goldenFileHasCases() throws {
    #expect(try Self.loadCases().count >= 10)
  }

  @Test(arguments: try GoldenTests.loadCases())
  func tokensMatchGolden(_ golden: Case) throws {
    let segmenter = try wordSegmenter()
    #expect(Self.render(segmenter.segment(golden.input)) == golden.expected)
  }
}
