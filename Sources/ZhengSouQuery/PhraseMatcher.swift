import ZhengSouIndex
import ZhengSouRanking

/// Finds documents where one phrase occurs in one field, and how often.
///
/// Leapfrog intersection of the phrase terms' cursors proposes documents that contain every term;
/// positions are decoded only for those, and a document matches when some start position `s` has
/// term i at `s + offset[i]` for every i. The phrase scores like one BM25 term whose frequency is the
/// number of matching start positions and whose idf is the sum of its terms' idfs (Lucene's choice).
final class PhraseMatcher {
  let cursors: [PostingsCursor]
  let offsets: [Int]
  let scorer: TermScorer?  // frequency-driven: its own cursor is unused for scoring
  private(set) var doc: UInt32 = 0
  private(set) var frequency = 0
  private var positions: [[UInt32]]

  init?(cursors: [PostingsCursor], offsets: [Int], idfSum: Double, fieldWeight: Double, lengthNorms: LengthNormTable, k1: Double, norms: UnsafeRawBufferPointer) {
    guard !cursors.isEmpty else { return nil }
    self.cursors = cursors
    self.offsets = offsets
    scorer = TermScorer(cursor: cursors[0], idf: idfSum, fieldWeight: fieldWeight, lengthNorms: lengthNorms, k1: k1, norms: norms)
    positions = Array(repeating: [], count: cursors.count)
    doc = nextMatch(atOrAfter: 0)
  }


  func score() -> Double { scorer!.score(frequency: Double(frequency), document: doc) }

  /// Moves to the first matching document ≥ `target`.
  @discardableResult
  func advance(to target: UInt32) -> UInt32 {
    if doc >= target { return doc }
    doc = nextMatch(atOrAfter: target)
    return doc
  }

  private func nextMatch(atOrAfter target: UInt32) -> UInt32 {
    var d = target
    while true {
      var aligned = true
      for c in cursors {
        let cd = c.advance(to: d)
        if cd == PostingsCursor.exhausted { return cd }
        if cd > d {
          d = cd
          aligned = false
          break
        }
      }
      guard aligned else { continue }
      frequency = countOccurrences()
      if frequency > 0 { return d }
      if d == PostingsCursor.exhausted - 1 { return PostingsCursor.exhausted }
      d += 1
    }
  }

  private func countOccurrences() -> Int {
    for i in cursors.indices {
      positions[i].removeAll(keepingCapacity: true)
      guard cursors[i].positions(into: &positions[i]) else { return 0 }
    }
    if cursors.count == 1 { return positions[0].count }
    var count = 0
    starts: for p0 in positions[0] {
      let s = Int(p0) - offsets[0]
      for i in 1..<cursors.count {
        let want = s + offsets[i]
        guard want >= 0, binarySearch(positions[i], UInt32(want)) else { continue starts }
      }
      count += 1
    }
    return count
  }

  private func binarySearch(_ a: [UInt32], _ x: UInt32) -> Bool {
    var lo = 0, hi = a.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if a[mid] < x { lo = mid + 1 } else { hi = mid }
    }
    return lo < a.count && a[lo] == x
  }
}
