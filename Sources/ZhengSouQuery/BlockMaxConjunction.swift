import ZhengSouIndex

/// Required phrases (a conjunction of clauses, each a union over fields of `PhraseMatcher`s) and
/// the optional terms beside them, pruned with block-max AND; the same top k as
/// `Searcher.exhaustive`, with the same Doubles.
///
/// Three filters stand between a document and its positions, each cheaper than the next:
/// 1. **Ranges** (block-max AND). Once k hits are kept (θ is the k-th score), every matcher's and
///    term's bound is read from the skip entries of the blocks holding the next documents
///    (`PhraseMatcher.blockBound`, `TermScorer.blockBound`), over the range up to the nearest of
///    those blocks' ends. A range whose bounds sum to at most θ is passed over before any of its
///    blocks is decoded or intersected.
/// 2. **Essential matchers** (MaxScore within the range). The matchers with the smallest bounds,
///    as many as fit under θ with the terms' bounds, cannot lift a document above θ on their own,
///    so candidates are drawn from the others: a title's sparse lists rather than the body's,
///    once the top k hold title matches.
/// 3. **Candidates.** A document that holds every slot of some matcher of each clause is bounded by
///    its matchers' `bound()` (their slots' frequencies there) and the terms' range bounds, then,
///    if that is not enough, by the terms' exact scores there.
///
/// Survivors are confirmed with their positions and scored exactly as `Searcher.exhaustive` scores
/// them, in the same order. Documents are visited in increasing order, so, as in
/// `MaxScoreEvaluator`, only a bound strictly above θ (after `MaxScoreEvaluator.slack`) can enter.
struct BlockMaxConjunction {
  let matchers: [PhraseMatcher]
  /// Clause c's matchers are `matchers[clauseEnds[c − 1]..<clauseEnds[c]]`.
  let clauseEnds: [Int]
  let terms: [TermScorer]

  init(phraseClauses: [[PhraseMatcher]], terms: [TermScorer]) {
    matchers = phraseClauses.flatMap { $0 }
    var ends: [Int] = []
    for clause in phraseClauses { ends.append((ends.last ?? 0) + clause.count) }
    clauseEnds = ends
    self.terms = terms
  }

  struct Outcome {
    /// Documents confirmed and offered; every match when `exact`.
    var matches = 0
    var exact = true
    /// Documents that held every clause's slots and were bounded one by one (filter 3).
    var candidates = 0
  }

  func run(into collector: inout TopKCollector) -> Outcome {
    withExtendedLifetime((matchers, terms)) {
      // Unretained copies (the arrays above own the objects): no reference counting per candidate.
      let matchers = self.matchers.map { Unmanaged.passUnretained($0) }
      let terms = self.terms.map { Unmanaged.passUnretained($0) }
      return matchers.withUnsafeBufferPointer { matchers in
        terms.withUnsafeBufferPointer { terms in
          clauseEnds.withUnsafeBufferPointer { clauseEnds in
            run(matchers: matchers, terms: terms, clauseEnds: clauseEnds, into: &collector)
          }
        }
      }
    }
  }

  private func run(
    matchers: UnsafeBufferPointer<Unmanaged<PhraseMatcher>>, terms: UnsafeBufferPointer<Unmanaged<TermScorer>>,
    clauseEnds: UnsafeBufferPointer<Int>, into collector: inout TopKCollector
  ) -> Outcome {
    let exhausted = PostingsCursor.exhausted
    let slack = MaxScoreEvaluator.slack
    let termsMax = self.terms.reduce(0.0) { $0 + $1.bound(maxFrequency: $1.cursor.info.maxTermFrequency, minNormCode: $1.cursor.info.minNormCode) }
    var outcome = Outcome()
    var target: UInt32 = 0
    // The checked range: documents up to `checkedThrough` could beat θ by their block bounds, the
    // terms could add at most `rangeTermBounds` there, and only the matchers marked `essential`
    // propose candidates (all of them unless `someNonEssential`).
    var checkedThrough: UInt32? = nil
    var checkedTheta = -Double.infinity
    var rangeTermBounds = termsMax
    var matcherBounds = [Double](repeating: 0, count: matchers.count)
    var essential = [Bool](repeating: true, count: matchers.count)
    var order = Array(matchers.indices)
    var someNonEssential = false

    /// Moves past `doc`; false when no document is left.
    func pass(_ doc: UInt32) -> Bool {
      guard doc < exhausted - 1 else { return false }
      target = doc + 1
      return true
    }

    outer: while true {
      // 1. Ranges: a new one whenever the target leaves the checked one, or θ has risen since
      // (fewer matchers may then be essential).
      if let theta = collector.worstKept?.score, theta > checkedTheta || checkedThrough.map({ target > $0 }) ?? true {
        checkedTheta = theta
        var end = exhausted
        var termBounds = 0.0
        for t in terms { termBounds += t._withUnsafeGuaranteedRef { $0.blockBound(from: target, end: &end) } }
        var bound = termBounds
        for k in matchers.indices {
          matcherBounds[k] = matchers[k]._withUnsafeGuaranteedRef { $0.blockBound(from: target, end: &end) }
          bound += matcherBounds[k]
        }
        if bound * slack <= theta {
          outcome.exact = false
          if pass(end) { continue } else { break }
        }
        checkedThrough = end
        rangeTermBounds = termBounds
        // 2. Essential matchers: in increasing bound order (ties by index), the non-essential
        // ones are those whose running sum, from the terms' bounds on, stays at most θ.
        order.sort { matcherBounds[$0] < matcherBounds[$1] || (matcherBounds[$0] == matcherBounds[$1] && $0 < $1) }
        var sum = termBounds
        someNonEssential = false
        for k in order {
          sum += matcherBounds[k]
          essential[k] = sum * slack > theta
          if !essential[k] { someNonEssential = true }
        }
      }
      if someNonEssential, let through = checkedThrough {
        // The next document an essential matcher proposes, if it lies in the range.
        outcome.exact = false
        var next = exhausted
        for k in matchers.indices where essential[k] {
          next = min(next, matchers[k]._withUnsafeGuaranteedRef { $0.advanceCandidate(to: target) })
        }
        if next > through {
          if pass(through) { continue } else { break }
        }
        target = next
      }
      // Leapfrog: the first document from the target that every clause proposes.
      var doc = target
      var aligned = false
      while !aligned {
        aligned = true
        var start = 0
        for end in clauseEnds {
          var d = exhausted
          for k in start..<end { d = min(d, matchers[k]._withUnsafeGuaranteedRef { $0.advanceCandidate(to: doc) }) }
          start = end
          if d == exhausted { break outer }
          if d > doc {
            doc = d
            aligned = false
          }
        }
      }
      if let through = checkedThrough {
        // Past the checked range: check the ranges from where the leapfrog landed.
        if doc > through {
          target = doc
          continue
        }
        // A document that no essential matcher holds cannot beat θ.
        if someNonEssential && !matchers.indices.contains(where: { essential[$0] && matchers[$0]._withUnsafeGuaranteedRef { $0.doc } == doc }) {
          if pass(doc) { continue } else { break }
        }
      }
      // 3. The candidate's own bound.
      outcome.candidates += 1
      if let theta = collector.worstKept?.score {
        var phrases = 0.0
        for m in matchers { m._withUnsafeGuaranteedRef { if $0.doc == doc { phrases += $0.bound() } } }
        var competitive = (phrases + min(termsMax, rangeTermBounds)) * slack > theta
        if !competitive && !terms.isEmpty {
          var bound = phrases
          for t in terms { t._withUnsafeGuaranteedRef { if $0.cursor.advance(to: doc) == doc { bound += $0.score() } } }
          competitive = bound * slack > theta
        }
        if !competitive {
          outcome.exact = false
          if pass(doc) { continue } else { break }
        }
      }
      var confirmed = true
      var start = 0
      for end in clauseEnds where confirmed {
        var any = false
        for k in start..<end { matchers[k]._withUnsafeGuaranteedRef { if $0.doc == doc && $0.confirm() { any = true } } }
        start = end
        confirmed = any
      }
      if confirmed {
        var score = 0.0
        for m in matchers { m._withUnsafeGuaranteedRef { if $0.doc == doc && $0.confirm() { score += $0.score() } } }
        for t in terms { t._withUnsafeGuaranteedRef { if $0.cursor.advance(to: doc) == doc { score += $0.score() } } }
        outcome.matches += 1
        collector.offer(SearchHit(document: Int(doc), score: score))
      }
      if !pass(doc) { break }
    }
    return outcome
  }
}
