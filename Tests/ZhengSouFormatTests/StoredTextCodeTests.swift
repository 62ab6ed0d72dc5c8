import Testing
import ZhengSouFormat
import ZhengSouTestSupport

/// The stored-text code (DOCS, format 7): what it writes for each kind of character, that every
/// text decodes back to itself, and that bad codes are errors naming the position, never traps.
@Suite struct StoredTextCodeTests {
  /// A table of 96 + 300 entries: the 96 one-byte ones, then two-byte ones (an astral character
  /// among them, and a character listed twice, whose first entry encodes).
  static let characters: [Character] = {
    var chars = (0..<396).map { Character(Unicode.Scalar(0x4E00 + $0)!) }
    chars[100] = "𠀀"  // U+20000, CJK Extension B
    chars[200] = chars[5]
    return chars
  }()
  static let code = StoredTextCode(characters: String(characters))

  static func encoded(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    code.encode(text, into: &out)
    return out
  }

  static func decoded(_ bytes: [UInt8]) throws -> String {
    try bytes.withUnsafeBytes { raw in try code.decode(raw, region: "test", offset: 10) }
  }

  @Test func eachKindOfCharacterTakesItsCode() throws {
    #expect(Self.code.count == 396)
    #expect(Self.encoded("a1 ") == [0x61, 0x31, 0x20], "ASCII as is")
    #expect(Self.encoded("\u{4E00}\u{4E5F}") == [0x80, 0xDF], "entries 0 and 95: one byte")
    #expect(Self.encoded("\u{4E60}") == [0xE0, 0x00], "entry 96: the first two-byte code")
    #expect(Self.encoded("\u{4F2B}") == [0xE0, 203], "entry 299: 96 + 203")
    #expect(Self.encoded("𠀀") == [0xE0, 4], "an astral entry (100)")
    #expect(Self.encoded("\u{4E05}") == [0x85], "a repeated character takes its first entry")
    #expect(Self.encoded("é") == [0xFF, 0xC3, 0xA9], "not in the table: escaped UTF-8")
    #expect(Self.encoded("😀") == [0xFF, 0xF0, 0x9F, 0x98, 0x80])
    // Entry 200 (the repeat) still decodes, to the character it lists.
    #expect(try Self.decoded([0xE0, 104]) == "\u{4E05}")
    // A reader's code (decoding only) decodes the same.
    let table = Self.code.tableBytes
    let reader = try table.withUnsafeBytes { try StoredTextCode(table: $0, encodes: false) }
    let coded = Self.encoded("𠀀\u{4E05}é a")
    #expect(try coded.withUnsafeBytes { try reader.decode($0, region: "test", offset: 0) } == "𠀀\u{4E05}é a")
  }

  @Test func everyTextDecodesToItself() throws {
    let pool: [String] = ["a", "Z", "0", " ", "\n", "\u{0}", "é", "ß", "“", "，", "😀", "𠀀", "\u{10FFFF}", "\u{FFFD}"]
      + Self.characters.map { String($0) } + (0..<50).map { String(Unicode.Scalar(0x9000 + $0)!) }
    var rng = SplitMix64(seed: 7)
    for _ in 0..<2_000 {
      let text = (0..<Int(rng.next() % 40)).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }.joined()
      #expect(try Self.decoded(Self.encoded(text)) == text, "\(text)")
    }
    // The shipped kind of table: its most frequent characters take one byte.
    let shipped = StoredTextCode(characters: "，。的国")
    var out: [UInt8] = []
    shipped.encode("国的，。", into: &out)
    #expect(out == [0x83, 0x82, 0x80, 0x81])
  }

  @Test func badCodesAreErrorsAtTheirPosition() {
    let bad: [([UInt8], Int, String)] = [
      ([0x41, 0xE1, 0x2C], 11, "beyond the table"),  // entry 96 + 256 + 44 = 396: one past the end
      ([0x41, 0xE0], 11, "ends inside a two-byte code"),
      ([0xFF], 10, "bad escaped character"),
      ([0xFF, 0x41], 10, "bad escaped character"),  // ASCII is never escaped
      ([0xFF, 0xC0, 0x80], 10, "bad escaped character"),  // overlong
      ([0xFF, 0xED, 0xA0, 0x80], 10, "bad escaped character"),  // a surrogate
      ([0xFF, 0xF4, 0x90, 0x80, 0x80], 10, "bad escaped character"),  // above U+10FFFF
      ([0xFF, 0xE4, 0xB8], 10, "bad escaped character"),  // cut off
      ([0xFF, 0xE4, 0x38, 0x80], 10, "bad escaped character"),  // not a continuation byte
    ]
    for (bytes, offset, reason) in bad {
      do {
        let text = try Self.decoded(bytes)
        Issue.record("\(bytes) decoded to \(text)")
      } catch {
        guard case .corrupt(let region, let at, let why) = error as? FormatError else {
          Issue.record("\(error)")
          continue
        }
        #expect(region == "test" && at == offset && why.contains(reason), "\(bytes): \(error)")
      }
    }
    // Any bytes at all: a text or an error, never a trap.
    var rng = SplitMix64(seed: 8)
    for _ in 0..<5_000 {
      let bytes = (0..<Int(rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      _ = try? Self.decoded(bytes)
    }
  }

  @Test func aTableMustBeUTF8AndFitTheCodes() {
    let invalid: [UInt8] = [0xE4, 0xB8]
    #expect(throws: FormatError.self) { try invalid.withUnsafeBytes { raw in _ = try StoredTextCode(table: raw) } }
    let full = String((0..<StoredTextCode.capacity).map { Character(Unicode.Scalar(0x4E00 + $0)!) })
    #expect(StoredTextCode(characters: full).count == StoredTextCode.capacity)
    var over = Array((full + "\u{9FFF}").utf8)
    #expect(throws: FormatError.self) { try over.withUnsafeBytes { raw in _ = try StoredTextCode(table: raw) } }
    // ASCII in a table (the shipped one's line breaks) is skipped, not an entry.
    #expect(StoredTextCode(characters: "甲\n乙 ").count == 2)
    over.removeAll()
  }
}
