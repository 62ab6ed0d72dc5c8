import Foundation
import Testing
@testable import ZhengSouIndex
import ZhengSouTestSupport

/// `IndexReader.unionCursor` merges several lists of one field into one list: each document once,
/// the frequencies summed, the positions merged (when restricted to candidates), with exact
/// block-max pairs. Checked against the same union computed from the model documents.
@Suite struct PostingsUnionTests {
  /// 700 documents over 40 terms, Zipf-like, so that the union's list has several full blocks and
  /// a tail, and each term's list ranges from a few documents to most of them.
  static let vocabulary = (0..<40).map { "u\($0)" }
  static let model = makeModel(documents: 700, vocabulary: vocabulary, seed: 77)
  static let reader: Result<IndexReader, any Error> = Result {
    let path = temporaryPath("union.zsx")
    try writeFile(try buildIndex(model), path)
    return try IndexReader(path: path)
  }

  /// The union of `terms` in the body of every document, by hand: (doc, positions ascending).
  static func expected(_ terms: Set<String>, within candidates: Set<Int>? = nil) -> [(doc: Int, positions: [UInt32])] {
    model.enumerated().compactMap { d, doc in
      guard candidates?.contains(d) ?? true else { return nil }
      let positions = doc.fields[1].enumerated().filter { terms.contains($0.element) }.map { UInt32($0.offset) }
      return positions.isEmpty ? nil : (d, positions)
    }
  }

  @Test func mergedListsEqualTheUnion() throws {
    let reader = try Self.reader.get()
    var rng = SplitMix64(seed: 5)
    var multiBlock = 0
    for round in 0..<60 {
      let count = 2 + Int(rng.next() % 12)
      let terms = Set((0..<count).map { _ in Self.vocabulary[Int(rng.next() % UInt64(Self.vocabulary.count))] })
      let infos = try terms.sorted().compactMap { try reader.lookup($0)?[1] }
      // Every other round restricted to a random third of the documents, with positions.
      let candidates: [UInt32]? = round % 2 == 0 ? nil : (0..<700).filter { _ in rng.next() % 3 == 0 }.map(UInt32.init)
      let want = Self.expected(terms, within: candidates.map { Set($0.map(Int.init)) })
      guard let c = try reader.unionCursor(of: infos, field: 1, within: candidates) else {
        #expect(want.isEmpty, "\(terms)")
        continue
      }
      #expect(c.info.docFrequency == want.count && c.info.hasPositions == (candidates != nil))
      if c.blockCount > 1 { multiBlock += 1 }
      // The block-max pairs are those of the merged postings.
      let norms = reader.norms(field: 1)
      for b in 0..<c.blockCount {
        let block = want[(b * 128)..<min(want.count, (b + 1) * 128)]
        #expect(c.maxTermFrequency(ofBlock: b) == UInt32(block.map(\.positions.count).max()!), "\(terms) block \(b)")
        #expect(c.minNormCode(ofBlock: b) == block.map { norms[$0.doc] }.min()!, "\(terms) block \(b)")
      }
      var positions: [UInt32] = []
      for (doc, p) in want {
        #expect(c.doc == UInt32(doc) && c.freq == UInt32(p.count), "\(terms) at \(doc)")
        if candidates != nil {
          positions.removeAll()
          #expect(c.positions(into: &positions) && positions == p, "\(terms) at \(doc)")
        }
        c.next()
      }
      #expect(c.doc == PostingsCursor.exhausted && c.failure == nil)
    }
    #expect(multiBlock > 10, "the unions span several blocks")
  }

  /// No candidates, or none that a list holds: no cursor.
  @Test func anEmptyUnionIsNil() throws {
    let reader = try Self.reader.get()
    let infos = try ["u30", "u31"].compactMap { try reader.lookup($0)?[1] }
    #expect(!infos.isEmpty)
    #expect(try reader.unionCursor(of: infos, field: 1, within: []) == nil)
    #expect(try reader.unionCursor(of: [], field: 1) == nil)
  }
}
