import ZhengSouIndex

/// Block-max MaxScore over the optional term scorers: the same top-k as scoring every document,
/// without looking at most of them.
///
/// The document range is cut into *windows* that lie inside one postings block of every scorer, so
/// each scorer's best possible contribution in the window is its block's bound (`TermScorer.bound`,
/// from the skip entry's max tf and min norm). Per window, scorers are ordered by that bound and the
/// longest prefix whose bounds sum to at most the threshold is *non-essential*: a document found
/// only by them cannot enter the top k. Candidates come from the essential scorers alone; the
/// non-essential ones are probed (`advance(to:)`) only while the candidate can still beat the
/// threshold. A window whose scorers together cannot beat it is skipped without decoding anything.
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
/// - A candidate that survives is scored from scratch by adding the scorers' contributions in the
///   same order as the exhaustive loop, so its Double is bit-identical.
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

  init(scorers: [TermScorer], documentCount: Int) {
    self.scorers = scorers
    lastDocument = UInt32(clamping: max(documentCount, 1) - 1)
    minimumWindow = UInt32(clamping: min(2048, max(1, documentCount / 32)))
  }

  /// A scorer and its cursor without reference counting: `run` keeps `scorers` alive, and the
  /// inner loop would otherwise spend a quarter of its time retaining and releasing them.
  struct Slot {
    let scorer: Unmanaged<TermScorer>
    let cursor: Unmanaged<PostingsCursor>
    @inline(__always) var doc: UInt32 { cursor._withUnsafeGuaranteedRef { $0.doc } }
    @inline(__always) func score() -> Double { scorer._withUnsafeGuaranteedRef { $0.score() } }
    @inline(__always) func next() { cursor._withUnsafeGuaranteedRef { _ = $0.next() } }
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
    // Scratch, one allocation per query:
    // - slots: the scorers, unretained;
    // - windowBounds: per scorer, its bound in the current window (0 when it has none there);
    // - order: scorer indices by window bound, ascending (ties by index), kept between windows,
    //   where it is usually nearly sorted already;
    // - prefixBounds[j]: Σ of the bounds of order[0..<j].
    let slots = UnsafeMutablePointer<Slot>.allocate(capacity: n)
    let windowBounds = UnsafeMutablePointer<Double>.allocate(capacity: n)
    let order = UnsafeMutablePointer<Int>.allocate(capacity: n)
    let prefixBounds = UnsafeMutablePointer<Double>.allocate(capacity: n + 1)
    defer {
      slots.deallocate()
      windowBounds.deallocate()
      order.deallocate()
      prefixBounds.deallocate()
    }
    for i in 0..<n {
      (slots + i).initialize(to: Slot(scorer: .passUnretained(scorers[i]), cursor: .passUnretained(scorers[i].cursor)))
      order[i] = i
    }
    prefixBounds[0] = 0

    var matches = 0
    var exact = true
    var theta = collector.worstKept?.score ?? -Double.infinity
    var windowMin: UInt32 = 0
    var essential = 0  // order[essential...] are the essential scorers

    windows: while windowMin <= lastDocument {
      // Until k hits are kept there is no threshold: one window over the rest, all scorers
      // essential, ended as soon as the collector fills.
      let filling = theta == -Double.infinity
      var windowMax = lastDocument
      if !filling {
        // The window ends at the nearest block end of an essential scorer (of the last window):
        // their blocks are what the candidates are drawn from, and non-essential scorers' block
        // ends would cut windows short (Lucene's MaxScoreBulkScorer does the same). It spans at
        // least `minimumWindow` documents, so that a window costs less to set up than to run.
        var lead = exhausted
        var any = false
        for j in essential..<n {
          slots[order[j]].cursor._withUnsafeGuaranteedRef { c in
            let d = c.doc
            if d == exhausted { return }
            let b = c.shallowAdvance(to: max(windowMin, d))
            if b >= c.blockCount { return }
            any = true
            lead = min(lead, c.lastDoc(ofBlock: b))
          }
        }
        if !any && essential == 0 { break }
        let floor = windowMin.addingReportingOverflow(minimumWindow - 1)
        windowMax = min(lastDocument, max(lead, floor.overflow ? exhausted : floor.partialValue))
        // Every scorer's bound over the window: the largest of the block bounds it spans.
        for i in 0..<n {
          windowBounds[i] = slots[i].cursor._withUnsafeGuaranteedRef { c in
            let d = c.doc
            guard d <= windowMax else { return 0 }  // nothing in the window (or exhausted)
            let b = c.shallowAdvance(to: max(windowMin, d))
            guard b < c.blockCount else { return 0 }
            return slots[i].scorer._withUnsafeGuaranteedRef { $0.bound(fromBlock: b, through: windowMax) }
          }
        }
        // Order by bound (insertion sort: adaptive, and the order changes little between windows).
        for j in 1..<n {
          let x = order[j], bx = windowBounds[x]
          var k = j
          while k > 0 {
            let y = order[k - 1], by = windowBounds[y]
            guard by > bx || (by == bx && y > x) else { break }
            order[k] = y
            k -= 1
          }
          order[k] = x
        }
        for j in 0..<n { prefixBounds[j + 1] = prefixBounds[j] + windowBounds[order[j]] }
        essential = 0
        while essential < n && prefixBounds[essential + 1] * Self.slack <= theta { essential += 1 }
        if essential > 0 { exact = false }
      }

      if essential < n {
        for j in essential..<n where slots[order[j]].doc < windowMin { _ = slots[order[j]].advance(to: windowMin) }
        while true {
          var doc = exhausted
          for j in essential..<n { doc = min(doc, slots[order[j]].doc) }
          if doc > windowMax || doc == exhausted { break }
          matches += 1
          // What the essential scorers give, then the non-essential ones from the largest bound
          // down, as long as the candidate can still beat θ.
          var known = 0.0
          for j in essential..<n where slots[order[j]].doc == doc { known += slots[order[j]].score() }
          var competitive = (known + prefixBounds[essential]) * Self.slack > theta
          var j = essential
          while competitive && j > 0 {
            j -= 1
            if slots[order[j]].advance(to: doc) == doc { known += slots[order[j]].score() }
            competitive = (known + prefixBounds[j]) * Self.slack > theta
          }
          var thetaRose = false
          if competitive {
            // Every scorer is now at or past `doc`: score it exactly as the exhaustive loop does,
            // adding the same contributions in the same (original) order.
            var score = 0.0
            for i in 0..<n where slots[i].doc == doc { score += slots[i].score() }
            collector.offer(SearchHit(document: Int(doc), score: score))
            if let worst = collector.worstKept?.score, worst > theta {
              theta = worst
              thetaRose = true
              if !filling {
                while essential < n && prefixBounds[essential + 1] * Self.slack <= theta {
                  essential += 1
                  exact = false
                }
              }
            }
          }
          for j in essential..<n where slots[order[j]].doc == doc { slots[order[j]].next() }
          if filling && thetaRose {
            windowMax = doc  // the threshold exists now: start bounded windows after this document
            break
          }
          if essential == n { break }
        }
      } else {
        exact = false
      }
      if windowMax >= lastDocument { break windows }
      windowMin = windowMax + 1
    }
    return (matches, exact)
  }
}
