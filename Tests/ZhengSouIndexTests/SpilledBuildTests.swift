import Foundation
import Testing
import ZhengSouTestSupport
import ZhengSouIndex

/// Memory-bounded builds: however small the budget, and so however many sorted runs are spilled
/// and merged, the index file is the same byte for byte as an all-in-memory build; and spill
/// files leave nothing behind.
@Suite struct SpilledBuildTests {
  let model = makeModel(documents: 1_500, vocabulary: testVocabulary, seed: 11)

  @Test(arguments: [1 << 16, 1 << 18, 1 << 20])
  func aBudgetChangesNoByte(budget: Int) throws {
    let reference = try buildIndex(model)
    let directory = makeTemporaryDirectory("spill-\(budget)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var runs = 0
    let spilled = try buildIndex(model, memoryBudget: budget, spillDirectory: directory, spilledRuns: &runs)
    #expect(runs >= (budget <= 1 << 18 ? 2 : 0), "budget \(budget) spilled \(runs) runs")
    #expect(spilled.count == reference.count)
    #expect(spilled == reference, "budget \(budget), \(runs) runs: the file differs from the in-memory build")
    // Spill files are unlinked as soon as they are created.
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }

  @Test func manyRunsOfOneDocumentEach() throws {
    // A budget below any run's size spills after (nearly) every document: the merge must still agree.
    let small = Array(model.prefix(200))
    let directory = makeTemporaryDirectory("spill-tiny").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var runs = 0
    let spilled = try buildIndex(small, memoryBudget: 1, spillDirectory: directory, spilledRuns: &runs)
    #expect(runs >= 150)
    #expect(spilled == (try buildIndex(small)))
  }

  /// The end of an in-memory build cuts fields into slices that two threads sort and encode; the
  /// slices' bytes, concatenated, must be the bytes of one pass, however small the slices (down to
  /// one term each) and whether lists keep positions or not.
  @Test(arguments: [1, 37, 500, 4_000, Int.max])
  func sliceSizesChangeNoByte(sliceTokens: Int) throws {
    let policy: @Sendable (Int, UnsafeRawBufferPointer) -> Bool = { f, term in f == 1 && term.count % 2 == 0 }
    let directory = makeTemporaryDirectory("slices-\(sliceTokens)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    // One slice per field: a spilled build never slices.
    let reference = try buildIndex(model, memoryBudget: 1 << 18, spillDirectory: directory, keepsPositions: policy)
    #expect(try buildIndex(model, keepsPositions: policy, finishSliceTokens: sliceTokens) == reference, "slices of \(sliceTokens)")
  }

  /// The encoding of a slice is cut into pieces that the two threads take in turn: however small
  /// the pieces, the bytes are those of one pass.
  @Test(arguments: [1, 50, 3_000])
  func pieceSizesChangeNoByte(pieceTokens: Int) throws {
    let reference = try buildIndex(model)
    #expect(try buildIndex(model, finishPieceTokens: pieceTokens) == reference, "pieces of \(pieceTokens)")
    #expect(try buildIndex(model, finishSliceTokens: 4_000, finishPieceTokens: pieceTokens) == reference, "slices and pieces of \(pieceTokens)")
  }

  /// Three fields, of which only the body's lists keep positions (and only some of them), write
  /// the same file whether the build spills, slices its fields or cuts their encoding into pieces.
  @Test(arguments: [nil, 1 << 16, 1 << 20] as [Int?])
  func fieldsWithoutPositionsWriteTheSameFile(budget: Int?) throws {
    var model = self.model
    for d in model.indices { model[d].fields.append(Array(model[d].fields[1].prefix(d % 9))) }
    let fields = ["title", "body", "lead"]
    let policy: @Sendable (Int, UnsafeRawBufferPointer) -> Bool = { f, term in f == 1 && term.count % 2 == 0 }
    let reference = try buildIndex(model, fields: fields, keepsPositions: policy)
    let directory = makeTemporaryDirectory("lead-\(budget ?? 0)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var runs = 0
    let spilled = try buildIndex(
      model, fields: fields, memoryBudget: budget, spillDirectory: directory, spilledRuns: &runs, keepsPositions: policy)
    #expect(runs >= (budget == 1 << 16 ? 2 : 0))
    #expect(spilled == reference, "budget \(budget ?? 0), \(runs) runs")
    if budget == nil {
      let cut = try buildIndex(model, fields: fields, keepsPositions: policy, finishSliceTokens: 700, finishPieceTokens: 40)
      #expect(cut == reference, "slices and pieces")
    }
  }

  /// What a spill cannot free (the terms, their per-term counts) does not count as the run's size:
  /// once those alone pass the budget, a run is spilled only when its occurrences are worth it, not
  /// after every document.
  @Test func manyTermsDoNotMakeEveryDocumentARun() throws {
    let vocabulary = (0..<60_000).map { "词\($0)" }
    let model = makeModel(documents: 2_000, vocabulary: vocabulary, seed: 5)
    let directory = makeTemporaryDirectory("spill-terms").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var runs = 0
    let spilled = try buildIndex(model, memoryBudget: 1 << 20, spillDirectory: directory, spilledRuns: &runs)
    #expect(runs >= 2 && runs <= 100, "\(runs) runs for \(model.count) documents")
    #expect(spilled == (try buildIndex(model)))
  }

  @Test func anUnwritableSpillDirectoryIsAnErrorNamingIt() throws {
    #expect(throws: IndexError.self) { try buildIndex(model, memoryBudget: 1 << 16, spillDirectory: "/nonexistent/spill") }
  }
}
