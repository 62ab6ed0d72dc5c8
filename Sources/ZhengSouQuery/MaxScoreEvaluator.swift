import ZhengSouIndex

/// Block-max MaxScore over the optional term scorers: the same top-k as scoring every document,
/// without looking at most of them.
///
/// The document range is cut into *windows* of at most `windowCapacity` documents, so each
/// scorer's best possible contribution in a window is the largest bound of the blocks it spans
/// there (`TermScorer.bound`, from the skip entries' max tf and min norm). Per window, scorers are
/// ordered by that bound per posting (bound / document frequency), and taken in that order into
/// the *non-essential* set while the set's bounds sum to at most the threshold: a document found
/// only by them cannot enter the top k. A window whose scorers together cannot beat the threshold
/// is skipped without decoding anything.
///
/// Within a window the essential scorers run *term at a time* (as Lucene's MaxScoreBulkScorer
/// does): each one's postings there are added into a per-document array of sums, with a bitset of
/// the documents seen. The candidates are then read off the bitset in document order, and the
/// non-essential scorers are probed (`advance(to:)`) only while a candidate can still beat the
/// threshold. A candidate costs a few operations whatever the number of scorers; visiting the
/// candidates document at a time instead took a loop over every essential scorer per candidate,
/// half of a long query's time with its 20-odd scorers (words and grams in two fields).
///
/// Exactness:
/// - The threshold θ is the k-th kept score (`TopKCollector.worstKept`). Documents are visited in
///   increasing ordinal, so a later document that ties θ has a larger ordinal than every kept one
///   and ranks after the k-th (`SearchHit.ranksBefore`): only a score strictly above θ can enter.
///   A document is therefore skipped only when a bound of its score is ≤ θ.
/// - Bounds use the scoring formula with the block-max pair, and every contribution is ≥ 0, so
///   partial sums only grow. Rounding could still put a computed bound a few ulps under the true
///   score, so a bound is inflated by `slack` (a relative 1e-9, far above any rounding error of a
///   sum of a few hundred terms) before it is compared.
/// - A candidate's score is the same Double the exhaustive loop computes: the sum of the same
///   contributions in the same (index) order. The essential scorers are added into the sums in
///   index order, so when no non-essential scorer holds the candidate its sum is that Double
///   already. When one does, every essential posting of the window was also recorded with its
///   contribution, and the score is added up again in index order (`exactScore`).
///
/// The match count is every candidate visited; it is exact only when no scorer was ever
/// non-essential (then every matching document was a candidate).
struct MaxScoreEvaluator {
  static let slack = 1 + 1e-9
  /// The smallest window, in documents (see `run`): a guard against windows of a few documents
  /// when a frequent term is essential. 2048 (on the news latency queries 1, 512, 2048 and 8192
  /// measured the same within noise), but at most 1/32 of the collection, so that small indexes
  /// (the tests') still see many windows.
  let minimumWindow: UInt32

  let scorers: [TermScorer]
  let lastDocument: UInt32

  /// The most documents a window spans, a multiple of 64: the size of its per-document sums and
  /// bitset.
  let windowCapacity: Int
  /// How many (offset, contribution) records there is room for at first; more are made on demand.
  let recordCapacity: Int

  /// How big the per-query scratch is; the tests use tiny ones, so that windows are capped and the
  /// records grow.
  ///
  /// A window usually ends where the first block of an essential scorer ends, and only the cap
  /// stops it earlier. Every window costs a pass over all scorers (their bounds there, the ratio
  /// order, the partition), about 2,000 instructions for a two-word query's eight or nine scorers,
  /// so the cap is wide: 16,384 documents, whose sums take 128 KiB (in L2; only the documents
  /// seen are touched). On the news harness queries (issue #4), 4,096 → 16,384 took 438.1k → 420.4k
  /// instructions a query and the p50 ratio medians of four sets of twelve alternated runs were
  /// 0.94–0.99 (faster in 8–10 of 12); 32,768 gained nothing more (422.7k). The cap never
  /// exceeds the collection (rounded up to 64).
  struct Capacities: Equatable {
    var window = 16384
    var records = 4096
  }

  init(scorers: [TermScorer], documentCount: Int, capacities: Capacities = .init()) {
    self.scorers = scorers
    lastDocument = UInt32(clamping: max(documentCount, 1) - 1)
    minimumWindow = UInt32(clamping: min(2048, max(1, documentCount / 32)))
    // Whole bitset words, and no more than the collection rounded up to them.
    windowCapacity = max(64, min(capacities.window / 64 * 64, (documentCount + 63) / 64 * 64))
    recordCapacity = max(1, capacities.records)
  }

  /// A scorer and its cursor without reference counting: `run` keeps `scorers` alive, and the
  /// inner loop would otherwise spend a quarter of its time retaining and releasing them.
  struct Slot {
    let scorer: Unmanaged<TermScorer>
    let cursor: Unmanaged<PostingsCursor>
    @inline(__always) var doc: UInt32 { cursor._withUnsafeGuaranteedRef { $0.doc } }
    @inline(__always) func score() -> Double { scorer._withUnsafeGuaranteedRef { $0.score() } }
    @inline(__always) func advance(to target: UInt32) -> UInt32 { cursor._withUnsafeGuaranteedRef { $0.advance(to: target) } }
  }

  /// Fills `collector` and returns the number of matching documents seen and whether that is all.
  func run(into collector: inout TopKCollector) -> (matches: Int, exact: Bool) {
    let n = scorers.count
    guard n > 0 else { return (0, true) }
    return withExtendedLifetime(scorers) { run(n: n, into: &collector) }
  }

  private func run(n: Int, into collector: inout TopKCollector) -> (matches: Int, exact: Bool) {
    let exhausted = PostingsCursor.exhausted
    let capacity = windowCapacity
    // Scratch for the query:
    // - slots: the scorers, unretained;
    // - windowBounds: per scorer, its bound in the current window (0 when it has none there);
    // - costs: per scorer, its document frequency, the cost of making it essential;
    // - ratios / byRatio: per scorer, its window bound per unit of cost, and the scorer indices
    //   by that ratio, ascending (ties by index), kept between windows, where it is usually nearly
    //   sorted already;
    // - order: the non-essential scorers of the window (in ratio order), then the essential ones;
    // - prefixBounds[j]: Σ of the bounds of order[0..<j] (j ≤ essential);
    // - isEssential: per scorer, whether it is essential in the current window;
    // - probes: the window's non-essential scorers, slots[order[0..<essential]], for
    //   `visitCandidates` to read in place;
    // - partial / seen: per document of the window, the essential scorers' sum and whether any
    //   essential scorer holds it (a bitset, cleared as it is read).
    // - records: see below.
    // All of it in one allocation, carved into pieces of whole 8-byte words (fourteen allocations
    // were 1% of a short query).
    let firstRecordCapacity = self.recordCapacity
    let words = 13 * n + 1 + (n + 7) / 8 + capacity + capacity / 64 + (firstRecordCapacity + 1) / 2 + firstRecordCapacity
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: 8 * words, alignment: 16)
    defer { scratch.deallocate() }
    var cut = scratch
    func take<T>(_ words: Int, as: T.Type) -> UnsafeMutablePointer<T> {
      defer { cut += 8 * words }
      return cut.bindMemory(to: T.self, capacity: 8 * words / MemoryLayout<T>.stride)
    }
    let slots = take(2 * n, as: Slot.self)
    let windowBounds = take(n, as: Double.self)
    let order = take(n, as: Int.self)
    let byRatio = take(n, as: Int.self)
    let ratios = take(n, as: Double.self)
    let costs = take(n, as: Int.self)
    let prefixBounds = take(n + 1, as: Double.self)
    let isEssential = take((n + 7) / 8, as: Bool.self)
    let probes = take(2 * n, as: Slot.self)
    let partial = take(capacity, as: Double.self)
    let seen = take(capacity / 64, as: UInt64.self)
    let recordStart = take(3 * n, as: Int.self)
    let firstRecordOffsets = take((firstRecordCapacity + 1) / 2, as: UInt32.self)
    let firstRecordScores = take(firstRecordCapacity, as: Double.self)
    assert(cut == scratch + 8 * words, "the pieces fill the scratch exactly")
    seen.initialize(repeating: 0, count: capacity / 64)
    for i in 0..<n {
      (slots + i).initialize(to: Slot(scorer: .passUnretained(scorers[i]), cursor: .passUnretained(scorers[i].cursor)))
      order[i] = i
      byRatio[i] = i
      costs[i] = scorers[i].cursor.info.docFrequency
    }
    prefixBounds[0] = 0
    // Every essential posting of the window as (offset in the window, contribution), scorer by
    // scorer: scorer i's are records[recordStart[i]..<recordEnd[i]], ascending, and recordNext[i]
    // is how far the candidates (which ascend too) have read them. Grown on demand.
    // They start in the scratch and move to allocations of their own when they grow.
    var recordCapacity = firstRecordCapacity
    var recordOffsets = firstRecordOffsets
    var recordScores = firstRecordScores
    let recordEnd = recordStart + n, recordNext = recordStart + 2 * n
    defer {
      if recordOffsets != firstRecordOffsets {
        recordOffsets.deallocate()
        recordScores.deallocate()
      }
    }

    /// The candidate's score as the exhaustive loop computes it: the contributions of every
    /// scorer holding it, added in index order. The non-essential cursors were all probed up to
    /// `doc`; the essential scorers' contributions are the recorded ones.
    /// (The records are parameters, not captured: they are `var`s, which a closure would read
    /// through dynamic exclusivity checks.)
    func exactScore(_ doc: UInt32, offset o: UInt32, offsets: UnsafeMutablePointer<UInt32>, scores: UnsafeMutablePointer<Double>) -> Double {
      var score = 0.0
      for i in 0..<n {
        if isEssential[i] {
          var r = recordNext[i]
          let end = recordEnd[i]
          while r < end && offsets[r] < o { r += 1 }
          recordNext[i] = r
          if r < end && offsets[r] == o { score += scores[r] }
        } else if slots[i].doc == doc {
          score += slots[i].score()
        }
      }
      return score
    }

    var matches = 0
    var exact = true
    var theta = collector.worstKept?.score ?? -Double.infinity
    var windowMin: UInt32 = 0
    var essential = 0  // order[essential...] are the essential scorers

    while windowMin <= lastDocument {
      // A stretch that no scorer holds is skipped: the window starts at the first document left.
      var first = exhausted
      for i in 0..<n { first = min(first, slots[i].doc) }
      if first > lastDocument { break }
      windowMin = max(windowMin, first)
      // Until k hits are kept there is no threshold: every scorer is essential.
      let filling = theta == -Double.infinity
      if filling { essential = 0 }
      // The window ends at the nearest block end of an essential scorer (of the last window):
      // their blocks are what the candidates are drawn from, and non-essential scorers' block
      // ends would cut windows short (Lucene's MaxScoreBulkScorer does the same). It spans at most
      // `windowCapacity` documents, and, once there is a threshold, at least `minimumWindow`, so
      // that a window costs less to set up than to run. While filling it ends at the first block
      // end or after `minimumWindow` documents, whichever comes first: a block holds 128
      // documents, so k of them are usually kept by then, and bounded windows take over.
      var lead = exhausted
      var any = false
      for j in essential..<n {
        slots[order[j]].cursor._withUnsafeGuaranteedRef { c in
          guard let b = c.nextBlock(from: windowMin) else { return }
          any = true
          lead = min(lead, c.lastDoc(ofBlock: b))
        }
      }
      if !any && essential == 0 { break }
      let room = UInt32(min(UInt64(lastDocument), UInt64(windowMin) + UInt64(capacity - 1)))
      let floor = UInt32(min(UInt64(lastDocument), UInt64(windowMin) + UInt64(minimumWindow) - 1))
      let windowMax = min(room, filling ? min(lead, floor) : max(lead, floor))
      if !filling {
        // Every scorer's bound over the window: the largest of the block bounds it spans.
        for i in 0..<n {
          windowBounds[i] = slots[i].cursor._withUnsafeGuaranteedRef { c in
            // Nothing in the window (or exhausted): no bound.
            guard c.doc <= windowMax, let b = c.nextBlock(from: windowMin) else { return 0 }
            return slots[i].scorer._withUnsafeGuaranteedRef { $0.bound(fromBlock: b, through: windowMax) }
          }
        }
        // Order by bound per posting (insertion sort: adaptive, and the order changes little
        // between windows), then partition greedily in that order: a scorer is non-essential if
        // its bound still fits under θ with those already chosen. Any set of scorers whose bounds
        // sum to at most θ may be non-essential; choosing by bound alone (the MaxScore paper)
        // made the frequent words of a query like 中国农业银行 essential, because their bounds
        // are the largest, and every document holding them a candidate, while its rare grams,
        // whose bounds are only a little smaller, would have drawn far fewer candidates. Lucene's
        // MaxScoreBulkScorer partitions the same way.
        for i in 0..<n { ratios[i] = windowBounds[i] / Double(max(1, costs[i])) }
        for j in 1..<n {
          let x = byRatio[j], rx = ratios[x]
          var k = j
          while k > 0 {
            let y = byRatio[k - 1], ry = ratios[y]
            guard ry > rx || (ry == rx && y > x) else { break }
            byRatio[k] = y
            k -= 1
          }
          byRatio[k] = x
        }
        // order[0..<essential]: the non-essential scorers in ratio order, prefixBounds their
        // running sums; order[essential...]: the essential ones.
        essential = 0
        var last = n
        for j in 0..<n {
          let x = byRatio[j]
          let sum = prefixBounds[essential] + windowBounds[x]
          if sum * Self.slack <= theta {
            order[essential] = x
            essential += 1
            prefixBounds[essential] = sum
          } else {
            last -= 1
            order[last] = x
          }
        }
        if essential > 0 { exact = false }
      }

      if essential < n {
        for i in 0..<n { isEssential[i] = false }
        for j in essential..<n { isEssential[order[j]] = true }
        // Term at a time: each essential scorer's postings in the window, in index order, into
        // the window's sums. A sum is then the same Double the exhaustive loop computes for the
        // document, as long as no non-essential scorer also holds it. A cursor's documents
        // strictly increase, even over corrupt bytes (`PostingsCursor.loadBlock` checks the deltas
        // and each block's end against its skip entry), so a scorer has at most `most` postings
        // here and every offset is in the window.
        var used = 0
        for i in 0..<n where isEssential[i] {
          let slot = slots[i]
          let most = min(Int(windowMax &- windowMin) + 1, slot.cursor._withUnsafeGuaranteedRef { $0.info.docFrequency })
          if used + most > recordCapacity {
            let grown = max(2 * recordCapacity, used + most)
            let offsets = UnsafeMutablePointer<UInt32>.allocate(capacity: grown)
            let scores = UnsafeMutablePointer<Double>.allocate(capacity: grown)
            offsets.update(from: recordOffsets, count: used)
            scores.update(from: recordScores, count: used)
            if recordOffsets != firstRecordOffsets {
              recordOffsets.deallocate()
              recordScores.deallocate()
            }
            (recordOffsets, recordScores, recordCapacity) = (offsets, scores, grown)
          }
          recordStart[i] = used
          recordNext[i] = used
          let (weight, lengthNorms, normBytes) = slot.scorer._withUnsafeGuaranteedRef { ($0.weight, $0.lengthNorms, $0.normBytes) }
          used = slot.cursor._withUnsafeGuaranteedRef { c in
            Self.accumulate(
              c, weight: weight, lengthNorms: lengthNorms, normBytes: normBytes, windowMin: windowMin, windowMax: windowMax,
              seen: seen, partial: partial, recording: essential > 0, offsets: recordOffsets, scores: recordScores, used: used)
          }
          recordEnd[i] = used
        }
        // The candidates in document order: the non-essential scorers are probed from the largest
        // bound per posting down, as long as the candidate can still beat θ.
        for j in 0..<essential { probes[j] = slots[order[j]] }
        let offsets = recordOffsets, scores = recordScores
        Self.visitCandidates(
          words: (Int(windowMax &- windowMin) &>> 6) + 1, windowMin: windowMin, seen: seen, partial: partial, probes: probes,
          prefixBounds: prefixBounds, essential: essential, theta: &theta, matches: &matches, collector: &collector,
          exactScore: { exactScore($0, offset: $1, offsets: offsets, scores: scores) })
      } else {
        exact = false
      }
      if windowMax >= lastDocument { break }
      windowMin = windowMax + 1
    }
    return (matches, exact)
  }

  /// Adds one essential scorer's postings in `windowMin...windowMax` into the window's sums and,
  /// when `recording`, appends them to the records from `used` on; returns the new record count.
  /// The records serve only `exactScore`, so they are skipped while every scorer is essential. A
  /// function of its own (not inlined into `run`), so that its loop keeps the cursor's position and
  /// the scorer's constants in registers.
  @inline(never)
  static func accumulate(
    _ c: PostingsCursor, weight: Double, lengthNorms: UnsafeMutablePointer<Double>, normBytes: UnsafePointer<UInt8>,
    windowMin: UInt32, windowMax: UInt32, seen: UnsafeMutablePointer<UInt64>, partial: UnsafeMutablePointer<Double>,
    recording: Bool, offsets: UnsafeMutablePointer<UInt32>, scores: UnsafeMutablePointer<Double>, used: Int
  ) -> Int {
    c.advance(to: windowMin)
    var used = used
    // A block at a time (`forEachInBlock`).
    while c.forEachInBlock(through: windowMax, { d, tf in
      let o = d &- windowMin
      let bit = UInt64(1) &<< UInt64(o & 63)
      let word = Int(o &>> 6)
      let x = TermScorer.bm25(weight: weight, frequency: Double(tf), lengthPart: lengthNorms[Int(normBytes[Int(d)])])
      if seen[word] & bit == 0 {
        seen[word] |= bit
        partial[Int(o)] = 0
      }
      partial[Int(o)] += x
      if recording {
        offsets[used] = o
        scores[used] = x
        used &+= 1
      }
    }) {}
    return used
  }

  /// Visits a window's candidates (the set bits of its first `words` words of `seen`, which it
  /// clears) in document order: each is probed in the non-essential scorers `probes[essential −
  /// 1]` down to `probes[0]` while it can still beat θ, and offered if it can. A function of its
  /// own for the same reason as `accumulate`.
  @inline(never)
  static func visitCandidates(
    words: Int, windowMin: UInt32, seen: UnsafeMutablePointer<UInt64>, partial: UnsafeMutablePointer<Double>,
    probes: UnsafeMutablePointer<Slot>, prefixBounds: UnsafeMutablePointer<Double>, essential: Int,
    theta: inout Double, matches: inout Int, collector: inout TopKCollector, exactScore: (UInt32, UInt32) -> Double
  ) {
    // Locals, stored back once: the loop keeps them in registers.
    var threshold = theta
    var count = matches
    let bound = prefixBounds[essential]
    for w in 0..<words {
      var bits = seen[w]
      seen[w] = 0
      while bits != 0 {
        let o = w &<< 6 | bits.trailingZeroBitCount
        bits &= bits &- 1
        let doc = windowMin &+ UInt32(o)
        count &+= 1
        var known = partial[o]
        var competitive = (known + bound) * Self.slack > threshold
        var probedHit = false
        var j = essential
        while competitive && j > 0 {
          j &-= 1
          if probes[j].advance(to: doc) == doc {
            known += probes[j].score()
            probedHit = true
          }
          competitive = (known + prefixBounds[j]) * Self.slack > threshold
        }
        guard competitive else { continue }
        collector.offer(SearchHit(document: Int(doc), score: probedHit ? exactScore(doc, UInt32(o)) : partial[o]))
        if let worst = collector.worstKept?.score, worst > threshold { threshold = worst }
      }
    }
    theta = threshold
    matches = count
  }
}
