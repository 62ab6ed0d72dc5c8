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
    appendTerm(prefix: nil, units, count: count)
  }

  /// Like `appendTerm(_:count:)`, with one leading namespace byte (grams).
  mutating func appendTerm(prefix: UInt8, _ units: UnsafePointer<UInt16>, count: Int) -> (offset: Int32, length: Int32) {
    appendTerm(prefix: Optional(prefix), units, count: count)
  }

  /// The term is encoded into scratch on the stack and appended in one call: appending byte by
  /// byte checked the array's uniqueness and capacity for every byte (a gram is 7 bytes, and a
  /// news build appends about 400 million of them).
  @inline(__always)
  private mutating func appendTerm(prefix: UInt8?, _ units: UnsafePointer<UInt16>, count: Int) -> (offset: Int32, length: Int32) {
    let offset = termBytes.count
    // At most 3 bytes per unit (a surrogate pair's 4 bytes are 2 per unit), and the prefix.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count * 3 + 1) { scratch in
      let out = scratch.baseAddress!
      var n = 0
      if let prefix {
        out[0] = prefix
        n = 1
      }
      var i = 0
      while i < count {
        let u = UInt32(units[i])
        if u < 0x80 {
          out[n] = UInt8(u)
          n += 1
        } else if u < 0x800 {
          out[n] = UInt8(0xC0 | (u >> 6))
          out[n + 1] = UInt8(0x80 | (u & 0x3F))
          n += 2
        } else if u & 0xFC00 == 0xD800, i + 1 < count, UInt32(units[i + 1]) & 0xFC00 == 0xDC00 {
          let scalar = 0x10000 + ((u - 0xD800) << 10) + (UInt32(units[i + 1]) - 0xDC00)
          out[n] = UInt8(0xF0 | (scalar >> 18))
          out[n + 1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
          out[n + 2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
          out[n + 3] = UInt8(0x80 | (scalar & 0x3F))
          n += 4
          i += 1
        } else if u & 0xF800 == 0xD800 {
          // A lone surrogate cannot come from the normalizer; never emit ill-formed UTF-8 anyway.
        } else {
          out[n] = UInt8(0xE0 | (u >> 12))
          out[n + 1] = UInt8(0x80 | ((u >> 6) & 0x3F))
          out[n + 2] = UInt8(0x80 | (u & 0x3F))
          n += 3
        }
        i += 1
      }
      termBytes.append(contentsOf: UnsafeBufferPointer(start: out, count: n))
    }
    return (Int32(offset), Int32(termBytes.count - offset))
  }

  mutating func append(_ token: Token) {
    tokens.append(token)
  }
}
