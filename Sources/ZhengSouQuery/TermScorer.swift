import ZhengSouIndex
import ZhengSouRanking

/// BM25 of one query term in one field, over that field's postings cursor.
///
/// Everything that does not depend on the document is folded in up front: `weight` is field
/// weight × idf × (k1 + 1), and the length part comes from a 256-entry table indexed by the
/// document's norm byte, so scoring a posting is a load, an add and a divide.
final class TermScorer {
  let cursor: PostingsCursor
  let weight: Double
  /// The field's length parts, then from offset 256 their suffix minima (`LengthNormBuffer`,
  /// which `table` keeps alive).
  let lengthNorms: UnsafeMutablePointer<Double>
  var lengthNormBounds: UnsafeMutablePointer<Double> { lengthNorms + 256 }
  let table: LengthNormBuffer
  /// The field's norm bytes, one per document (a field of an empty index has none and no postings,
  /// so nothing is read through `noNorms` then). A plain pointer, so that loops can hoist it.
  let normBytes: UnsafePointer<UInt8>

  init(cursor: PostingsCursor, idf: Double, fieldWeight: Double, lengthNorms: LengthNormBuffer, k1: Double, norms: UnsafeRawBufferPointer) {
    self.cursor = cursor
    weight = fieldWeight * idf * (k1 + 1)
    table = lengthNorms
    self.lengthNorms = lengthNorms.pointer
    normBytes = norms.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(Self.noNorms)
  }

  nonisolated(unsafe) private static let noNorms = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

  /// Score of the cursor's current document.
  @inline(__always)
  func score() -> Double { score(frequency: Double(cursor.freq), document: cursor.doc) }

  @inline(__always)
  func score(frequency tf: Double, document: UInt32) -> Double {
    Self.bm25(weight: weight, frequency: tf, lengthPart: lengthNorms[Int(normBytes[Int(document)])])
  }

  /// The one spelling of a posting's score, for loops that keep `weight`, `lengthNorms` and
  /// `normBytes` in registers: every caller computes the same Double.
  @inline(__always)
  static func bm25(weight: Double, frequency tf: Double, lengthPart: Double) -> Double {
    weight * tf / (tf + lengthPart)
  }

  /// An upper bound of `score` for any document with tf ≤ `maxFrequency` and norm code ≥
  /// `minNormCode` (a block's or the term's block-max pair): BM25 grows with tf (when the length
  /// part is ≥ 0, which `isBoundable` checks) and falls as the length part grows. It is the same
  /// formula, so it differs from a true maximum only by rounding; callers compare with a slack.
  @inline(__always)
  func bound(maxFrequency: UInt32, minNormCode: UInt8) -> Double {
    Self.bm25(weight: weight, frequency: Double(maxFrequency), lengthPart: lengthNormBounds[Int(minNormCode)])
  }

  /// The bound of block `b` of the cursor.
  @inline(__always)
  func bound(ofBlock b: Int) -> Double { bound(maxFrequency: cursor.maxTermFrequency(ofBlock: b), minNormCode: cursor.minNormCode(ofBlock: b)) }

  /// The largest block bound from block `first` up to the block that holds doc `last`: a bound for
  /// every document of the cursor in `[lastDoc(first − 1) + 1, last]`.
  @inline(__always)
  func bound(fromBlock first: Int, through last: UInt32) -> Double {
    var b = first
    var m = bound(ofBlock: b)
    while b + 1 < cursor.blockCount && cursor.lastDoc(ofBlock: b) < last {
      b += 1
      m = max(m, bound(ofBlock: b))
    }
    return m
  }

  /// An upper bound of `score` at every document from `target` through `end`: the bound of the
  /// block holding the first of them (0 when the cursor has none left), which lowers `end` to that
  /// block's last document. Targets must not decrease (see `PostingsCursor.shallowAdvance`).
  @inline(__always)
  func blockBound(from target: UInt32, end: inout UInt32) -> Double {
    guard let b = cursor.nextBlock(from: target) else { return 0 }
    end = min(end, cursor.lastDoc(ofBlock: b))
    return bound(ofBlock: b)
  }

  /// Whether `bound` really bounds this scorer: a finite, non-negative weight and length parts
  /// ≥ 0 (then tf/(tf + L) grows with tf). Unusual BM25 parameters (b > 1, k1 < 0) fail this and
  /// the search falls back to exhaustive evaluation.
  var isBoundable: Bool { weight.isFinite && weight >= 0 && table.isNonNegative }
}
