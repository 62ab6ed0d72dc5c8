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

  let scorers: [TermScorer]
  let lastDocument: UInt32

  /// Per scorer: the block holding its documents of the current window (-1: none left).
  private var blocks: [Int]
  /// Per scorer: its bound in the current window (0 when it has no document there).
  private var windowBounds: [Double]
  /// Scorer indices ordered by window bound, ascending (ties by index); kept between windows, where
  /// it is usually nearly sorted already.
  private var order: [Int]
  /// `prefixBounds[j]` = Σ of the bounds of `order[0..<j]`.
  private var prefixBounds: [Double]

  init(scorers: [TermScorer], documentCount: Int) {
    self.scorers = scorers
    lastDocument = UInt32(clamping: max(documentCount, 1) - 1)
    blocks = Array(repeating: -1, count: scorers.count)
    windowBounds = Array(repeating: 0, count: scorers.count)
    order = Array(scorers.indices)
    prefixBounds = Array(repeating: 0, count: scorers.count + 1)
  }

  /// Fills `collector` and returns the number of matching documents seen and whether that is all.
  mutating func run(into collector: inout TopKCollector) -> (matches: Int, exact: Bool) {
    let n = scorers.count
    guard n > 0 else { return (0, true) }
    let exhausted = PostingsCursor.exhausted
    var matches = 0
    var exact = true
    var theta = collector.worstKept?.score ?? -Double.infinity
    var windowMin: UInt32 = 0

    windows: while true {
      // The window: from windowMin to the end of the nearest block end of any scorer.
      var windowMax = exhausted
      var any = false
      for i in 0..<n {
        let c = scorers[i].cursor
        blocks[i] = -1
        if c.doc == exhausted { continue }
        let b = c.shallowAdvance(to: max(windowMin, c.doc))
        if b >= c.blockCount { continue }
        any = true
        windowMax = min(windowMax, c.lastDoc(ofBlock: b))
        blocks[i] = b
      }
      guard any else { break }
      for i in 0..<n {
        let b = blocks[i]
        windowBounds[i] = b < 0 || scorers[i].cursor.doc > windowMax ? 0 : scorers[i].bound(ofBlock: b)
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
      var essential = 0  // order[essential...] are the essential scorers
      while essential < n && prefixBounds[essential + 1] * Self.slack <= theta { essential += 1 }

      if essential > 0 { exact = false }
      if essential < n {
        for j in essential..<n {
          let c = scorers[order[j]].cursor
          if c.doc < windowMin { c.advance(to: windowMin) }
        }
        while true {
          var doc = exhausted
          for j in essential..<n { doc = min(doc, scorers[order[j]].cursor.doc) }
          if doc > windowMax || doc == exhausted { break }
          matches += 1
          // What the essential scorers give, then the non-essential ones from the largest bound
          // down, as long as the candidate can still beat θ.
          var known = 0.0
          for j in essential..<n {
            let s = scorers[order[j]]
            if s.cursor.doc == doc { known += s.score() }
          }
          var competitive = (known + prefixBounds[essential]) * Self.slack > theta
          var j = essential
          while competitive && j > 0 {
            j -= 1
            let s = scorers[order[j]]
            if s.cursor.advance(to: doc) == doc { known += s.score() }
            competitive = (known + prefixBounds[j]) * Self.slack > theta
          }
          if competitive {
            // Every scorer is now at or past `doc`: score it exactly as the exhaustive loop does.
            var score = 0.0
            for s in scorers where s.cursor.doc == doc { score += s.score() }
            collector.offer(SearchHit(document: Int(doc), score: score))
            if let worst = collector.worstKept?.score, worst > theta {
              theta = worst
              while essential < n && prefixBounds[essential + 1] * Self.slack <= theta {
                essential += 1
                exact = false
              }
            }
          }
          for j in essential..<n {
            let c = scorers[order[j]].cursor
            if c.doc == doc { c.next() }
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
