/// The byte code of stored text (DOCS, format 7): UTF-8 with its frequent non-ASCII characters
/// replaced by one- or two-byte codes from a table that the index carries.
///
/// Why: deflate works on bytes, and Chinese in UTF-8 spends three bytes a character whose first
/// byte says little. Coding the frequent characters first (most Chinese text is a few thousand
/// characters) and deflating that made news.jsonl's blocks a fifth smaller than deflating the
/// UTF-8 (docs/FORMAT.md, History), and the deflate input shrinks by almost half, so building is
/// no slower.
///
/// A coded string is a sequence of:
/// - `00`–`7F`: that ASCII scalar;
/// - `80`–`DF`: table entry `b − 0x80` (the first 96 entries);
/// - `E0`–`FE` then one byte `l`: table entry `96 + 256·(b − 0xE0) + l` (the next 7,936);
/// - `FF` then one non-ASCII scalar in UTF-8 (2–4 bytes, well-formed): that scalar.
/// A code naming an entry beyond the table, a cut-off code or a bad escape is corrupt. The table
/// is its characters in UTF-8, ASCII bytes (line breaks) ignored; each character is one entry.
public struct StoredTextCode: Sendable {
  /// The most entries a table can have: 96 one-byte codes and 31 · 256 two-byte ones.
  public static let capacity = 96 + 31 * 256

  /// The entries' UTF-8 bytes, little-endian in a word, and their lengths: decoding copies them.
  private let entryBytes: [UInt32]
  private let entryLengths: [UInt8]
  /// Per BMP scalar, its entry + 1 (0: none); astral entries in `astralRanks`. Empty in a code
  /// made for decoding only (a reader's: 128 KB it would fill at every open for nothing).
  private let bmpRanks: [UInt16]
  private let astralRanks: [UInt32: UInt16]
  /// The table as the index stores it (UTF-8 of the entries, in order), for a writer; empty in a
  /// code made for decoding only, which has its table in the file already.
  public let tableBytes: [UInt8]

  public var count: Int { entryLengths.count }

  /// The table held in `utf8` (the characters in order; ASCII bytes such as line breaks are
  /// skipped). A character listed twice keeps its first entry for encoding; both decode. Without
  /// `encodes`, the code can only decode.
  public init(table utf8: UnsafeRawBufferPointer, encodes: Bool = true, region: String = "section DOCS", offset: Int = 0) throws(FormatError) {
    guard let text = String(validating: utf8, as: UTF8.self) else {
      throw .corrupt(region: region, offset: offset, reason: "the stored-text table is not valid UTF-8")
    }
    var bytes: [UInt32] = []
    var lengths: [UInt8] = []
    var table: [UInt8] = []
    var bmp = [UInt16](repeating: 0, count: encodes ? 0x10000 : 0)
    var astral: [UInt32: UInt16] = [:]
    for scalar in text.unicodeScalars where scalar.value >= 0x80 {
      guard lengths.count < Self.capacity else {
        throw .corrupt(region: region, offset: offset, reason: "the stored-text table has more than \(Self.capacity) characters")
      }
      let rank = UInt16(lengths.count + 1)
      if encodes && scalar.value < 0x10000 {
        if bmp[Int(scalar.value)] == 0 { bmp[Int(scalar.value)] = rank }
      } else if encodes && astral[scalar.value] == nil {
        astral[scalar.value] = rank
      }
      var word: UInt32 = 0
      var n: UInt8 = 0
      for b in UTF8.encode(scalar)! {
        word |= UInt32(b) << (8 * UInt32(n))
        n += 1
        if encodes { table.append(b) }
      }
      bytes.append(word)
      lengths.append(n)
    }
    entryBytes = bytes
    entryLengths = lengths
    bmpRanks = bmp
    astralRanks = astral
    tableBytes = table
  }

  /// A table of `characters` (its non-ASCII scalars, in order), for a writer. More than
  /// `capacity` of them is a programming error.
  public init(characters: String) {
    var copy = characters
    do {
      self = try copy.withUTF8 { try StoredTextCode(table: UnsafeRawBufferPointer($0)) }
    } catch {
      preconditionFailure("a stored-text table of more than \(Self.capacity) characters")
    }
  }

  /// Appends the code of `text` to `out` (a code made with `encodes`).
  public func encode(_ text: String, into out: inout [UInt8]) {
    precondition(!bmpRanks.isEmpty, "a code made for decoding only")
    for scalar in text.unicodeScalars {
      let v = scalar.value
      if v < 0x80 {
        out.append(UInt8(v))
        continue
      }
      let rank = v < 0x10000 ? Int(bmpRanks[Int(v)]) : Int(astralRanks[v] ?? 0)
      if rank == 0 {
        out.append(0xFF)
        out.append(contentsOf: UTF8.encode(scalar)!)
      } else if rank <= 96 {
        out.append(UInt8(0x80 + rank - 1))
      } else {
        let r = rank - 1 - 96
        out.append(UInt8(0xE0 + r >> 8))
        out.append(UInt8(truncatingIfNeeded: r))
      }
    }
  }

  /// The text that `coded` stands for; a bad code throws `FormatError.corrupt` in `region` at
  /// `offset` plus its position in `coded`.
  public func decode(_ coded: UnsafeRawBufferPointer, region: String, offset: Int) throws(FormatError) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(coded.count + coded.count / 2)
    var i = 0
    let n = coded.count
    func corrupt(_ reason: String, at position: Int) -> FormatError {
      .corrupt(region: region, offset: offset + position, reason: reason)
    }
    while i < n {
      let at = i
      let b = coded[i]
      if b < 0x80 {
        out.append(b)
        i += 1
        continue
      }
      let rank: Int
      if b < 0xE0 {
        rank = Int(b) - 0x80
        i += 1
      } else if b < 0xFF {
        guard i + 1 < n else { throw corrupt("stored text ends inside a two-byte code", at: i) }
        rank = 96 + (Int(b) - 0xE0) << 8 + Int(coded[i + 1])
        i += 2
      } else {
        guard let length = Self.escapedScalarLength(coded, at: i + 1) else {
          throw corrupt("bad escaped character in stored text", at: i)
        }
        for k in 1...length { out.append(coded[i + k]) }
        i += 1 + length
        continue
      }
      guard rank < entryLengths.count else {
        throw corrupt("stored-text code \(rank) is beyond the table's \(entryLengths.count) characters", at: at)
      }
      let word = entryBytes[rank]
      for k in 0..<Int(entryLengths[rank]) { out.append(UInt8(truncatingIfNeeded: word >> (8 * UInt32(k)))) }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The length of the well-formed UTF-8 sequence of one non-ASCII scalar at `start` (2–4), or nil.
  static func escapedScalarLength(_ bytes: UnsafeRawBufferPointer, at start: Int) -> Int? {
    guard start < bytes.count else { return nil }
    let lead = bytes[start]
    let length: Int
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return nil
    }
    guard start + length <= bytes.count else { return nil }
    // Well-formed per Unicode's table 3-7: the second byte's range depends on the lead.
    let second = bytes[start + 1]
    let (low, high): (UInt8, UInt8) =
      switch lead {
      case 0xE0: (0xA0, 0xBF)
      case 0xED: (0x80, 0x9F)
      case 0xF0: (0x90, 0xBF)
      case 0xF4: (0x80, 0x8F)
      default: (0x80, 0xBF)
      }
    guard second >= low && second <= high else { return nil }
    for k in 2..<length where bytes[start + k] & 0xC0 != 0x80 { return nil }
    return length
  }
}
