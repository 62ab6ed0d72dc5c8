import ZhengSouIndex
import ZhengSouRanking

/// Finds documents where one phrase occurs in one field, and how often.
///
/// A phrase is a list of slots at fixed offsets; a slot is one term's postings cursor, or a union
/// of several (an open-ended last character: its unigram or any bigram it starts). Leapfrog
/// intersection of the slots proposes documents that contain every slot; positions are decoded only
/// for those, and a document matches when some start position `s` has slot i at `s + offset[i]` for
/// every i. The phrase scores like one BM25 term whose frequency is the number of matching start
/// positions and whose idf is the sum of its slots' idfs (Lucene's choice).
final class PhraseMatcher {
  let slots: [[PostingsCursor]]
  let offsets: [Int]
  let scorer: TermScorer  // frequency-driven: its own cursor is unused for scoring
  @exclusivity(unchecked) private(set) var doc: UInt32 = 0
  @exclusivity(unchecked) private(set) var frequency = 0
  /// The slots' cursors, flat and unretained (`slots` owns them), slot i at
  /// `flat[slotEnds[i − 1]..<slotEnds[i]]`: the leapfrog and the bound then do no reference
  /// counting, which otherwise took three quarters of a frequent phrase's time.
  private let flat: UnsafeMutablePointer<Unmanaged<PostingsCursor>>
  private let slotEnds: UnsafeMutablePointer<Int>
  private let slotCount: Int
  @exclusivity(unchecked) private var positions: [[UInt32]]

  init?(slots: [[PostingsCursor]], offsets: [Int], idfSum: Double, fieldWeight: Double, lengthNorms: LengthNormBuffer, k1: Double, norms: UnsafeRawBufferPointer) {
    guard !slots.isEmpty, slots.allSatisfy({ !$0.isEmpty }) else { return nil }
    self.slots = slots
    self.offsets = offsets
    let all = slots.flatMap { $0 }
    flat = .allocate(capacity: all.count)
    for (k, c) in all.enumerated() { (flat + k).initialize(to: .passUnretained(c)) }
    slotEnds = .allocate(capacity: slots.count)
    slotCount = slots.count
    var end = 0
    for (i, slot) in slots.enumerated() {
      end += slot.count
      slotEnds[i] = end
    }
    scorer = TermScorer(cursor: slots[0][0], idf: idfSum, fieldWeight: fieldWeight, lengthNorms: lengthNorms, k1: k1, norms: norms)
    positions = Array(repeating: [], count: slots.count)
    doc = nextMatch(atOrAfter: 0)
  }

  deinit {
    flat.deallocate()
    slotEnds.deallocate()
  }

  var cursors: [PostingsCursor] { slots.flatMap { $0 } }

  /// For a phrase of one term (one slot, one cursor), its scorer: the phrase then occurs wherever
  /// the term does, as often (`countOccurrences`), and scores as that term would with the
  /// phrase's idf, so the matcher can run as a plain `TermScorer` (nil otherwise).
  var termScorer: TermScorer? { slotCount == 1 && slotEnds[0] == 1 ? scorer : nil }

  func score() -> Double { scorer.score(frequency: Double(frequency), document: doc) }

  /// Moves to the first matching document ≥ `target`.
  @discardableResult
  func advance(to target: UInt32) -> UInt32 {
    if doc >= target { return doc }
    doc = nextMatch(atOrAfter: target)
    return doc
  }

  /// The first document ≥ `target` that slot `i` (any of its cursors) contains.
  @inline(__always)
  private func advanceSlot(_ i: Int, to target: UInt32) -> UInt32 {
    let start = i == 0 ? 0 : slotEnds[i - 1], end = slotEnds[i]
    var d = PostingsCursor.exhausted
    for k in start..<end { d = min(d, flat[k]._withUnsafeGuaranteedRef { $0.advance(to: target) }) }
    return d
  }

  private func nextMatch(atOrAfter target: UInt32) -> UInt32 {
    var d = target
    while true {
      d = candidate(atOrAfter: d)
      if d == PostingsCursor.exhausted { return d }
      frequency = countOccurrences(in: d)
      if frequency > 0 { return d }
      if d == PostingsCursor.exhausted - 1 { return PostingsCursor.exhausted }
      d += 1
    }
  }

  /// The first document ≥ `target` that contains every slot (leapfrog over the slots' cursors; no
  /// positions are read).
  private func candidate(atOrAfter target: UInt32) -> UInt32 {
    var d = target
    while true {
      var aligned = true
      for i in 0..<slotCount {
        let sd = advanceSlot(i, to: d)
        if sd == PostingsCursor.exhausted { return sd }
        if sd > d {
          d = sd
          aligned = false
          break
        }
      }
      if aligned { return d }
    }
  }

  // MARK: - Two-phase use (pruned search)
  //
  // `advanceCandidate(to:)` finds documents with every slot, `bound()` caps their score, and
  // `confirm()` reads positions. The pruned searcher uses it to read positions only for documents
  // that every required phrase contains and that could still enter the top k. A matcher is used
  // either this way or through `advance(to:)`, never both.

  /// Moves to the first document ≥ `target` containing every slot (maybe not the phrase) and
  /// returns it. Documents before the current one contain no match or were already handled.
  @discardableResult
  func advanceCandidate(to target: UInt32) -> UInt32 {
    if doc >= target { return doc }
    doc = candidate(atOrAfter: target)
    frequency = -1
    return doc
  }

  /// An upper bound of `score()` at the candidate: a phrase occurs at most as often as its rarest
  /// slot (a union slot: the sum of its terms' frequencies), and the norm is the document's own.
  func bound() -> Double {
    var f = UInt64.max
    var start = 0
    for i in 0..<slotCount {
      var sum: UInt64 = 0
      for k in start..<slotEnds[i] {
        flat[k]._withUnsafeGuaranteedRef { c in if c.doc == doc { sum += UInt64(c.freq) } }
      }
      f = min(f, sum)
      start = slotEnds[i]
    }
    return scorer.score(frequency: Double(f), document: doc)
  }

  /// An upper bound of `score()` at every document from `target` through `end`, from the skip
  /// entries alone (nothing is decoded), for block-max AND; it lowers `end` to the last document of
  /// each block it read, so that the bound holds over the whole range. Per slot, the frequency is
  /// at most the sum of its cursors' block maxima and the norm code at least the smallest of their
  /// block minima (the document is in one of them); the phrase then occurs at most as often as in
  /// its rarest slot, and its norm code is at least the largest slot minimum. 0 when some slot has
  /// no document left at or after `target`. `target` must be ≥ every earlier target (the cursors'
  /// shallow positions only move forward).
  func blockBound(from target: UInt32, end: inout UInt32) -> Double {
    var f = UInt64.max
    var norm: UInt8 = 0
    var start = 0
    for i in 0..<slotCount {
      var sum: UInt64 = 0
      var low = UInt8.max
      var live = false
      for k in start..<slotEnds[i] {
        flat[k]._withUnsafeGuaranteedRef { c in
          guard let b = c.nextBlock(from: target) else { return }
          live = true
          sum += UInt64(c.maxTermFrequency(ofBlock: b))
          low = min(low, c.minNormCode(ofBlock: b))
          end = min(end, c.lastDoc(ofBlock: b))
        }
      }
      guard live else { return 0 }
      f = min(f, sum)
      norm = max(norm, low)
      start = slotEnds[i]
    }
    return scorer.bound(maxFrequency: UInt32(clamping: f), minNormCode: norm)
  }

  /// Whether the candidate really contains the phrase (reads positions once; `frequency` is then
  /// its number of occurrences).
  func confirm() -> Bool {
    if frequency < 0 { frequency = countOccurrences(in: doc) }
    return frequency > 0
  }

  private func countOccurrences(in d: UInt32) -> Int {
    if slotCount == 1 {
      // One slot: every occurrence of its terms is a match, and a posting's frequency is its
      // number of positions, so none are read. (Distinct terms of a union slot never share a
      // position: a character starts either a bigram or, last in its run, its unigram.)
      var count = 0
      for k in 0..<slotEnds[0] { flat[k]._withUnsafeGuaranteedRef { c in if c.doc == d { count += Int(c.freq) } } }
      return count
    }
    var start = 0
    for i in 0..<slotCount {
      positions[i].removeAll(keepingCapacity: true)
      let end = slotEnds[i]
      for k in start..<end {
        let ok = flat[k]._withUnsafeGuaranteedRef { c in c.doc != d || c.positions(into: &positions[i]) }
        if !ok { return 0 }
      }
      if end - start > 1 { positions[i].sort() }
      start = end
    }
    var count = 0
    starts: for p0 in positions[0] {
      let s = Int(p0) - offsets[0]
      for i in 1..<slotCount {
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
