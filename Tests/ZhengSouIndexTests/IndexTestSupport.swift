import ZhengSouTestSupport
import Foundation
@testable import ZhengSouIndex

/// A tiny deterministic model corpus: documents as lists of (field, term, position).
struct ModelDocument {
  var stored: StoredDocument
  var fields: [[String]]  // tokens per field, position = index
}


func makeModel(documents: Int, vocabulary: [String], seed: UInt64) -> [ModelDocument] {
  var rng = SplitMix64(seed: seed)
  return (0..<documents).map { d in
    let titleLength = Int.random(in: 0...4, using: &rng)
    let bodyLength = Int.random(in: 1...60, using: &rng)
    // Zipf-like: low indexes much more frequent, so some terms span several 128-doc blocks.
    func pick() -> String {
      let r = Double.random(in: 0..<1, using: &rng)
      return vocabulary[min(vocabulary.count - 1, Int(pow(r, 3) * Double(vocabulary.count)))]
    }
    let title = (0..<titleLength).map { _ in pick() }
    let body = (0..<bodyLength).map { _ in pick() }
    return ModelDocument(
      stored: StoredDocument(id: "doc-\(d)", title: title.joined(), date: "2024-01-0\(d % 9 + 1)", kind: "news", body: body.joined(separator: " ")),
      fields: [title, body])
  }
}

/// The index file of `model`. With `memoryBudget`, the builder spills runs to `spillDirectory`
/// whenever it holds more than that many bytes; `spilledRuns` receives how many it spilled.
func buildIndex(
  _ model: [ModelDocument], fields: [String] = ["title", "body"], memoryBudget: Int? = nil,
  spillDirectory: String = NSTemporaryDirectory(), spilledRuns: UnsafeMutablePointer<Int>? = nil,
  keepsPositions: (@Sendable (Int, UnsafeRawBufferPointer) -> Bool)? = nil, finishSliceTokens: Int? = nil,
  finishPieceTokens: Int? = nil
) throws -> [UInt8] {
  let builder = try IndexBuilder(
    fieldNames: fields, segmenterIdentity: "test-segmenter/1", metadata: [("source", "unit test")],
    memoryBudget: memoryBudget, spillDirectory: spillDirectory, keepsPositions: keepsPositions)
  builder.finishSliceTokens = finishSliceTokens
  if let finishPieceTokens { builder.finishPieceTokens = finishPieceTokens }
  for doc in model {
    try builder.beginDocument(doc.stored)
    for (f, tokens) in doc.fields.enumerated() where f < fields.count {
      for (p, t) in tokens.enumerated() {
        var t = t
        t.withUTF8 { builder.addToken(field: f, term: UnsafeRawBufferPointer($0), position: p) }
      }
      builder.setFieldLength(field: f, tokens.count)
    }
    try builder.endDocument()
  }
  let file = try builder.finish()
  spilledRuns?.pointee = builder.spilledRuns
  return try file.bytes()
}

/// This process's directory for index test files, removed when the process exits.
let indexTestDirectory = makeTemporaryDirectory("indextests")

/// A path in `indexTestDirectory`; the same name gives the same path, so tests can name the file
/// an error must mention.
func temporaryPath(_ name: String) -> String {
  indexTestDirectory.appendingPathComponent(name).path
}

func writeFile(_ bytes: [UInt8], _ path: String) throws {
  try Data(bytes).write(to: URL(fileURLWithPath: path))
}

let testVocabulary: [String] = (0..<400).map { "词\($0)" } + ["农业", "发展", "银行", "gdp", "5.4%", "2024年"]
