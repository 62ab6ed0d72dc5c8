import Foundation
import Testing
import ZhengSouFormat
import ZhengSouIndex

/// docs/FORMAT.md's worked example, byte for byte: if this fails, the specification or the writer
/// is wrong (fix whichever is, and if bytes changed meaning, bump the version).
struct WorkedExampleTests {
  static func exampleFile() throws -> [UInt8] {
    // 经济's list keeps no positions (as a word that grams cover would not, in a real index).
    let builder = try IndexBuilder(
      fieldNames: ["body"], segmenterIdentity: "zhengsou-segmenter/1 icu/72.1 unicode/15.0 nfkc_cf t2s/1 numunits/1",
      keepsPositions: { _, term in !term.elementsEqual("经济".utf8) })
    let docs: [(StoredDocument, [(String, Int)])] = [
      (StoredDocument(id: "a", title: "甲", date: "", kind: "other", body: "2024年发展经济"), [("2024年", 0), ("2024", 0), ("发展", 1), ("经济", 2)]),
      (StoredDocument(id: "b", title: "乙", date: "", kind: "other", body: "经济发展 发展"), [("经济", 0), ("发展", 1), ("发展", 2)]),
    ]
    for (doc, tokens) in docs {
      try builder.beginDocument(doc)
      for (term, position) in tokens {
        var t = term
        t.withUTF8 { builder.addToken(field: 0, term: UnsafeRawBufferPointer($0), position: position) }
      }
      builder.setFieldLength(field: 0, 3)
      try builder.endDocument()
    }
    return try builder.finish().bytes()
  }

  static func hex(_ bytes: some Collection<UInt8>) -> String { bytes.map { String(format: "%02X", $0) }.joined(separator: " ") }

  @Test func theFileIsTheDocumentedBytes() throws {
    let file = try Self.exampleFile()
    #expect(file.count == 17_952)
    #expect(Self.hex(file[0..<32]) == "89 5A 53 58 0D 0A 1A 0A 08 00 00 00 00 00 00 00 20 46 00 00 00 00 00 00 18 1D BD F7 00 00 00 00")
    #expect(Self.hex(file[(file.count - 24)...]) == "60 45 00 00 00 00 00 00 07 00 00 00 87 CA 60 08 DF 6A CA DD 5A 53 58 21")
    let entries = try file.withUnsafeBytes { (b) throws(FormatError) in try IndexFileReader(b, supportedVersions: IndexFormat.supportedVersions).entries }
    #expect(entries.map { "\($0.id) \($0.offset) \($0.length) \(String(format: "%08X", $0.checksum))" } == [
      "META 32 38 6DA0DF37", "SEGM 72 67 DD4D1B25", "TDIC 144 75 9288355F", "POST 224 7 F4E6581F",
      "POSN 232 5 01FAFF3F", "FNRM 240 2 D6D62CBF", "DOCS 248 17511 66BDC2D6",
    ])
    // TDIC's block key (the first term 2024, zero-padded), then after the block offset its
    // entries: positions codes `delta << 1 | 1`, and 0 for 经济, whose list has none; POSN.
    #expect(Self.hex(file[160..<172]) == "32 30 32 34 00 00 00 00 00 00 00 00")
    #expect(Self.hex(file[172..<219]) == """
      00 04 32 30 32 34 01 01 03 00 01 04 03 E5 B9 B4 01 01 03 01 03 00 06 E5 8F 91 E5 B1 95 02 02 03 01 03 \
      00 06 E7 BB 8F E6 B5 8E 02 01 03 03 00
      """)
    #expect(Self.hex(file[232..<237]) == "00 00 01 01 01")
    // DOCS: count 2, 16 per block, the table's length (17,407 bytes); the table, whose first
    // characters are ，。、; then id offsets 0 1 2, block offsets 0 50, ids "ab", the block's raw
    // length 44 and the zlib header.
    let table = 17_407
    #expect(Self.hex(file[248..<(248 + 21)]) == "02 00 00 00 10 00 00 00 FF 43 00 00 EF BC 8C E3 80 82 E3 80 81")
    #expect(Self.hex(file[(260 + table)..<(260 + table + 48)]) == """
      00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \
      32 00 00 00 00 00 00 00 61 62 2C 00 00 00 78 9C
      """)
    // The block's stream (the rest of the section, 46 bytes) inflates to the two documents' coded
    // fields, each a varint length and its code, as FORMAT.md lists them.
    let stream = Array(file[(260 + table + 46)..<(248 + 17_511)])
    #expect(stream.count == 46)
    let raw = try stream.withUnsafeBytes { try Deflate.decompress($0, expectedLength: 44, region: "DOCS", offset: 0) }
    #expect(Self.hex(raw) == """
      02 E5 FA 00 05 6F 74 68 65 72 00 00 0A 32 30 32 34 BB 98 B5 C9 E0 69 \
      02 E7 53 00 05 6F 74 68 65 72 00 00 08 C9 E0 69 98 B5 20 98 B5
      """)
  }
}
