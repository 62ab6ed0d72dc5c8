import ZhengSouIndex

/// Counts and sizes of an index, for `zhengsou stats`.
public struct IndexStatistics: Sendable {
  public var documents: Int
  public var terms: Int
  /// (term, field) postings lists, and postings (documents per list, summed).
  public var postingLists: Int
  public var postings: Int
  public var tokens: UInt64
  public var fields: [(name: String, averageLength: Double)]
  public var sections: [(name: String, bytes: Int)]
  public var fileBytes: Int
  public var formatVersion: UInt32
  public var segmenterIdentity: String
  public var metadata: [(key: String, value: String)]

  public init(reader: IndexReader) throws {
    var lists = 0, postings = 0
    try reader.dictionary.forEachTerm { _, infos in
      for info in infos {
        guard let info else { continue }
        lists += 1
        postings += info.docFrequency
      }
      return true
    }
    documents = reader.documentCount
    terms = reader.metadata.termCount
    postingLists = lists
    self.postings = postings
    tokens = reader.metadata.totalTokens
    fields = reader.fieldNames.indices.map { (reader.fieldNames[$0], reader.metadata.averageLength(field: $0)) }
    sections = reader.sectionSizes
    fileBytes = reader.fileSize
    formatVersion = reader.container.formatVersion
    segmenterIdentity = reader.segmenterIdentity
    metadata = reader.metadata.pairs
  }
}
