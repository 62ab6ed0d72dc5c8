import Foundation
import Testing
import ZhengSouTestSupport
import ZhengSouFormat
import ZhengSouIndex

@Suite struct IndexRoundTripTests {
  let model = makeModel(documents: 700, vocabulary: testVocabulary, seed: 7)

  /// Expected postings straight from the model: term → field → [(doc, positions)].
  func expected() -> [String: [[(doc: UInt32, positions: [UInt32])]]] {
    var out: [String: [[(doc: UInt32, positions: [UInt32])]]] = [:]
    for (d, doc) in model.enumerated() {
      for (f, tokens) in doc.fields.enumerated() {
        for (p, t) in tokens.enumerated() {
          var lists = out[t] ?? [[], []]
          if lists[f].last?.doc == UInt32(d) {
            lists[f][lists[f].count - 1].positions.append(UInt32(p))
          } else {
            lists[f].append((UInt32(d), [UInt32(p)]))
          }
          out[t] = lists
        }
      }
    }
    return out
  }

  /// A positions policy that drops every title list and the body lists of terms ending in an odd
  /// digit, so lists with and without positions alternate within dictionary blocks.
  static let dropSome: @Sendable (Int, UnsafeRawBufferPointer) -> Bool = { field, term in
    field == 1 && !(term.last.map { (0x30...0x39).contains($0) && $0 & 1 == 1 } ?? false)
  }

  @Test(arguments: [false, true]) func everyPostingRoundTrips(droppingPositions: Bool) throws {
    let path = temporaryPath("roundtrip-\(droppingPositions).zsx")
    let policy = droppingPositions ? Self.dropSome : nil
    try writeFile(try buildIndex(model, keepsPositions: policy), path)
    let reader = try IndexReader(path: path)
    #expect(reader.documentCount == 700)
    #expect(reader.segmenterIdentity == "test-segmenter/1")
    #expect(reader.metadata.value(for: "source") == "unit test")
    let exp = expected()
    #expect(reader.metadata.termCount == exp.count)
    var multiBlock = 0
    var positionless = (lists: 0, multiBlock: 0)
    for (term, lists) in exp {
      let infos = try #require(try reader.lookup(term), "term \(term) missing")
      for f in 0..<2 {
        let list = lists[f]
        guard let info = infos[f] else {
          #expect(list.isEmpty, "\(term) field \(f)")
          continue
        }
        #expect(info.docFrequency == list.count)
        if info.blockCount > 1 { multiBlock += 1 }
        let keeps = policy.map { keeps in Array(term.utf8).withUnsafeBytes { keeps(f, $0) } } ?? true
        #expect(info.hasPositions == keeps, "\(term) field \(f)")
        if !keeps {
          positionless.lists += 1
          if info.blockCount > 1 { positionless.multiBlock += 1 }
          // Asking a list without positions for them is an error, never a silent empty answer.
          let probe = reader.cursor(info)
          var none: [UInt32] = []
          #expect(!probe.positions(into: &none) && none.isEmpty && probe.failure != nil)
        }
        let c = reader.cursor(info)
        var positions: [UInt32] = []
        for (doc, pos) in list {
          #expect(c.doc == doc)
          #expect(c.freq == UInt32(pos.count))
          if keeps {
            positions.removeAll()
            #expect(c.positions(into: &positions))
            #expect(positions == pos)
          }
          c.next()
        }
        #expect(c.doc == PostingsCursor.exhausted)
        #expect(c.failure == nil)
      }
    }
    #expect(multiBlock > 5, "the model must exercise multi-block lists")
    if droppingPositions {
      #expect(positionless.lists > 100 && positionless.multiBlock > 2, "\(positionless)")
      // Only the kept lists have POSN bytes: the section is smaller than with every list kept.
      let full = try IndexReader(path: { let p = temporaryPath("roundtrip-full.zsx"); try writeFile(try buildIndex(model), p); return p }())
      let size = { (r: IndexReader) in r.sectionSizes.first { $0.name == "POSN" }!.bytes }
      #expect(size(reader) < size(full) * 3 / 4)
      #expect(reader.sectionSizes.first { $0.name == "POST" }!.bytes == full.sectionSizes.first { $0.name == "POST" }!.bytes)
    }
    #expect(try reader.lookup("不存在") == nil)
    #expect(try reader.lookup("") == nil)
    try reader.verify()
    let doc = try reader.document(3)
    #expect(doc == model[3].stored)
  }

  /// `lookup` finds a key exactly when the dictionary holds it, with the infos a full scan of the
  /// dictionary gives, also for keys next to real terms in byte order (a byte added, dropped or
  /// bumped), which end up in the same front-coded block.
  @Test func lookupFindsExactlyTheDictionarysTerms() throws {
    let path = temporaryPath("lookup.zsx")
    try writeFile(try buildIndex(model), path)
    let reader = try IndexReader(path: path)
    var scanned: [[UInt8]: [TermFieldInfo?]] = [:]
    try reader.dictionary.forEachTerm { term, infos in
      scanned[Array(term)] = infos
      return true
    }
    #expect(scanned.count == reader.metadata.termCount)
    var found = 0, missing = 0
    for term in scanned.keys {
      var keys = [term, term + [0], term + [0xFF], Array(term.dropLast()), Array(term.dropFirst())]
      if let last = term.last { keys.append(term.dropLast() + [last &+ 1]) }
      if let last = term.last, last > 0 { keys.append(term.dropLast() + [last - 1, 0xFF]) }
      for key in keys {
        let got = try reader.lookup(key)
        #expect(got == scanned[key], "key \(key)")
        if got == nil { missing += 1 } else { found += 1 }
      }
    }
    #expect(found >= scanned.count && missing > scanned.count, "both outcomes are exercised")
  }

  /// The model's index, written to `name` and opened.
  func openModel(_ name: String) throws -> IndexReader {
    let path = temporaryPath(name)
    try writeFile(try buildIndex(model), path)
    return try IndexReader(path: path)
  }

  @Test func advanceSkipsToTheFirstDocumentAtOrAfterTarget() throws {
    let reader = try openModel("advance.zsx")
    let exp = expected()
    var rng = SplitMix64(seed: 99)
    for term in ["词0", "词1", "词2", "词3", "词10"] {
      let docs = exp[term]![1].map(\.doc)
      let info = try #require(try reader.lookup(term)?[1])
      #expect(info.blockCount > 1)
      for _ in 0..<200 {
        let c = reader.cursor(info)
        var target: UInt32 = 0
        for _ in 0..<5 {
          target += UInt32.random(in: 0...150, using: &rng)
          let want = docs.first { $0 >= target } ?? PostingsCursor.exhausted
          #expect(c.advance(to: target) == want)
          if want == PostingsCursor.exhausted { break }
          var positions: [UInt32] = []
          #expect(c.positions(into: &positions))
          #expect(positions == exp[term]![1].first { $0.doc == want }!.positions)
        }
      }
    }
  }

  /// Reading a list a block at a time (`forEachInBlock`) up to ever larger limits, with `advance`
  /// between the stretches, visits exactly the documents and frequencies of the list in range, and
  /// leaves the cursor on the first document past each limit.
  @Test func blockAtATimeReadingVisitsEveryDocumentInRange() throws {
    let reader = try openModel("block-at-a-time.zsx")
    let exp = expected()
    var rng = SplitMix64(seed: 5)
    for term in ["词0", "词1", "词2", "词10"] {
      let list = exp[term]![1]
      let info = try #require(try reader.lookup(term)?[1])
      #expect(info.blockCount > 1)
      for _ in 0..<50 {
        let c = reader.cursor(info)
        var start: UInt32 = 0
        while start < 700 {
          let last = start + UInt32.random(in: 0...300, using: &rng)
          c.advance(to: start)
          var seen: [(UInt32, UInt32)] = []
          while c.forEachInBlock(through: last, { seen.append(($0, $1)) }) {}
          let want = list.filter { $0.doc >= start && $0.doc <= last }
          #expect(seen.map(\.0) == want.map(\.doc), "\(term) \(start)...\(last)")
          #expect(seen.map(\.1) == want.map { UInt32($0.positions.count) })
          #expect(c.doc == (list.first { $0.doc > last }?.doc ?? PostingsCursor.exhausted))
          start = last + 1 + UInt32.random(in: 0...40, using: &rng)
        }
      }
    }
  }

  @Test func prefixScansReturnExactlyTheTermsWithThePrefix() throws {
    let path = temporaryPath("prefix.zsx")
    try writeFile(try buildIndex(model), path)
    let reader = try IndexReader(path: path)
    let all = Set(expected().keys)
    for prefix in ["词1", "词", "农", "2024", "不存在"] {
      let found = try reader.terms(withPrefix: Array(prefix.utf8)).map { String(decoding: $0.term, as: UTF8.self) }
      #expect(found == all.filter { $0.hasPrefix(prefix) }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }, "\(prefix)")
    }
    #expect(try reader.terms(withPrefix: []).count == all.count, "the empty prefix lists every term")
  }

  @Test func bodyOnlyIndexHasOneField() throws {
    let path = temporaryPath("bodyonly.zsx")
    try writeFile(try buildIndex(model, fields: ["body"]), path)
    let reader = try IndexReader(path: path)
    #expect(reader.fieldNames == ["body"])
    try reader.verify()
  }
}
