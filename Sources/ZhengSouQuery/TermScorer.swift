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
  let lengthNorms: [Double]
  let norms: UnsafeRawBufferPointer

  init(cursor: PostingsCursor, idf: Double, fieldWeight: Double, lengthNorms: LengthNormTable, k1: Double, norms: UnsafeRawBufferPointer) {
    self.cursor = cursor
    weight = fieldWeight * idf * (k1 + 1)
    self.lengthNorms = lengthNorms.values
    self.norms = norms
  }

  /// Score of the cursor's current document.
  @inline(__always)
  func score() -> Double { score(frequency: Double(cursor.freq), document: cursor.doc) }

  @inline(__always)
  func score(frequency tf: Double, document: UInt32) -> Double {
    weight * tf / (tf + lengthNorms[Int(norms[Int(document)])])
  }
}
