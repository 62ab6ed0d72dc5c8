import Foundation
import Testing
import ZhengSouFormat
import ZhengSouIndex

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
}
