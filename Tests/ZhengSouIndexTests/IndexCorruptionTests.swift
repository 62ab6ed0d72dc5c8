import Foundation
import Testing
import ZhengSouFormat
import ZhengSouIndex

@Suite struct IndexCorruptionTests {
  let bytes = try! buildIndex(makeModel(documents: 40, vocabulary: testVocabulary, seed: 3))

  /// Opens and fully verifies `bytes` as an index file; returns the error, if any.
  func openAndVerify(_ bytes: [UInt8], name: String) -> IndexError? {
    let path = temporaryPath(name)
    do {
      try writeFile(bytes, path)
      let reader = try IndexReader(path: path)
      try reader.verify()
      return nil
    } catch let e as IndexError {
      return e
    } catch {
      Issue.record("unexpected error \(error)")
      return nil
    }
  }

  @Test func intactIndexVerifies() {
    #expect(openAndVerify(bytes, name: "intact.zsx") == nil)
  }

  @Test func everySingleByteFlipIsDetected() throws {
    // Container level, in memory, every byte (so the test stays fast).
    for i in bytes.indices {
      var damaged = bytes
      damaged[i] ^= 0x5A
      let detected: Bool = damaged.withUnsafeBytes { raw in
        do {
          let file = try IndexFileReader(raw, supportedVersions: IndexFormat.supportedVersions)
          try file.verifyAll()
          return false
        } catch { return true }
      }
      #expect(detected, "flip at byte \(i) of \(bytes.count) went unnoticed")
    }
    // And through the real reader, for a sample of offsets in every section.
    let reader = try bytes.withUnsafeBytes { try IndexFileReader($0, supportedVersions: IndexFormat.supportedVersions) }
    for e in reader.entries where e.length > 0 {
      for i in [e.offset, e.offset + e.length / 2, e.offset + e.length - 1] {
        var damaged = bytes
        damaged[i] ^= 0x01
        let error = openAndVerify(damaged, name: "flip.zsx")
        #expect(error != nil, "flip in \(e.id) at \(i)")
        #expect("\(error!)".contains(e.id.description), "the error names section \(e.id): \(error!)")
      }
    }
  }

  @Test func truncationIsReportedAsTruncation() {
    for length in [0, 5, 31, 32, 100, bytes.count / 2, bytes.count - 1] {
      let error = openAndVerify(Array(bytes[0..<length]), name: "trunc.zsx")
      guard case .format(_, let f)? = error else {
        Issue.record("length \(length): \(String(describing: error))")
        continue
      }
      if length >= 8 {
        guard case .truncated = f else {
          Issue.record("length \(length): expected truncated, got \(f)")
          continue
        }
      }
    }
  }

  @Test func wrongMagicAndVersionsAreDistinctErrors() {
    var notIndex = bytes
    notIndex[1] = UInt8(ascii: "Q")
    #expect(openAndVerify(notIndex, name: "magic.zsx") == .format(path: temporaryPath("magic.zsx"), .badMagic))

    for (version, tooNew) in [(UInt32(99), true), (UInt32(0), false)] {
      var v = bytes
      v[8] = UInt8(version)
      // Re-seal the header checksum so only the version differs.
      let crc = CRC32C.checksum(v[0..<24])
      for k in 0..<4 { v[24 + k] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * k)) }
      let error = openAndVerify(v, name: "version.zsx")
      if tooNew {
        #expect(error == .format(path: temporaryPath("version.zsx"), .versionTooNew(found: 99, newestSupported: IndexFormat.currentVersion)))
      } else {
        #expect(error == .format(path: temporaryPath("version.zsx"), .versionTooOld(found: 0, oldestSupported: IndexFormat.oldestSupportedVersion)))
      }
    }
  }

  /// `bytes` with `patch` applied inside section `id`, and that section's checksum, the table's
  /// and the footer's re-sealed: damage only the structure checks can see.
  static func patched(_ bytes: [UInt8], section id: String, _ patch: (inout [UInt8], Int) -> Void) throws -> [UInt8] {
    var v = bytes
    let entries = try bytes.withUnsafeBytes { try IndexFileReader($0, supportedVersions: IndexFormat.supportedVersions).entries }
    let k = try #require(entries.firstIndex { $0.id.description == id })
    patch(&v, entries[k].offset)
    func put(_ value: UInt32, at i: Int) { for b in 0..<4 { v[i + b] = UInt8(truncatingIfNeeded: value >> UInt32(8 * b)) } }
    let footer = v.count - 24
    let tableOffset = Int(v[footer]) | Int(v[footer + 1]) << 8 | Int(v[footer + 2]) << 16 | Int(v[footer + 3]) << 24
    put(CRC32C.checksum(v[entries[k].offset..<(entries[k].offset + entries[k].length)]), at: tableOffset + 24 * k + 4)
    put(CRC32C.checksum(v[tableOffset..<(tableOffset + 24 * entries.count)]), at: footer + 12)
    put(CRC32C.checksum(v[footer..<(footer + 16)]), at: footer + 16)
    return v
  }

  /// Lists without positions (format version 5): an even positions code other than 0 in TDIC, and a
  /// skip entry with positions in a list that has none, are corrupt, and the errors say where.
  @Test func positionlessListsAreChecked() throws {
    // The worked example's TDIC ends with 经济's entry, whose positions code is 0.
    let example = try WorkedExampleTests.exampleFile()
    #expect(openAndVerify(example, name: "example.zsx") == nil)
    let badCode = try Self.patched(example, section: "TDIC") { v, start in
      #expect(v[start + 74] == 0x00)
      v[start + 74] = 0x02
    }
    let codeError = try #require(openAndVerify(badCode, name: "code.zsx"))
    #expect("\(codeError)".contains("TDIC") && "\(codeError)".contains("positions code 2"), "\(codeError)")

    // A 700-document model without any positions: its frequent terms have multi-block lists.
    let model = makeModel(documents: 700, vocabulary: testVocabulary, seed: 7)
    let none = try buildIndex(model, keepsPositions: { _, _ in false })
    let path = temporaryPath("positionless.zsx")
    try writeFile(none, path)
    let reader = try IndexReader(path: path)
    try reader.verify()
    #expect(reader.sectionSizes.first { $0.name == "POSN" }?.bytes == 0)
    var longList: TermFieldInfo? = nil
    try reader.dictionary.forEachTerm { _, infos in
      longList = infos.compactMap { $0 }.first { $0.blockCount > 1 }
      return longList == nil
    }
    let info = try #require(longList)
    #expect(!info.hasPositions)
    let badSkip = try Self.patched(none, section: "POST") { v, start in v[start + info.postingsOffset + 8] = 1 }
    let skipError = try #require(openAndVerify(badSkip, name: "skip.zsx"))
    #expect("\(skipError)".contains("POST") && "\(skipError)".contains("positionsEnd"), "\(skipError)")
  }

  /// A dictionary block offset that points outside TDIC is refused, and the error names the offset
  /// table entry that holds it (the table starts after the block keys, at 16 + 8 · blockCount).
  @Test func aBlockOffsetOutsideTheDictionaryNamesItsEntry() throws {
    let example = try WorkedExampleTests.exampleFile()
    // The example's TDIC has one block: its key at 16, its offset at 24.
    let bad = try Self.patched(example, section: "TDIC") { v, start in
      #expect(v[(start + 24)..<(start + 28)] == [0, 0, 0, 0])
      v[start + 25] = 0x7F
    }
    let error = try #require(openAndVerify(bad, name: "blockoffset.zsx"))
    #expect("\(error)".contains("section TDIC at byte 24: block 0 spans"), "\(error)")
  }

  /// One TDIC entry's layout, relative to the section's start (a test's own reading of
  /// docs/FORMAT.md, so that it can damage one rule at a time).
  struct DictionaryEntry {
    var block: Int
    var start: Int
    var prefix: Int
    var suffixLengthAt: Int
    var suffixStart: Int
    var suffixLength: Int
    var end: Int
  }

  /// Every entry of the TDIC section of `bytes`, in order.
  static func dictionaryEntries(_ bytes: [UInt8]) throws -> [DictionaryEntry] {
    let entries = try bytes.withUnsafeBytes { try IndexFileReader($0, supportedVersions: IndexFormat.supportedVersions).entries }
    let tdic = try #require(entries.first { $0.id.description == "TDIC" })
    let v = Array(bytes[tdic.offset..<(tdic.offset + tdic.length)])
    func u32(_ i: Int) -> Int { Int(v[i]) | Int(v[i + 1]) << 8 | Int(v[i + 2]) << 16 | Int(v[i + 3]) << 24 }
    let (termCount, blockCount, fieldCount) = (u32(0), u32(4), u32(8))
    let blocksStart = 16 + 12 * blockCount
    var o = 0
    func varint() throws -> Int { try v.withUnsafeBytes { Int(try VarInt.decodeUInt64($0.baseAddress!, &o, end: $0.count)) } }
    var out: [DictionaryEntry] = []
    for b in 0..<blockCount {
      o = blocksStart + u32(16 + 8 * blockCount + 4 * b)
      for _ in 0..<min(32, termCount - 32 * b) {
        let start = o
        let prefix = try varint()
        let suffixLengthAt = o
        let suffixLength = try varint()
        let suffixStart = o
        o += suffixLength
        for _ in 0..<fieldCount where try varint() > 0 {
          _ = try varint()  // maxTf
          o += 1  // minNorm
          _ = try varint()  // postingsOffset delta
          _ = try varint()  // positionsCode
        }
        out.append(DictionaryEntry(block: b, start: start, prefix: prefix, suffixLengthAt: suffixLengthAt, suffixStart: suffixStart, suffixLength: suffixLength, end: o))
      }
    }
    return out
  }

  /// A dictionary whose terms are out of order, within a block or from one block to the next, is
  /// corrupt: a lookup's binary search and its scan of a block would miss terms. `verify` says
  /// which entry.
  @Test func termsOutOfOrderAreRefused() throws {
    #expect(openAndVerify(bytes, name: "order.zsx") == nil)
    let entries = try Self.dictionaryEntries(bytes)
    #expect(Set(entries.map(\.block)).count >= 2, "the model's dictionary has more than one block")

    // Within a block: an entry that shares less than the whole term before it, its first own
    // byte set to 0 (terms are UTF-8, so it now sorts before that term).
    let k = try #require(entries.indices.first { i in
      i > 0 && entries[i].block == entries[i - 1].block && entries[i].prefix < entries[i - 1].end - entries[i - 1].start && entries[i].suffixLength > 0
    })
    let within = try Self.patched(bytes, section: "TDIC") { v, start in v[start + entries[k].suffixStart] = 0 }
    let withinResult = openAndVerify(within, name: "order-within.zsx")
    let withinError = try #require(withinResult)
    let i = k - entries.firstIndex { $0.block == entries[k].block }!
    #expect("\(withinError)".contains("section TDIC at byte \(entries[k].start): term \(i) of block \(entries[k].block) does not come after"), "\(withinError)")

    // Across blocks: block 1's first term (and its key, so that only the order is wrong) made to
    // start with byte 0.
    let first = try #require(entries.first { $0.block == 1 })
    let blockCount = entries.last!.block + 1
    let across = try Self.patched(bytes, section: "TDIC") { v, start in
      v[start + first.suffixStart] = 0
      v[start + 16 + 8] = 0
    }
    let acrossResult = openAndVerify(across, name: "order-across.zsx")
    let acrossError = try #require(acrossResult)
    #expect("\(acrossError)".contains("section TDIC at byte \(first.start): block 1's first term does not come after block 0's last"), "\(acrossError) (\(blockCount) blocks)")
  }

  /// A term that occurs in no field (df 0 in each) is corrupt. The damage: the last entry's suffix
  /// grown over its infos, whose last bytes become one df of 0 per field (the entry keeps its
  /// length, so nothing after it moves).
  @Test func aTermInNoFieldIsRefused() throws {
    let entries = try Self.dictionaryEntries(bytes)
    let last = entries.last!
    #expect(last.block == entries[entries.count - 2].block, "the last block holds two entries or more")
    let fieldCount = 2
    let grown = last.end - last.suffixStart - fieldCount
    #expect(last.suffixLength < 128 && grown < 128 && grown > last.suffixLength)
    let damaged = try Self.patched(bytes, section: "TDIC") { v, start in
      v[start + last.suffixLengthAt] = UInt8(grown)
      for f in 0..<fieldCount { v[start + last.end - 1 - f] = 0 }
    }
    let result = openAndVerify(damaged, name: "nofield.zsx")
    let error = try #require(result)
    #expect("\(error)".contains("section TDIC at byte \(last.start)") && "\(error)".contains("occurs in no field"), "\(error)")
  }

  /// Skip entries: the three bytes after minNorm MUST be zero, and each block-max pair MUST be
  /// the block's exact largest tf and smallest norm code. A pair above the block's postings still
  /// bounds them (pruning stays correct), so only `verify` can see it.
  @Test func skipEntriesAreCheckedExactly() throws {
    let model = makeModel(documents: 700, vocabulary: testVocabulary, seed: 7)
    let index = try buildIndex(model)
    #expect(openAndVerify(index, name: "skips.zsx") == nil)
    let path = temporaryPath("skips-intact.zsx")
    try writeFile(index, path)
    var longList: TermFieldInfo? = nil
    let reader = try IndexReader(path: path)  // kept: the dictionary reads its mapping
    try reader.dictionary.forEachTerm { _, infos in
      longList = infos.compactMap { $0 }.first { $0.blockCount > 1 }
      return longList == nil
    }
    let info = try #require(longList)
    let entry1 = info.postingsOffset + IndexFormat.skipEntrySize
    for byte in 17..<20 {
      let damaged = try Self.patched(index, section: "POST") { v, start in v[start + entry1 + byte] = 0x40 }
      let result = openAndVerify(damaged, name: "skip-zero.zsx")
      let error = try #require(result, "byte \(byte)")
      #expect("\(error)".contains("section POST at byte \(entry1 + 17): skip entry 1's last three bytes are not zero"), "\(error)")
    }
    for (what, at, delta) in [("maxTf up", 12, 1), ("maxTf down", 12, -1), ("minNorm down", 16, -1), ("minNorm up", 16, 1)] {
      var stored = 0
      let damaged = try Self.patched(index, section: "POST") { v, start in
        stored = Int(v[start + entry1 + at])
        v[start + entry1 + at] = UInt8(truncatingIfNeeded: stored + delta)
      }
      if (what == "maxTf down" && stored == 0) || (what == "minNorm down" && stored == 0) || (what == "minNorm up" && stored == 255) { continue }
      let result = openAndVerify(damaged, name: "skip-pair.zsx")
      let error = try #require(result, "\(what)")
      #expect("\(error)".contains("section POST at byte \(entry1): skip entry 1's block-max pair"), "\(what): \(error)")
    }
  }

  /// Infos whose postings lie outside the section (as a damaged dictionary could give them): the
  /// prefetch hint a query asks for before making its cursors reads nothing and never faults, and
  /// the cursors stop with an error that names the section.
  @Test func listsOutsideTheSectionArePrefetchedSafelyAndRefused() throws {
    let path = temporaryPath("prefetch.zsx")
    try writeFile(bytes, path)
    let reader = try IndexReader(path: path)
    let post = try #require(reader.sectionSizes.first { $0.name == "POST" }?.bytes)
    for (offset, df) in [(-1, 1), (post, 1), (post - 1, 500), (Int(Int32.max) * 64, 3), (0, Int(UInt32.max))] {
      let info = TermFieldInfo(docFrequency: df, maxTermFrequency: 1, minNormCode: 0, postingsOffset: offset, positionsOffset: 0)
      reader.prefetchStart(of: info)
      let cursor = reader.cursor(info)
      #expect(cursor.doc == PostingsCursor.exhausted, "offset \(offset), \(df) documents")
      #expect("\(String(describing: cursor.failure))".contains("POST"), "offset \(offset), \(df) documents")
    }
  }

  @Test func missingFileIsAnIOError() {
    let path = temporaryPath("does-not-exist.zsx")
    #expect(throws: IndexError.self) { try IndexReader(path: path) }
  }
}
