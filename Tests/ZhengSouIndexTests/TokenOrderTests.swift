import Foundation
import Testing
import ZhengSouTestSupport
import ZhengSouFormat
@testable import ZhengSouIndex

/// A field's tokens need not come in position order: the segmenter emits a compound's sub-words
/// and grams after the compound, at positions before the next word's. Only each term's positions
/// within a document must increase. Both build paths must then write the same file, and every list
/// must hold its positions in order.
struct TokenOrderTests {
  /// Per document, body tokens in stream order: triples of a word at 3k + 2, then two sub-words at
  /// 3k and 3k + 1 (three vocabularies, so a term's positions in a document still increase).
  static func body(_ d: Int, _ rng: inout SplitMix64) -> [(term: String, position: Int)] {
    (0..<(1 + Int(rng.next() % 40))).flatMap { k -> [(term: String, position: Int)] in
      [("w\(rng.next() % 30)", 3 * k + 2), ("s\(rng.next() % 30)", 3 * k), ("t\(rng.next() % 30)", 3 * k + 1)]
    }
  }

  static let documents: [(title: [String], body: [(term: String, position: Int)])] = {
    var rng = SplitMix64(seed: 21)
    return (0..<300).map { d in (["x\(d % 7)"], body(d, &rng)) }
  }()

  /// A third field, like the lead: body tokens at positions below 7, so that in its stream a 5
  /// comes before the 3 and 4 (`w` at 5, then `s` at 3 and `t` at 4).
  static let limit = 7

  static func stored(_ d: Int) -> StoredDocument { StoredDocument(id: "d\(d)", title: "t", body: "b") }

  static func add(_ builder: IndexBuilder, field: Int, _ term: String, _ position: Int) {
    var term = term
    term.withUTF8 { builder.addToken(field: field, term: UnsafeRawBufferPointer($0), position: position) }
  }

  /// The reference: every token added one by one.
  func reference() throws -> [UInt8] {
    let builder = try IndexBuilder(fieldNames: ["title", "body", "lead"], segmenterIdentity: "order/1")
    for (d, doc) in Self.documents.enumerated() {
      try builder.beginDocument(Self.stored(d))
      for (p, t) in doc.title.enumerated() { Self.add(builder, field: 0, t, p) }
      builder.setFieldLength(field: 0, doc.title.count)
      for (t, p) in doc.body { Self.add(builder, field: 1, t, p) }
      builder.setFieldLength(field: 1, doc.body.count)
      let lead = doc.body.filter { $0.position < Self.limit }
      for (t, p) in lead { Self.add(builder, field: 2, t, p) }
      builder.setFieldLength(field: 2, lead.count)
      try builder.endDocument()
    }
    return try builder.finish().bytes()
  }

  @Test func tokensOutOfPositionOrderBuildTheSameFileOnBothPaths() throws {
    let expected = try reference()

    // In batches, as the indexing pipeline adds them.
    let batched = try IndexBuilder(fieldNames: ["title", "body", "lead"], segmenterIdentity: "order/1")
    for start in stride(from: 0, to: Self.documents.count, by: 64) {
      let range = start..<min(start + 64, Self.documents.count)
      let batch = TermBatch()
      for d in range {
        let doc = Self.documents[d]
        for (p, t) in doc.title.enumerated() {
          var t = t
          t.withUTF8 { batch.add(term: UnsafeRawBufferPointer($0), position: p) }
        }
        batch.endField()
        for (t, p) in doc.body {
          var t = t
          t.withUTF8 { batch.add(term: UnsafeRawBufferPointer($0), position: p) }
        }
        batch.endField()
        for (t, p) in doc.body where p < Self.limit {
          var t = t
          t.withUTF8 { batch.add(term: UnsafeRawBufferPointer($0), position: p) }
        }
        batch.endField()
      }
      try batched.add(batch, documents: range.map(Self.stored))
    }
    #expect(try batched.finish().bytes() == expected)
  }

  /// Every list of the file holds its documents' positions in increasing order, the third field's
  /// too, whose sub-words at 3 and 4 (and 6) follow a word at 5 (or 8) in its stream.
  @Test func listsHoldPositionsInOrder() throws {
    let path = temporaryPath("token-order.zsx")
    try writeFile(try reference(), path)
    let reader = try IndexReader(path: path)
    try reader.verify()
    var expected: [String: [[UInt32: [UInt32]]]] = [:]  // term → field → doc → positions
    for (d, doc) in Self.documents.enumerated() {
      for (t, p) in doc.body {
        for f in p < Self.limit ? [1, 2] : [1] {
          expected[t, default: [[:], [:], [:]]][f][UInt32(d), default: []].append(UInt32(p))
        }
      }
    }
    var leadAfterLarger = 0
    for (term, fields) in expected {
      let infos = try #require(try reader.lookup(term))
      for f in 1...2 {
        let docs = fields[f]
        guard let info = infos[f] else {
          #expect(docs.isEmpty, "\(term) field \(f)")
          continue
        }
        #expect(info.docFrequency == docs.count)
        let c = reader.cursor(info)
        while c.doc != PostingsCursor.exhausted {
          var positions: [UInt32] = []
          #expect(c.positions(into: &positions))
          #expect(positions == docs[c.doc], "\(term) field \(f) doc \(c.doc)")
          if f == 2 && (term.hasPrefix("s") || term.hasPrefix("t")) && positions.contains(where: { $0 >= 6 }) { leadAfterLarger += 1 }
          c.next()
        }
        #expect(c.failure == nil)
      }
    }
    #expect(leadAfterLarger > 100, "the third field's 6 comes after an 8 in the body's stream")
  }

  /// A term at a position before its previous one in the same document cannot be encoded
  /// (positions are stored as increasing deltas): the build fails, naming the field, the term and
  /// the document, rather than write a list that the reader refuses. The same term twice at one
  /// position counts once.
  @Test func aTermsPositionsMustNotDecrease() throws {
    func build(second: Int) throws -> IndexFileWriter {
      let builder = try IndexBuilder(fieldNames: ["title", "body"], segmenterIdentity: "order/1")
      for d in 0..<3 {
        try builder.beginDocument(Self.stored(d))
        builder.setFieldLength(field: 0, 0)
        Self.add(builder, field: 1, "a", 5)
        if d == 1 { Self.add(builder, field: 1, "a", second) }
        builder.setFieldLength(field: 1, 6)
        try builder.endDocument()
      }
      return try builder.finish()
    }
    #expect(throws: IndexError.positionsNotIncreasing(field: "body", term: "a", document: 1)) { try build(second: 3) }
    #expect(
      IndexError.positionsNotIncreasing(field: "body", term: "a", document: 1).description
        == "term \"a\" of field body in document 1: a position before the term's previous one")

    let path = temporaryPath("token-repeat.zsx")
    try writeFile(try build(second: 5).bytes(), path)
    let reader = try IndexReader(path: path)
    try reader.verify()
    let c = reader.cursor(try #require(try reader.lookup("a")?[1]))
    #expect(c.advance(to: 1) == 1 && c.freq == 1)
  }
}
