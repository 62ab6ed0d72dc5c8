/// Reusable, allocation-free-per-token output: tokens plus one contiguous byte arena of normalized terms.
///
/// Why an arena: creating a Swift `String` per token costs more than ICU's word break itself, so the
/// segmenter writes term bytes here and callers read them through `withTermBytes`. Reuse one buffer
/// across documents with `removeAll()`, which keeps the capacity.
public struct TokenBuffer: Sendable {
  public private(set) var tokens: [Token]
  /// Normalized UTF-8 terms, back to back; a token's term is `termBytes[termOffset ..< termOffset + termLength]`.
  public private(set) var termBytes: [UInt8]

  public init() {
    tokens = []
    termBytes = []
  }

  public var count: Int { tokens.count }

  /// Empties the buffer but keeps its capacity, so the next document allocates nothing.
  public mutating func removeAll() {
    tokens.removeAll(keepingCapacity: true)
    termBytes.removeAll(keepingCapacity: true)
  }

  /// The term of token `index` as a `String`. A convenience for tests and the CLI, not for hot paths.
  public func termString(_ index: Int) -> String {
    withTermBytes(index) { String(decoding: $0, as: UTF8.self) }
  }

  /// Calls `body` with the UTF-8 bytes of token `index`'s term, without copying.
  public func withTermBytes<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    let token = tokens[index]
    let lower = Int(token.termOffset)
    let upper = lower + Int(token.termLength)
    return try termBytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lower..<upper])) }
  }

  // MARK: Appending (used by the segmenter)

  /// Makes room so that appending up to `tokens` tokens and `bytes` term bytes will not reallocate.
  mutating func reserveAdditional(tokens extraTokens: Int, bytes extraBytes: Int) {
    if tokens.capacity < tokens.count + extraTokens { tokens.reserveCapacity(tokens.count + extraTokens) }
    if termBytes.capacity < termBytes.count + extraBytes {
      termBytes.reserveCapacity(Swift.max(termBytes.count + extraBytes, termBytes.capacity * 2))
    }
  }

  /// Appends the UTF-8 encoding of well-formed UTF-16 `units` and returns its (offset, length) in the arena.
  mutating func appendTerm(_ units: UnsafePointer<UInt16>, count: Int) -> (offset: Int32, length: Int32) {
    let offset = termBytes.count
    var i = 0
    while i < count {
      let u = UInt32(units[i])
      if u < 0x80 {
        termBytes.append(UInt8(u))
      } else if u < 0x800 {
        termBytes.append(UInt8(0xC0 | (u >> 6)))
        termBytes.append(UInt8(0x80 | (u & 0x3F)))
      } else if u & 0xFC00 == 0xD800, i + 1 < count, UInt32(units[i + 1]) & 0xFC00 == 0xDC00 {
        let scalar = 0x10000 + ((u - 0xD800) << 10) + (UInt32(units[i + 1]) - 0xDC00)
        termBytes.append(UInt8(0xF0 | (scalar >> 18)))
        termBytes.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
        termBytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        termBytes.append(UInt8(0x80 | (scalar & 0x3F)))
        i += 1
      } else if u & 0xF800 == 0xD800 {
        // A lone surrogate cannot come from the normalizer; never emit ill-formed UTF-8 anyway.
      } else {
        termBytes.append(UInt8(0xE0 | (u >> 12)))
        termBytes.append(UInt8(0x80 | ((u >> 6) & 0x3F)))
        termBytes.append(UInt8(0x80 | (u & 0x3F)))
      }
      i += 1
    }
    return (Int32(offset), Int32(termBytes.count - offset))
  }

  /// Like `appendTerm(_:count:)`, with one leading namespace byte (grams).
  mutating func appendTerm(prefix: UInt8, _ units: UnsafePointer<UInt16>, count: Int) -> (offset: Int32, length: Int32) {
    termBytes.append(prefix)
    let t = appendTerm(units, count: count)
    return (t.offset - 1, t.length + 1)
  }

  mutating func append(_ token: Token) {
    tokens.append(token)
  }
}
