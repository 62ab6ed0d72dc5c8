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
