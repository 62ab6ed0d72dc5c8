#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Words a user wants kept whole (`zhengsou index --dict FILE`), in indexing and query analysis alike.
///
/// File format (UTF-8): one word per line, optionally followed by white space and a positive weight;
/// `#` starts a comment when it begins a line or follows white space; blank lines are ignored.
/// ```
/// # Xihu district terms
/// 六六行动
/// 科教文创   5
/// ```
/// A user word outranks every lexicon word: wherever it occurs inside a run of Chinese characters, it
/// is one token. When two user words overlap, the one covering more characters wins, then the one
/// with the larger weight (default 1). Words are normalized like the text (NFKC case folding,
/// Traditional → Simplified), so `科教文創` works too. Only the CJK characters of a word are matched
/// inside CJK runs; a word made of Latin letters or digits is left to the ordinary rules.
///
/// `serialized` is a canonical text (sorted, one entry per line, duplicates resolved to the last
/// one) that `init(text:)` reads back to an equal value, so an index can store the dictionary it was
/// built with; `digest` names it in `Segmenter.identity`.
public struct UserDictionary: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public var word: String
    /// nil when the line gave no weight (treated as 1).
    public var weight: Double?
  }

  /// Sorted by word (Unicode scalar order), unique.
  public private(set) var entries: [Entry]

  /// Parses dictionary text; errors name `source:line`.
  public init(text: String) throws {
    try self.init(bytes: Array(text.utf8), source: "<text>")
  }

  /// Reads and parses a dictionary file; errors name `path:line`.
  public init(contentsOf path: String) throws {
    guard let file = fopen(path, "rb") else {
      throw UserDictionaryError(source: path, line: nil, message: "cannot open: \(String(cString: strerror(errno)))")
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = fread(&chunk, 1, chunk.count, file)
      if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
      if n < chunk.count {
        if ferror(file) != 0 { throw UserDictionaryError(source: path, line: nil, message: "read error") }
        break
      }
    }
    try self.init(bytes: bytes, source: path)
  }

  init(bytes: [UInt8], source: String) throws {
    var byWord: [String: Double?] = [:]
    var lineNumber = 0
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }  // BOM
    for rawLine in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
      lineNumber += 1
      var line = rawLine
      if line.last == 0x0D { line = line.dropLast() }
      guard let text = String(validating: line, as: UTF8.self) else {
        throw UserDictionaryError(source: source, line: lineNumber, message: "invalid UTF-8")
      }
      var fields: [Substring] = []
      var previousWasSpace = true
      var fieldStart: String.Index? = nil
      var index = text.startIndex
      scan: while index < text.endIndex {
        let c = text[index]
        if c == "#" && previousWasSpace { break scan }
        if c.isWhitespace {
          if let start = fieldStart { fields.append(text[start..<index]) }
          fieldStart = nil
          previousWasSpace = true
        } else {
          if fieldStart == nil { fieldStart = index }
          previousWasSpace = false
        }
        index = text.index(after: index)
      }
      if let start = fieldStart { fields.append(text[start..<index]) }
      switch fields.count {
      case 0:
        continue
      case 1:
        byWord[String(fields[0])] = .some(nil)
      case 2:
        guard let weight = Double(fields[1]), weight.isFinite, weight > 0 else {
          throw UserDictionaryError(
            source: source, line: lineNumber, message: "bad weight \"\(fields[1])\" (want a positive number)")
        }
        byWord[String(fields[0])] = .some(weight)
      default:
        throw UserDictionaryError(
          source: source, line: lineNumber, message: "expected a word and an optional weight, found \(fields.count) fields")
      }
    }
    entries = byWord.map { Entry(word: $0.key, weight: $0.value) }.sorted {
      $0.word.unicodeScalars.lexicographicallyPrecedes($1.word.unicodeScalars)
    }
  }

  /// Canonical text: one entry per line (`word` or `word<TAB>weight`), sorted; `init(text:)` reads it back.
  public var serialized: String {
    var out = ""
    for entry in entries {
      out += entry.word
      if let weight = entry.weight { out += "\t\(weight)" }
      out += "\n"
    }
    return out
  }

  /// 16 hex digits of FNV-1a-64 over `serialized`: names the dictionary in `Segmenter.identity`.
  public var digest: String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in serialized.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}

/// A user dictionary that cannot be read or parsed; `description` is `source:line: message`.
public struct UserDictionaryError: Error, Equatable, CustomStringConvertible {
  public var source: String
  public var line: Int?
  public var message: String

  public init(source: String, line: Int?, message: String) {
    self.source = source
    self.line = line
    self.message = message
  }

  public var description: String {
    if let line { return "\(source):\(line): \(message)" }
    return "\(source): \(message)"
  }
}
