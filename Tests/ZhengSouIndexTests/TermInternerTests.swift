import Testing
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

  @Test func sortedIDsFollowByteOrder() {
    var interner = TermInterner()
    let terms = ["经济", "a", "", "中国", "ab", "\u{1}中国", "经", "zz"].map { Array($0.utf8) }
    for t in terms { _ = t.withUnsafeBytes { interner.intern($0) } }
    let sorted = interner.sortedIDs().map { terms[Int($0)] }
    #expect(sorted == terms.sorted { $0.lexicographicallyPrecedes($1) })
  }
}
