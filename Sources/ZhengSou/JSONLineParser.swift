/// A strict parser for one flat JSON object per line (RFC 8259), fast enough to feed indexing.
///
/// It reads the top-level object's members and keeps the values of the keys it is asked for;
/// every other value (including nested arrays and objects) is checked and skipped. Strings
/// support every escape, including `\uXXXX` surrogate pairs. The line must already be valid
/// UTF-8 (``UTF8Validation`` checks that first). Errors say what was expected and the 1-based
/// column (in Unicode scalars) where it went wrong.
struct JSONLineParser {
  /// A top-level member's value, as far as ingestion cares.
  enum Value: Equatable {
    case string(String)
    /// The number's text exactly as written, and whether it is an integer (no fraction/exponent).
    case number(String, isInteger: Bool)
    case bool(Bool)
    case null
    /// An array or object (skipped).
    case nested
  }

  struct Failure: Error, Equatable {
    var message: String
    /// 1-based column in Unicode scalars.
    var column: Int
    var description: String { "\(message) at column \(column)" }
  }

  /// The keys whose values are kept, as UTF-8 bytes.
  private let wanted: [[UInt8]]

  init(keys: [String]) {
    wanted = keys.map { Array($0.utf8) }
  }

  /// Parses `line` (without its newline) and returns the wanted keys' values, indexed like the
    /// `keys` given to `init` (nil: absent). A key given twice: the last one wins.
  func parse(_ line: UnsafeBufferPointer<UInt8>) throws(Failure) -> [Value?] {
    var cursor = Cursor(bytes: line)
    var result = [Value?](repeating: nil, count: wanted.count)
    do throws(CursorError) {
      cursor.skipWhitespace()
      guard cursor.peek() == UInt8(ascii: "{") else { throw cursor.error("expected a JSON object ('{')") }
      cursor.index += 1
      cursor.skipWhitespace()
      if cursor.peek() == UInt8(ascii: "}") {
        cursor.index += 1
      } else {
        while true {
          cursor.skipWhitespace()
          guard cursor.peek() == UInt8(ascii: "\"") else { throw cursor.error("expected '\"' to start a key") }
          let keyIndex = try cursor.readKey(matching: wanted)
          cursor.skipWhitespace()
          guard cursor.peek() == UInt8(ascii: ":") else { throw cursor.error("expected ':' after the key") }
          cursor.index += 1
          cursor.skipWhitespace()
          if let keyIndex {
            result[keyIndex] = try cursor.readValue(depth: 1)
          } else {
            try cursor.skipValue(depth: 1)
          }
          cursor.skipWhitespace()
          switch cursor.peek() {
          case UInt8(ascii: ","): cursor.index += 1; continue
          case UInt8(ascii: "}"): cursor.index += 1
          default: throw cursor.error("expected ',' or '}'")
          }
          break
        }
      }
      cursor.skipWhitespace()
      if cursor.index < line.count { throw cursor.error("unexpected characters after the object") }
    } catch {
      throw Failure(message: error.message, column: Self.column(of: error.offset, in: line))
    }
    return result
  }

  /// 1-based column of `offset`, counting Unicode scalars (UTF-8 lead bytes) before it.
  static func column(of offset: Int, in line: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 1
    for i in 0..<min(offset, line.count) where line[i] & 0xC0 != 0x80 { count += 1 }
    return count
  }
}

private struct CursorError: Error {
  var message: String
  var offset: Int
}

private let maxDepth = 512

private struct Cursor {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  @inline(__always) func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

  func error(_ message: String, at offset: Int? = nil) -> CursorError {
    let at = offset ?? index
    if at >= bytes.count && offset == nil { return CursorError(message: "\(message), found end of line", offset: at) }
    return CursorError(message: message, offset: at)
  }

  @inline(__always) mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  /// Reads a key; returns the index in `keys` it equals, or nil.
  mutating func readKey(matching keys: [[UInt8]]) throws(CursorError) -> Int? {
    let start = index + 1
    if let end = scanPlainString() {
      let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
      return keys.firstIndex { $0.elementsEqual(raw) }
    }
    let decoded = try readEscapedString(from: start)
    return keys.firstIndex { $0 == decoded }
  }

  mutating func readValue(depth: Int) throws(CursorError) -> JSONLineParser.Value {
    guard let byte = peek() else { throw error("expected a value") }
    switch byte {
    case UInt8(ascii: "\""):
      let start = index + 1
      if let end = scanPlainString() {
        return .string(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
      }
      let decoded = try readEscapedString(from: start)
      return .string(String(decoding: decoded, as: UTF8.self))
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      let start = index
      let isInteger = try readNumber()
      return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self), isInteger: isInteger)
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      try skipValue(depth: depth)
      return .nested
    default:
      if readLiteral("true") { return .bool(true) }
      if readLiteral("false") { return .bool(false) }
      if readLiteral("null") { return .null }
      throw error("expected a value")
    }
  }

  mutating func skipValue(depth: Int) throws(CursorError) {
    guard let byte = peek() else { throw error("expected a value") }
    switch byte {
    case UInt8(ascii: "\""):
      let start = index + 1
      if scanPlainString() == nil { _ = try readEscapedString(from: start) }
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      _ = try readNumber()
    case UInt8(ascii: "{"):
      guard depth < maxDepth else { throw error("nesting too deep") }
      index += 1
      skipWhitespace()
      if peek() == UInt8(ascii: "}") { index += 1; return }
      while true {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw error("expected '\"' to start a key") }
        try skipValue(depth: depth + 1)
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after the key") }
        index += 1
        skipWhitespace()
        try skipValue(depth: depth + 1)
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: ","): index += 1
        case UInt8(ascii: "}"): index += 1; return
        default: throw error("expected ',' or '}'")
        }
      }
    case UInt8(ascii: "["):
      guard depth < maxDepth else { throw error("nesting too deep") }
      index += 1
      skipWhitespace()
      if peek() == UInt8(ascii: "]") { index += 1; return }
      while true {
        skipWhitespace()
        try skipValue(depth: depth + 1)
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: ","): index += 1
        case UInt8(ascii: "]"): index += 1; return
        default: throw error("expected ',' or ']'")
        }
      }
    default:
      if readLiteral("true") || readLiteral("false") || readLiteral("null") { return }
      throw error("expected a value")
    }
  }

  /// At an opening quote: if the string has no escapes, moves past its closing quote and returns
  /// the end of its content; otherwise (an escape, a control character or no closing quote) stays
  /// put and returns nil, leaving ``readEscapedString(from:)`` to decode it or report the error.
  mutating func scanPlainString() -> Int? {
    var i = index + 1
    let count = bytes.count
    while i < count {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        index = i + 1
        return i
      }
      if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
      i += 1
    }
    return nil
  }

  /// Decodes the string whose content starts at `start` (just after the quote), with escapes.
  mutating func readEscapedString(from start: Int) throws(CursorError) -> [UInt8] {
    var out: [UInt8] = []
    var i = start
    let count = bytes.count
    out.reserveCapacity(min(count - start, 4096))
    while true {
      // Copy the run of plain bytes up to the next quote, backslash or control character.
      var j = i
      while j < count {
        let b = bytes[j]
        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
        j += 1
      }
      if j > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j])) }
      i = j
      guard i < count else { throw error("unterminated string", at: i) }
      let b = bytes[i]
      if b == UInt8(ascii: "\"") { break }
      if b < 0x20 { throw error("unescaped control character in a string", at: i) }
      guard i + 1 < count else { throw error("unterminated string", at: i + 1) }
      let e = bytes[i + 1]
      switch e {
      case UInt8(ascii: "\""): out.append(0x22)
      case UInt8(ascii: "\\"): out.append(0x5C)
      case UInt8(ascii: "/"): out.append(0x2F)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try hex4(at: i + 2)
        var consumed = 6
        if (0xD800...0xDBFF).contains(scalar) {
          guard i + 7 < count, bytes[i + 6] == UInt8(ascii: "\\"), bytes[i + 7] == UInt8(ascii: "u") else {
            throw error("unpaired high surrogate in \\u escape", at: i)
          }
          let low = try hex4(at: i + 8)
          guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired high surrogate in \\u escape", at: i) }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          consumed = 12
        } else if (0xDC00...0xDFFF).contains(scalar) {
          throw error("unpaired low surrogate in \\u escape", at: i)
        }
        appendUTF8(scalar, to: &out)
        i += consumed
        continue
      default:
        throw error("invalid escape sequence", at: i)
      }
      i += 2
    }
    index = i + 1
    return out
  }

  func hex4(at offset: Int) throws(CursorError) -> UInt32 {
    guard offset + 4 <= bytes.count else { throw error("incomplete \\u escape", at: offset - 2) }
    var value: UInt32 = 0
    for k in 0..<4 {
      let c = bytes[offset + k]
      let digit: UInt32
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
      default: throw error("invalid hex digit in \\u escape", at: offset + k)
      }
      value = value << 4 | digit
    }
    return value
  }

  func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
      out.append(UInt8(scalar))
    case 0x80..<0x800:
      out.append(UInt8(0xC0 | scalar >> 6))
      out.append(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
      out.append(UInt8(0xE0 | scalar >> 12))
      out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      out.append(UInt8(0x80 | scalar & 0x3F))
    default:
      out.append(UInt8(0xF0 | scalar >> 18))
      out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
      out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      out.append(UInt8(0x80 | scalar & 0x3F))
    }
  }

  /// Reads a number per the JSON grammar; returns whether it is an integer.
  mutating func readNumber() throws(CursorError) -> Bool {
    let start = index
    if peek() == UInt8(ascii: "-") { index += 1 }
    guard let first = peek(), isDigit(first) else { throw error("invalid number", at: start) }
    index += 1
    if first != UInt8(ascii: "0") {
      while let d = peek(), isDigit(d) { index += 1 }
    } else if let d = peek(), isDigit(d) {
      throw error("invalid number (leading zero)", at: start)
    }
    var isInteger = true
    if peek() == UInt8(ascii: ".") {
      isInteger = false
      index += 1
      guard let d = peek(), isDigit(d) else { throw error("invalid number (no digits after '.')", at: start) }
      while let d = peek(), isDigit(d) { index += 1 }
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      isInteger = false
      index += 1
      if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
      guard let d = peek(), isDigit(d) else { throw error("invalid number (no digits in exponent)", at: start) }
      while let d = peek(), isDigit(d) { index += 1 }
    }
    return isInteger
  }

  @inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

  mutating func readLiteral(_ word: StaticString) -> Bool {
    let n = word.utf8CodeUnitCount
    guard index + n <= bytes.count else { return false }
    let p = word.utf8Start
    for k in 0..<n where bytes[index + k] != p[k] { return false }
    index += n
    return true
  }
}

/// UTF-8 validation that says where the first bad byte is.
public enum UTF8Validation {
  /// Offset of the first byte that is not part of a well-formed UTF-8 sequence (overlong forms,
  /// surrogates and values above U+10FFFF are ill-formed), or nil when all of `bytes` is valid.
  public static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    let count = bytes.count
    var i = 0
    while i < count {
      // ASCII fast path, eight bytes at a time.
      while i + 8 <= count {
        let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
        if word & 0x8080_8080_8080_8080 != 0 { break }
        i += 8
      }
      guard i < count else { return nil }
      let b0 = base[i]
      if b0 < 0x80 {
        i += 1
        continue
      }
      @inline(__always) func cont(_ k: Int) -> Bool { i + k < count && base[i + k] & 0xC0 == 0x80 }
      switch b0 {
      case 0xC2...0xDF:
        guard cont(1) else { return i }
        i += 2
      case 0xE0...0xEF:
        guard i + 1 < count else { return i }
        let b1 = base[i + 1]
        let lowOK: Bool
        switch b0 {
        case 0xE0: lowOK = (0xA0...0xBF).contains(b1)
        case 0xED: lowOK = (0x80...0x9F).contains(b1)
        default: lowOK = b1 & 0xC0 == 0x80
        }
        guard lowOK, cont(2) else { return i }
        i += 3
      case 0xF0...0xF4:
        guard i + 1 < count else { return i }
        let b1 = base[i + 1]
        let lowOK: Bool
        switch b0 {
        case 0xF0: lowOK = (0x90...0xBF).contains(b1)
        case 0xF4: lowOK = (0x80...0x8F).contains(b1)
        default: lowOK = b1 & 0xC0 == 0x80
        }
        guard lowOK, cont(2), cont(3) else { return i }
        i += 4
      default:
        return i
      }
    }
    return nil
  }
}
