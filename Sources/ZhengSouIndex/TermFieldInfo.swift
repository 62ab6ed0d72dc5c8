/// Where one term's postings for one field are, and the term-level block-max pair.
public struct TermFieldInfo: Sendable, Equatable {
  /// Documents whose field contains the term (≥ 1).
  public var docFrequency: Int
  /// Largest term frequency in any document, and smallest field-norm code: together an upper
  /// bound of the term's BM25 score in this field (score grows with tf and shrinks with length).
  public var maxTermFrequency: UInt32
  public var minNormCode: UInt8
  /// Byte offset of the list in the POST section, and of its positions in the POSN section.
  public var postingsOffset: Int
  public var positionsOffset: Int
  /// Whether the list has positions. A list without them (a word whose phrases the grams match, or
  /// a field that is never phrase-searched) has only doc ids and frequencies; its `positionsOffset`
  /// is meaningless.
  public var hasPositions: Bool

  public init(docFrequency: Int, maxTermFrequency: UInt32, minNormCode: UInt8, postingsOffset: Int, positionsOffset: Int, hasPositions: Bool = true) {
    self.docFrequency = docFrequency
    self.maxTermFrequency = maxTermFrequency
    self.minNormCode = minNormCode
    self.postingsOffset = postingsOffset
    self.positionsOffset = positionsOffset
    self.hasPositions = hasPositions
  }

  /// Number of postings blocks (the last may be partial).
  public var blockCount: Int { (docFrequency + IndexFormat.blockSize - 1) / IndexFormat.blockSize }
}
