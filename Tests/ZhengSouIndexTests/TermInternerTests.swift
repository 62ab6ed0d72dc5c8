import Testing
import ZhengSouTestSupport
@testable import ZhengSouIndex

/// The interner hashes and compares short terms as two overlapping words: every byte of a term of
/// any length must take part, or two terms that differ in one byte would share an id.
struct TermInternerTests {
  @Test func termsDifferingInAnyOneByteGetDifferentIDs() {
    var interner = TermInterner()
    var expected: [[UInt8]] = []
    for length in 0...40 {
      let base = (0..<length).map { UInt8(truncatingIfNeeded: 0x41 + $0 * 7) }
      var variants = [base]
      for position in 0..<length {
        var v = base
        v[position] ^= 0x01
        variants.append(v)
      }
      for v in variants {
        let id = v.withUnsafeBytes { interner.intern($0) }
        #expect(Int(id) == expected.count, "length \(length): \(v) was taken for an earlier term")
        expected.append(v)
      }
    }
    // Interning again finds every term under its id, and the stored bytes are the term's.
    for (id, term) in expected.enumerated() {
      #expect(term.withUnsafeBytes { interner.intern($0) } == UInt32(id))
      #expect(interner.withTerm(id) { Array($0) } == term)
    }
    #expect(interner.count == expected.count)
  }

  /// Terms that are prefixes of one another (past 255 bytes too) or end in zero bytes keep apart,
  /// and every term keeps its id when the table grows (100,000 terms, from a table of 65,536
  /// slots).
  @Test func prefixesZeroBytesAndATableThatGrows() {
    var interner = TermInterner()
    var terms: [[UInt8]] = []
    let long = (0..<300).map { UInt8(truncatingIfNeeded: 0x30 + $0 % 50) }
    for length in [7, 8, 9, 254, 255, 256, 257, 300] { terms.append(Array(long[..<length])) }
    terms += [[0x41], [0x41, 0], [0x41, 0, 0], [0], [0, 0], Array(repeating: 0, count: 8)]
    for i in 0..<100_000 { terms.append(Array("词\(i)".utf8)) }
    for (id, term) in terms.enumerated() {
      #expect(term.withUnsafeBytes { interner.intern($0) } == UInt32(id), "\(term.count) bytes")
    }
    for (id, term) in terms.enumerated() {
      #expect(term.withUnsafeBytes { interner.intern($0) } == UInt32(id), "\(term.count) bytes, again")
      #expect(interner.withTerm(id) { Array($0) } == term)
    }
    #expect(interner.count == terms.count)
  }

  /// `sortedIDs` compares a key of the first 8 bytes before the bytes: zero bytes, bytes ≥ 0x80,
  /// terms shorter than 8 bytes and terms that share their first 8 must all still sort in byte
  /// order, from the first id or from a later one (as at a spill).
  @Test func sortedIDsFollowByteOrderAcrossTheEightBytePrefix() {
    var rng = SplitMix64(seed: 7)
    var interner = TermInterner()
    var terms: [[UInt8]] = []
    var seen = Set<[UInt8]>()
    let alphabet: [UInt8] = [0, 1, 0x7F, 0x80, 0xE4, 0xFF]
    while terms.count < 3000 {
      let n = Int.random(in: 0...20, using: &rng)
      var t: [UInt8] = Int.random(in: 0..<2, using: &rng) == 0 ? Array(repeating: 0xE4, count: min(n, 8)) : []
      while t.count < n { t.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]) }
      guard seen.insert(t).inserted else { continue }
      terms.append(t)
      _ = t.withUnsafeBytes { interner.intern($0) }
    }
    #expect(interner.sortedIDs().map { terms[Int($0)] } == terms.sorted { $0.lexicographicallyPrecedes($1) })
    #expect(interner.sortedIDs(from: 1000).map { terms[Int($0)] } == terms[1000...].sorted { $0.lexicographicallyPrecedes($1) })
  }

  @Test func sortedIDsFollowByteOrder() {
    var interner = TermInterner()
    let terms = ["经济", "a", "", "中国", "ab", "\u{1}中国", "经", "zz"].map { Array($0.utf8) }
    for t in terms { _ = t.withUnsafeBytes { interner.intern($0) } }
    let sorted = interner.sortedIDs().map { terms[Int($0)] }
    #expect(sorted == terms.sorted { $0.lexicographicallyPrecedes($1) })
  }
}
