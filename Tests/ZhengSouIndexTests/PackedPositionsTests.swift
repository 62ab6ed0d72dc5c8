import Foundation
import Testing
import ZhengSouFormat
@testable import ZhengSouIndex
import ZhengSouTestSupport

/// POSN (format 8): a block's positions are varints when it holds fewer than
/// `IndexFormat.packedPositionsMinimum`, else a width byte and the values bit-packed. Both kinds,
/// in one list and across widths, must read back exactly, and a bad width must be an error.
@Suite struct PackedPositionsTests {
  /// Per term, the documents holding it and their positions, ascending.
  typealias Expected = [String: [(doc: Int, positions: [UInt32])]]

  /// 300 documents. `w<bits>` terms are in about two documents of three, with one to five
  /// positions below 2^bits (deltas of every width up to 31 bits, so packed values straddle up to
  /// five bytes); their lists have two full blocks and a tail. `s<k>` terms are in k documents with
  /// one position each (k = 1...6: single-block lists on both sides of the threshold), and `t<k>`
  /// in one document with k positions.
  static func build() throws -> (bytes: [UInt8], expected: Expected) {
    var rng = SplitMix64(seed: 31)
    let builder = try IndexBuilder(fieldNames: ["body"], segmenterIdentity: "packed-positions/1")
    var expected: Expected = [:]
    let widths = [1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 25, 31]
    for d in 0..<300 {
      try builder.beginDocument(StoredDocument(id: "d\(d)", title: "", date: "", kind: "other", body: ""))
      var tokens: [(String, [UInt32])] = []
      for bits in widths where rng.next() % 3 != 0 {
        let tf = min(1 << bits, 1 + Int(rng.next() % 5))
        var set = Set<UInt32>()
        while set.count < tf { set.insert(UInt32(truncatingIfNeeded: rng.next() % (UInt64(1) << UInt64(bits)))) }
        tokens.append(("w\(bits)", set.sorted()))
      }
      for k in 1...6 where d % 50 < k { tokens.append(("s\(k)", [UInt32(d)])) }
      for k in 1...6 where d == 7 * k { tokens.append(("t\(k)", (0..<UInt32(k)).map { 3 * $0 + 1 })) }
      var length = 1
      for (term, positions) in tokens {
        for p in positions {
          Array(term.utf8).withUnsafeBytes { builder.addToken(field: 0, term: $0, position: Int(p)) }
        }
        expected[term, default: []].append((d, positions))
        length = max(length, Int(positions.last!) + 1)
      }
      builder.setFieldLength(field: 0, length)
      try builder.endDocument()
    }
    return (try builder.finish().bytes(), expected)
  }

  @Test func positionsOfEveryWidthReadBack() throws {
    let (bytes, expected) = try Self.build()
    let path = temporaryPath("packed-positions.zsx")
    try writeFile(bytes, path)
    let reader = try IndexReader(path: path)
    try reader.verify()
    #expect(expected.count == 24)
    for (term, postings) in expected {
      let info = try #require(try reader.lookup(term)?[0], "\(term)")
      let c = reader.cursor(info)
      var positions: [UInt32] = []
      for (doc, want) in postings {
        #expect(c.doc == UInt32(doc), "\(term)")
        positions.removeAll()
        #expect(c.positions(into: &positions), "\(term)")
        #expect(positions == want, "\(term) in \(doc)")
        c.next()
      }
      #expect(c.doc == PostingsCursor.exhausted && c.failure == nil, "\(term)")
      // Asked out of order (a later document first, then an earlier one of the same block).
      if postings.count >= 3 {
        let probe = reader.cursor(info)
        for k in [2, 0, 1] {
          let (doc, want) = postings[k]
          if probe.doc > UInt32(doc) { continue }  // cursors only move forward
          probe.advance(to: UInt32(doc))
          positions.removeAll()
          #expect(probe.positions(into: &positions) && positions == want, "\(term) in \(doc)")
        }
      }
    }
  }

  /// A packed block whose width byte is above 32, or whose values would run past the section, is an
  /// error naming POSN, from the cursor and from `verify`; never a trap.
  @Test func aBadWidthIsCorrupt() throws {
    let (bytes, expected) = try Self.build()
    let clean = temporaryPath("packed-clean.zsx")
    try writeFile(bytes, clean)
    let reader = try IndexReader(path: clean)
    let posnLength = try #require(reader.container.entry(IndexFormat.positions)).length
    // t4: one document with positions 1, 4, 7, 10: one packed block of the values 1, 3, 3, 3
    // (2 bits wide) at the list's positions offset.
    let t4 = try #require(try reader.lookup("t4")?[0])
    // The list laid out last in POSN: its last block's values, widened to 32 bits, would run past
    // the section's end.
    var last = t4
    for term in expected.keys { if let info = try reader.lookup(term)?[0], info.positionsOffset > last.positionsOffset { last = info } }
    let lastCursor = reader.cursor(last)
    let lastBlock = last.blockCount - 1
    let lastStart = last.positionsOffset + (lastBlock == 0 ? 0 : Int(lastCursor.positionsEnd(ofBlock: lastBlock - 1)))
    let lastDocs = expected.first { (try? reader.lookup($0.key)?[0]?.positionsOffset) == last.positionsOffset }!.value
    let lastCount = lastDocs[(lastBlock * IndexFormat.blockSize)...].reduce(0) { $0 + $1.positions.count }
    #expect(lastCount >= IndexFormat.packedPositionsMinimum && 1 + 4 * lastCount > posnLength - lastStart)
    let cases: [(info: TermFieldInfo, at: Int, width: UInt8, advanceTo: UInt32, reason: String)] = [
      (t4, t4.positionsOffset, 33, 0, "33 bits wide"),
      (last, lastStart, 32, UInt32(lastDocs[lastBlock * IndexFormat.blockSize].doc), "run past the section"),
    ]
    for (k, c) in cases.enumerated() {
      let damaged = try IndexCorruptionTests.patched(bytes, section: "POSN") { v, start in
        if k == 0 { #expect(v[start + c.at] == 2, "values 1, 3, 3, 3 are two bits wide") }
        v[start + c.at] = c.width
      }
      let path = temporaryPath("packed-width-\(k).zsx")
      try writeFile(damaged, path)
      let damagedReader = try IndexReader(path: path)
      let cursor = damagedReader.cursor(c.info)
      cursor.advance(to: c.advanceTo)
      var positions: [UInt32] = []
      #expect(!cursor.positions(into: &positions))
      let failure = try #require(cursor.failure)
      #expect("\(failure)".contains("POSN") && "\(failure)".contains(c.reason), "\(failure)")
      #expect(throws: IndexError.self) { try damagedReader.verify() }
    }
  }
}
