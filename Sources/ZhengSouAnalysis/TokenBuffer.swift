/// Reusable, allocation-free-per-token output: tokens plus one contiguous byte arena of normalized terms.
///
/// Why an arena: creating a Swift `String` per token costs more than ICU's word break itself, so the
/// segmenter writes term bytes here and callers read them through `withTermBytes`. Reuse one buffer
/// across documents with `removeAll()`, which keeps the capacity.
public struct TokenBuffer: Sendable {
  public private(set) var tokens: [Token]
  /// Normalized UTF-8 terms, back to back; a token's term is bytes `termOffset ..< termOffset + termLength`.
  private var arena: TermArena

  public init() {
    tokens = []
    arena = TermArena(capacity: 256)
  }

  /// A copy of the term bytes (tests and tools); hot paths read them in place with `withTermArena`.
  public var termBytes: [UInt8] { Array(arena.view) }

  /// Calls `body` with all term bytes, in place: a token's term is at `termOffset ..< termOffset + termLength`.
  public func withTermArena<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try withExtendedLifetime(arena) { try body(arena.view) }
  }

  /// Gives this buffer an arena of its own before it is written, if a copy of the buffer shares it.
  private mutating func makeArenaUnique() {
    if !isKnownUniquelyReferenced(&arena) { arena = arena.copy() }
  }

  public var count: Int { tokens.count }

  /// Empties the buffer but keeps its capacity, so the next document allocates nothing.
  public mutating func removeAll() {
    tokens.removeAll(keepingCapacity: true)
    makeArenaUnique()
    arena.count = 0
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
    return try withTermArena { try body(UnsafeRawBufferPointer(rebasing: $0[lower..<upper])) }
  }

  // MARK: Appending (used by the segmenter)

  /// Makes room for `tokens` more tokens and `bytes` more term bytes, and gives the buffer an arena
  /// of its own: the segmenter calls it before it appends, within the same exclusive access, so
  /// the appends need not check uniqueness again. The sizes are the segmenter's estimate (its
  /// sub-words and alternatives have no tight bound), so each append still makes sure of its own
  /// room (`appendTerm`): one comparison, which reallocates only when the estimate fell short.
  mutating func reserveAdditional(tokens extraTokens: Int, bytes extraBytes: Int) {
    if tokens.capacity < tokens.count + extraTokens { tokens.reserveCapacity(tokens.count + extraTokens) }
    makeArenaUnique()
    arena.reserve(extraBytes)
  }

  /// Appends the UTF-8 encoding of well-formed UTF-16 `units` and returns its (offset, length) in the arena.
  mutating func appendTerm(_ units: UnsafePointer<UInt16>, count: Int) -> (offset: Int32, length: Int32) {
    appendTerm(prefix: nil, units, count: count)
  }

  /// Like `appendTerm(_:count:)`, with one leading namespace byte (grams).
  mutating func appendTerm(prefix: UInt8, _ units: UnsafePointer<UInt16>, count: Int) -> (offset: Int32, length: Int32) {
    appendTerm(prefix: Optional(prefix), units, count: count)
  }

  /// The term is encoded straight into the arena (after `reserveAdditional`, which made it this
  /// buffer's own). Appending to an array instead checked its uniqueness and capacity, byte by
  /// byte at first (a gram is 7 bytes, and a news build appends about 400 million of them), then
  /// per term through a scratch copy and `memmove`.
  @inline(__always)
  private mutating func appendTerm(prefix: UInt8?, _ units: UnsafePointer<UInt16>, count: Int) -> (offset: Int32, length: Int32) {
    assert(isKnownUniquelyReferenced(&arena), "appendTerm without reserveAdditional")
    let arena = self.arena
    let offset = arena.count
    // At most 3 bytes per unit (a surrogate pair's 4 bytes are 2 per unit), and the prefix. Usually
    // there already (`reserveAdditional`); this keeps the write in bounds when it is not.
    arena.reserve(count * 3 + 1)
    let out = arena.bytes + offset
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
    arena.count = offset + n
    return (Int32(offset), Int32(n))
  }

  mutating func append(_ token: Token) {
    tokens.append(token)
  }
}
