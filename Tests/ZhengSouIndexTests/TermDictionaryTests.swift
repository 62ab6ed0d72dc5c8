import Foundation
import Testing
import ZhengSouFormat
@testable import ZhengSouIndex

/// The term dictionary's lookup over its block key table (format version 6): keys are only a
/// term's first 8 bytes, so blocks whose first terms share those bytes have equal keys and the
/// lookup must fall back to the whole terms there.
struct TermDictionaryTests {
  /// Terms chosen to make keys tie: hundreds sharing their first 8 bytes (many blocks with one
  /// key), terms shorter than 8 bytes, terms that differ only in a trailing zero byte (equal keys
  /// too: the key pads with zeros), and grams and Chinese words as the pipeline writes them.
  static let terms: [[UInt8]] = {
    var terms = Set<[UInt8]>()
    for i in 0..<300 { terms.insert(Array("internat\(String(i, radix: 7))".utf8)) }
    for i in 0..<120 { terms.insert(Array("internal\(i)".utf8)) }
    for w in ["a", "ab", "abc", "abcdefg", "abcdefgh", "abcdefghi", "发展", "经济发展", "中国农业发展银行"] { terms.insert(Array(w.utf8)) }
    terms.insert([0x61, 0x62])
    terms.insert([0x61, 0x62, 0x00])
    terms.insert([0x61, 0x62, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])
    terms.insert([0x61, 0x62, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01])
    for a in ["中", "国", "农", "业"] { for b in ["发", "展", "银", "行"] { terms.insert([0x01] + Array((a + b).utf8)) } }
    return terms.sorted { $0.lexicographicallyPrecedes($1) }
  }()

  static func index() throws -> IndexReader {
    let builder = try IndexBuilder(fieldNames: ["body"], segmenterIdentity: "test")
    // Document d holds every term whose rank is ≡ d (mod 7), so each term has its own df.
    for d in 0..<7 {
      try builder.beginDocument(StoredDocument(id: "d\(d)", title: "", date: "", kind: "other", body: ""))
      var position = 0
      for (rank, term) in terms.enumerated() where rank % 7 == d || rank % 5 == 0 {
        term.withUnsafeBytes { builder.addToken(field: 0, term: $0, position: position) }
        position += 1
      }
      builder.setFieldLength(field: 0, position)
      try builder.endDocument()
    }
    let path = temporaryPath("dictionary-keys.zsx")
    try writeFile(try builder.finish().bytes(), path)
    return try IndexReader(path: path)
  }

  @Test func everyTermIsFoundAndNothingElse() throws {
    let reader = try Self.index()
    try reader.verify()
    #expect(Self.terms.count > 10 * IndexFormat.termsPerDictionaryBlock)
    for (rank, term) in Self.terms.enumerated() {
      let df = rank % 5 == 0 ? 7 : 1
      let infos = try reader.lookup(term)
      #expect(infos?.first??.docFrequency == df, "\(term)")
    }
    // Absent terms on every side of the tying keys: before the first, between, after the last,
    // and ones whose key equals a block's key.
    let absent: [[UInt8]] = [
      [], [0x00], [0x01], Array("internat".utf8), Array("internat0a".utf8), Array("internat66666".utf8),
      Array("internal".utf8), Array("internaz".utf8), [0x61, 0x62, 0x00, 0x00], Array("abcdefgh0".utf8), [0xFF, 0xFF],
    ]
    for term in absent {
      #expect(try reader.lookup(term) == nil, "\(term)")
    }
    // A prefix scan starting among tying keys finds exactly the terms with that prefix.
    let prefix = Array("internat1".utf8)
    let expected = Self.terms.filter { $0.starts(with: prefix) }
    #expect(try reader.terms(withPrefix: prefix).map(\.term) == expected)
  }

  /// A block key that is not its first term's first 8 bytes is corrupt: `verify` says which block,
  /// and lookups through the damaged table still return (a wrong block is only ever a miss).
  @Test func aWrongBlockKeyIsCorrupt() throws {
    let example = try WorkedExampleTests.exampleFile()
    let damaged = try IndexCorruptionTests.patched(example, section: "TDIC") { v, start in
      #expect(v[start + 16] == 0x32)  // "2" of 2024, the first term
      v[start + 19] = 0x35  // 2025
    }
    let path = temporaryPath("bad-key.zsx")
    try writeFile(damaged, path)
    let reader = try IndexReader(path: path)
    #expect(throws: IndexError.self) { try reader.verify() }
    do {
      try reader.verify()
    } catch {
      #expect("\(error)".contains("TDIC") && "\(error)".contains("block 0's key"), "\(error)")
    }
    for term in ["2024", "2024年", "发展", "经济", "2026"] { _ = try reader.lookup(term) }
  }

  /// A lookup gets past the entries before its key with `skipInfos`, which decodes their infos
  /// straight from the bytes; the checked reads (`readInfos`, `lookup(_:checkedSkips: true)`) are
  /// its reference. On intact bytes both give every term the infos a whole scan gives it (three
  /// fields, one without positions, lists long enough for multi-byte varints). On damaged bytes,
  /// every byte of a block set in turn to values that lengthen varints, make positions codes even
  /// and break sort orders, both give the same infos, or the same error, for every term of the
  /// block.
  @Test func lookupsSkipEntriesAsTheCheckedReadsDo() throws {
    let builder = try IndexBuilder(fieldNames: ["title", "body", "lead"], segmenterIdentity: "test", keepsPositions: { field, _ in field != 2 })
    for d in 0..<300 {
      try builder.beginDocument(StoredDocument(id: "d\(d)", title: "", date: "", kind: "other", body: ""))
      for field in 0..<3 {
        var position = 0
        for (rank, term) in Self.terms.enumerated() where (rank + field) % 11 == d % 11 || rank % 5 == field {
          for _ in 0..<(1 + (rank + d) % 3) {
            term.withUnsafeBytes { builder.addToken(field: field, term: $0, position: position) }
            position += 1 + rank % 4
          }
        }
        builder.setFieldLength(field: field, position)
      }
      try builder.endDocument()
    }
    let bytes = try builder.finish().bytes()
    let path = temporaryPath("dictionary-skips.zsx")
    try writeFile(bytes, path)
    let reader = try IndexReader(path: path)
    try reader.verify()
    var scanned: [[UInt8]: [TermFieldInfo?]] = [:]
    try reader.dictionary.forEachTerm { term, infos in
      scanned[Array(term)] = infos
      return true
    }
    #expect(scanned.count == Self.terms.count)
    #expect(scanned.values.contains { $0.contains { ($0?.docFrequency ?? 0) > 128 && ($0?.postingsOffset ?? 0) > 1 << 14 } })
    for term in Self.terms {
      let fast = try term.withUnsafeBytes { try reader.dictionary.lookup($0, checkedSkips: false) }
      let checked = try term.withUnsafeBytes { try reader.dictionary.lookup($0, checkedSkips: true) }
      #expect(fast == scanned[term] && checked == scanned[term], "\(term)")
    }

    // The section's bytes, damaged in memory.
    let entries = try bytes.withUnsafeBytes { try IndexFileReader($0, supportedVersions: IndexFormat.supportedVersions).entries }
    let tdic = try #require(entries.first { $0.id.description == "TDIC" })
    let section = Array(bytes[tdic.offset..<(tdic.offset + tdic.length)])
    func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(section[at + $1]) << (8 * $1) } }
    let blockCount = u32(4)
    let blocksStart = 16 + 12 * blockCount
    func blockStart(_ b: Int) -> Int { b < blockCount ? blocksStart + u32(16 + 8 * blockCount + 4 * b) : section.count }
    enum Outcome: Equatable {
      case found([TermFieldInfo?]?)
      case refused(FormatError)
      case other(String)
    }
    func outcome(_ dictionary: TermDictionaryReader, _ term: [UInt8], checked: Bool) -> Outcome {
      do { return .found(try term.withUnsafeBytes { try dictionary.lookup($0, checkedSkips: checked) }) } catch let e as FormatError {
        return .refused(e)
      } catch { return .other("\(error)") }
    }
    let per = IndexFormat.termsPerDictionaryBlock
    var compared = 0, refused = 0
    for b in [blockCount / 2] {
      let terms = Array(Self.terms[(b * per)..<min(Self.terms.count, (b + 1) * per)])
      for at in blockStart(b)..<blockStart(b + 1) {
        for value: UInt8 in [0xFF, 0x02, section[at] ^ 0x40] {
          var damaged = section
          damaged[at] = value
          try damaged.withUnsafeBytes { raw in
            let dictionary = try TermDictionaryReader(raw, fieldCount: 3)
            for term in terms {
              let fast = outcome(dictionary, term, checked: false)
              #expect(fast == outcome(dictionary, term, checked: true), "byte \(at) = \(value), term \(term)")
              compared += 1
              if case .refused = fast { refused += 1 }
            }
          }
        }
      }
    }
    // The damage was seen: many lookups were refused, and the rest still compared.
    #expect(refused > 500 && compared - refused > 500, "\(refused) of \(compared)")
  }
}
