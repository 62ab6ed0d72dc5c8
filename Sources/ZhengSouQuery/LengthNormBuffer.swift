import ZhengSouRanking

/// One field's `LengthNormTable` in a buffer that every scorer of that field shares: the 256
/// length parts, then from offset 256 their suffix minima (`lowerBounds`, for score bounds).
///
/// Scorers read it through a raw pointer (no bounds checks, no reference counting in the scoring
/// loop) and keep the buffer alive by holding it. The searcher caches one per field and BM25
/// parameters, so a query copies nothing.
final class LengthNormBuffer {
  let pointer: UnsafeMutablePointer<Double>

  init(_ table: LengthNormTable) {
    pointer = .allocate(capacity: 512)
    pointer.initialize(from: table.values, count: 256)
    (pointer + 256).initialize(from: table.lowerBounds, count: 256)
  }

  deinit { pointer.deallocate() }

  /// Whether every length part is finite and ≥ 0, so that BM25 grows with tf (see
  /// `TermScorer.isBoundable`).
  private(set) lazy var isNonNegative: Bool = (256..<512).allSatisfy { pointer[$0] >= 0 && pointer[$0].isFinite }
}
