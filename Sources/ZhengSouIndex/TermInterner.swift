import CPrefetch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps term bytes to dense term ids without creating a `String` per token.
///
/// Open addressing (linear probing) over a power-of-two table; the term bytes live in one arena.
/// This is the indexing hot path (one call per token, and a news corpus has millions of distinct
/// bigrams, so the table does not fit in cache). A slot is 16 bytes: 24 bits of the term's hash,
/// its length and its id, beside the term's first 8 bytes as one word. A term of up to 8 bytes (a
/// CJK gram is 7: the gram prefix and two characters) is then recognised from its slot alone, one
/// cache miss; a longer one also compares its bytes in the arena. A probe that meets another term
/// costs no second memory access.
/// Measured on news.jsonl: with 8-byte slots (hash and id only) every hit also read the term's
/// start and length and its bytes, and those misses were a third of the global interning's time.
struct TermInterner: ~Copyable {
  /// One table entry. `key`: the hash's top 24 bits, the length (255 for 255 bytes or more) and
  /// `id + 1` (0: an empty slot). `head`: the term's first bytes (`hashAndHead`).
  struct Slot {
    var key: UInt64
    var head: UInt64
  }

  private var arena: UnsafeMutablePointer<UInt8>
  private var arenaCount = 0
  private var arenaCapacity: Int
  /// Per id: where its bytes start in the arena, and how many.
  private var starts: UnsafeMutablePointer<UInt32>
  private var lengths: UnsafeMutablePointer<UInt32>
  private var idCapacity: Int
  private(set) var count = 0
  private var slots: UnsafeMutablePointer<Slot>
  private var mask: Int

  init() {
    arenaCapacity = 1 << 20
    arena = .allocate(capacity: arenaCapacity)
    idCapacity = 1 << 15
    starts = .allocate(capacity: idCapacity)
    lengths = .allocate(capacity: idCapacity)
    mask = (1 << 16) - 1
    slots = .allocate(capacity: mask + 1)
    slots.initialize(repeating: Slot(key: 0, head: 0), count: mask + 1)
  }

  deinit {
    arena.deallocate()
    starts.deallocate()
    lengths.deallocate()
    slots.deallocate()
  }

  /// A term of up to 16 bytes as two words that together hold every byte: the first and last 8
  /// bytes (9–16 bytes, overlapping), the first and last 4 (4–8), or the first, middle and last
  /// byte (1–3). Terms are short (a CJK word or gram is 3–10 bytes), so hashing and comparing them
  /// takes two unaligned loads instead of a byte loop and a `memcmp` call.
  @inline(__always)
  static func words(_ p: UnsafeRawPointer, _ n: Int) -> (UInt64, UInt64) {
    if n >= 8 { return (p.loadUnaligned(as: UInt64.self), (p + n - 8).loadUnaligned(as: UInt64.self)) }
    if n >= 4 { return (UInt64(p.loadUnaligned(as: UInt32.self)), UInt64((p + n - 4).loadUnaligned(as: UInt32.self))) }
    if n > 0 {
      let a = UInt64(p.load(as: UInt8.self)), b = UInt64((p + n / 2).load(as: UInt8.self)), c = UInt64((p + n - 1).load(as: UInt8.self))
      return (a | b << 8 | c << 16, 0)
    }
    return (0, 0)
  }

  /// A term's hash, and its head: one word that, with the length, determines a term of up to 8
  /// bytes (its two `words` side by side when they are 4-byte halves or less) and holds the first
  /// 8 bytes of one of 9–16 (0 for longer terms, which are always compared in the arena).
  @inline(__always)
  static func hashAndHead(_ bytes: UnsafeRawBufferPointer) -> (hash: UInt64, head: UInt64) {
    let n = bytes.count
    if n > 16 { return (longHash(bytes), 0) }
    let w = n == 0 ? (0, 0) : words(bytes.baseAddress!, n)
    let hash = avalanche((w.0 &* 0x9E37_79B9_7F4A_7C15) ^ (w.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(n))
    return (hash, n >= 8 ? w.0 : w.0 | w.1 << 32)
  }

  @inline(__always)
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 { hashAndHead(bytes).hash }

  /// Long terms (Latin words, numbers): FNV-1a over every byte.
  private static func longHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return avalanche(h)
  }

  /// splitmix64's finalizer, so linear probing spreads terms that differ in few bits.
  @inline(__always)
  private static func avalanche(_ x: UInt64) -> UInt64 {
    var h = x
    h ^= h >> 30
    h = h &* 0xBF58_476D_1CE4_E5B9
    h ^= h >> 27
    h = h &* 0x94D0_49BB_1331_11EB
    h ^= h >> 31
    return h
  }

  /// A slot's `key` without the id.
  @inline(__always)
  private static func tag(hash h: UInt64, length n: Int) -> UInt64 {
    (h >> 40) << 40 | UInt64(min(n, 255)) << 32
  }

  /// Asks the cache for the slot where a search for a term of hash `h` starts (`hash(_:)`), so
  /// that a loop can look up the term a few iterations later without waiting.
  @inline(__always)
  func prefetchSlot(hash h: UInt64) {
    zs_prefetch(slots + (Int(truncatingIfNeeded: h) & mask))
  }

  /// Asks the cache for where term `id`'s bytes are (`prefetchBytes` reads it a few terms later).
  @inline(__always)
  func prefetchSpan(of id: UInt32) {
    zs_prefetch(starts + Int(id))
    zs_prefetch(lengths + Int(id))
  }

  /// Asks the cache for term `id`'s bytes.
  @inline(__always)
  func prefetchBytes(of id: UInt32) {
    zs_prefetch(arena + Int(starts[Int(id)]))
  }

  /// The id of `term`, adding it if new.
  @inline(__always)
  mutating func intern(_ term: UnsafeRawBufferPointer) -> UInt32 {
    let (hash, head) = Self.hashAndHead(term)
    return intern(term, hash: hash, head: head)
  }

  /// Interns every term of `other`, in its id order, and writes their ids here to `ids` (which
  /// has room for `other.count`). Hashes are computed first so that each slot is prefetched a few
  /// terms ahead: a batch's distinct terms are looked up in a table of millions, each a cache miss.
  mutating func intern(allOf other: borrowing TermInterner, into ids: UnsafeMutablePointer<UInt32>) {
    let n = other.count
    let ahead = 8
    withUnsafeTemporaryAllocation(of: (hash: UInt64, head: UInt64).self, capacity: n) { keys in
      for k in 0..<n { keys[k] = other.withTerm(k) { Self.hashAndHead($0) } }
      for k in 0..<n {
        if k + ahead < n { prefetchSlot(hash: keys[k + ahead].hash) }
        ids[k] = other.withTerm(k) { intern($0, hash: keys[k].hash, head: keys[k].head) }
      }
    }
  }

  /// The id of `term`, whose `hashAndHead` is `(h, head)`.
  @inline(__always)
  private mutating func intern(_ term: UnsafeRawBufferPointer, hash h: UInt64, head: UInt64) -> UInt32 {
    let n = term.count
    let tag = Self.tag(hash: h, length: n)
    var i = Int(truncatingIfNeeded: h) & mask
    while true {
      let slot = slots[i]
      if slot.key == 0 { break }
      // Heads are 0 for every term over 16 bytes, and the tag holds the length.
      if slot.key & 0xFFFF_FFFF_0000_0000 == tag && slot.head == head {
        let id = Int(truncatingIfNeeded: slot.key & 0xFFFF_FFFF) - 1
        if n <= 8 || equals(id, term) { return UInt32(id) }
      }
      i = (i + 1) & mask
    }
    return insert(term, key: tag, head: head, at: i)
  }

  private mutating func insert(_ term: UnsafeRawBufferPointer, key tag: UInt64, head: UInt64, at slot: Int) -> UInt32 {
    let id = count
    if id == idCapacity {
      idCapacity *= 2
      starts = reallocated(starts, count: id, capacity: idCapacity)
      lengths = reallocated(lengths, count: id, capacity: idCapacity)
    }
    if arenaCount + term.count > arenaCapacity {
      while arenaCount + term.count > arenaCapacity { arenaCapacity *= 2 }
      arena = reallocated(arena, count: arenaCount, capacity: arenaCapacity)
    }
    starts[id] = UInt32(arenaCount)
    lengths[id] = UInt32(term.count)
    if let base = term.baseAddress, term.count > 0 {
      (arena + arenaCount).update(from: base.assumingMemoryBound(to: UInt8.self), count: term.count)
    }
    arenaCount += term.count
    slots[slot] = Slot(key: tag | UInt64(id + 1), head: head)
    count += 1
    if count * 2 > mask + 1 { grow() }
    return UInt32(id)
  }

  @inline(__always)
  private func equals(_ id: Int, _ term: UnsafeRawBufferPointer) -> Bool {
    let len = Int(lengths[id])
    guard len == term.count else { return false }
    guard len > 0, let base = term.baseAddress else { return true }
    let stored = UnsafeRawPointer(arena + Int(starts[id]))
    if len <= 16 { return Self.words(stored, len) == Self.words(base, len) }
    return memcmp(stored, base, len) == 0
  }

  /// Doubles the table. Slots keep only part of the hash, so each term is hashed again from the
  /// arena (rare: the table doubles a few times in a build).
  private mutating func grow() {
    let old = slots, oldCount = mask + 1
    let newCount = oldCount * 2
    slots = .allocate(capacity: newCount)
    slots.initialize(repeating: Slot(key: 0, head: 0), count: newCount)
    mask = newCount - 1
    for j in 0..<oldCount where old[j].key != 0 {
      let id = Int(truncatingIfNeeded: old[j].key & 0xFFFF_FFFF) - 1
      let h = withTerm(id) { Self.hash($0) }
      var i = Int(truncatingIfNeeded: h) & mask
      while slots[i].key != 0 { i = (i + 1) & mask }
      slots[i] = old[j]
    }
    old.deallocate()
  }

  func withTerm<R>(_ id: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try body(UnsafeRawBufferPointer(start: arena + Int(starts[id]), count: Int(lengths[id])))
  }

  /// Term ids ordered by their bytes (unsigned lexicographic, i.e. code point order for UTF-8).
  func sortedIDs() -> [UInt32] { sortedIDs(from: 0) }

  /// The ids `first..<count` ordered by their bytes.
  ///
  /// Sorted by each term's first 8 bytes as one big-endian integer (zero-padded), and by all of
  /// its bytes only where those tie: keys in that order are in byte order, since a missing byte
  /// sorts like a zero byte and a tie is decided in full. A comparison of two integers replaced
  /// two table lookups and a `memcmp` call; this sort is serial work at every spill and at the
  /// start of `IndexBuilder.finish()` (900,000 terms for news.jsonl).
  func sortedIDs(from first: Int) -> [UInt32] {
    var keyed = (first..<count).map { id in (key: prefixKey(id), id: UInt32(id)) }
    keyed.sort { a, b in a.key != b.key ? a.key < b.key : precedes(a.id, b.id) }
    return keyed.map(\.id)
  }

  /// Term `id`'s first 8 bytes as a big-endian integer, zero-padded.
  @inline(__always)
  private func prefixKey(_ id: Int) -> UInt64 {
    let p = arena + Int(starts[id]), n = Int(lengths[id])
    if n >= 8 { return UInt64(bigEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)) }
    var key: UInt64 = 0
    for k in 0..<n { key |= UInt64(p[k]) << (56 - 8 * k) }
    return key
  }

  /// Whether term `x`'s bytes sort before term `y`'s.
  @inline(__always)
  func precedes(_ x: UInt32, _ y: UInt32) -> Bool {
    let lx = Int(lengths[Int(x)]), ly = Int(lengths[Int(y)])
    let c = lx == 0 || ly == 0 ? 0 : memcmp(arena + Int(starts[Int(x)]), arena + Int(starts[Int(y)]), min(lx, ly))
    return c != 0 ? c < 0 : lx < ly
  }

  /// Bytes allocated (arena, per-id tables, hash slots).
  var memoryBytes: Int { arenaCapacity + idCapacity * 8 + (mask + 1) * MemoryLayout<Slot>.stride }
}
