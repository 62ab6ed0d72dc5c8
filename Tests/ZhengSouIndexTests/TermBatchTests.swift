import Testing
import ZhengSouTestSupport
@testable import ZhengSouIndex

/// The build's batch path (terms interned per batch on a worker, `IndexBuilder.add(_:documents:)`
/// remapping them, prefetching, fields encoded in chunks)
/// must write exactly the file that adding the same tokens one by one writes.
struct TermBatchTests {
  @Test func batchesWriteTheSameFileAsSingleTokens() throws {
    var model = makeModel(documents: 300, vocabulary: testVocabulary, seed: 11)
    // One body longer than the builder's encoding scratch (65,536 tokens at a time).
    model[150].fields[1] = (0..<70_000).map { testVocabulary[($0 * 7_919) % testVocabulary.count] }
    // A third field, the body's first 5 tokens at their body positions (as the lead is).
    let lead = 5
    for d in model.indices { model[d].fields.append(Array(model[d].fields[1].prefix(lead))) }
    let fields = ["title", "body", "lead"]
    let expected = try buildIndex(model, fields: fields)

    let builder = try IndexBuilder(
      fieldNames: fields, segmenterIdentity: "test-segmenter/1", metadata: [("source", "unit test")])
    for start in stride(from: 0, to: model.count, by: 64) {
      let documents = model[start..<min(start + 64, model.count)]
      let batch = TermBatch()
      for doc in documents {
        for tokens in doc.fields {
          for (p, term) in tokens.enumerated() {
            var term = term
            var next = p + 8 < tokens.count ? tokens[p + 8] : ""
            term.withUTF8 { t in
              next.withUTF8 { n in
                batch.add(term: UnsafeRawBufferPointer(t), position: p, upcoming: n.isEmpty ? nil : UnsafeRawBufferPointer(n))
              }
            }
          }
          batch.endField()
        }
      }
      try builder.add(batch, documents: documents.map(\.stored))
    }
    let file = try builder.finish().bytes()
    #expect(file.count == expected.count)
    #expect(file == expected)
  }
}
