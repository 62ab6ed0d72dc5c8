/// Maps term bytes to dense term ids without creating a `String` per token.
///
/// Open addressing (linear probing) over a power-of-two table of ids; the term bytes live in one
/// arena. This is the indexing hot path: one hash and usually one `memcmp` per token.
struct TermInterner {
  private(set) var arena: [UInt8] = []
  private(set) var starts: [UInt32] = []
  private(set) var lengths: [UInt32] = []
  private var hashes: [UInt32] = []
  private var slots: [Int32]
  private var mask: Int

  init() {
    slots = [Int32](repeating: -1, count: 1 << 16)
    mask = (1 << 16) - 1
    arena.reserveCapacity(1 << 20)
  }

  var count: Int { starts.count }

  @inline(__always)
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    // FNV-1a, then a final avalanche so linear probing spreads short CJK terms well.
    var h: UInt32 = 0x811C_9DC5
    for b in bytes { h = (h ^ UInt32(b)) &* 0x0100_0193 }
    h ^= h >> 15
    h = h &* 0x2C1B_3C6D
    h ^= h >> 12
    return h
  }

  /// The id of `term`, adding it if new.
  mutating func intern(_ term: UnsafeRawBufferPointer) -> UInt32 {
    let h = Self.hash(term)
    var i = Int(h) & mask
    while true {
      let id = slots[i]
      if id < 0 { break }
      if hashes[Int(id)] == h && equals(Int(id), term) { return UInt32(id) }
      i = (i + 1) & mask
    }
    let id = Int32(starts.count)
    starts.append(UInt32(arena.count))
    lengths.append(UInt32(term.count))
    hashes.append(h)
    arena.append(contentsOf: term)
    slots[i] = id
    if starts.count * 2 > slots.count { grow() }
    return UInt32(id)
  }

  private func equals(_ id: Int, _ term: UnsafeRawBufferPointer) -> Bool {
    let len = Int(lengths[id])
    guard len == term.count else { return false }
    if len == 0 { return true }
    return arena.withUnsafeBytes { a in memcmp(a.baseAddress! + Int(starts[id]), term.baseAddress!, len) == 0 }
  }

  private mutating func grow() {
    let newCount = slots.count * 2
    slots = [Int32](repeating: -1, count: newCount)
    mask = newCount - 1
    for id in 0..<starts.count {
      var i = Int(hashes[id]) & mask
      while slots[i] >= 0 { i = (i + 1) & mask }
      slots[i] = Int32(id)
    }
  }

  func withTerm<R>(_ id: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try arena.withUnsafeBytes { a in
      try body(UnsafeRawBufferPointer(rebasing: a[Int(starts[id])..<(Int(starts[id]) + Int(lengths[id]))]))
    }
  }

  /// Term ids ordered by their bytes (unsigned lexicographic, i.e. code point order for UTF-8).
  func sortedIDs() -> [UInt32] {
    arena.withUnsafeBytes { a in
      let base = a.baseAddress
      return (0..<UInt32(starts.count)).sorted { x, y in
        let lx = Int(lengths[Int(x)]), ly = Int(lengths[Int(y)])
        let c = lx == 0 || ly == 0 ? 0 : memcmp(base! + Int(starts[Int(x)]), base! + Int(starts[Int(y)]), min(lx, ly))
        return c != 0 ? c < 0 : lx < ly
      }
    }
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
