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
  /// What the postings (POST) and positions (POSN) bytes hold, per field and kind of term: where an
  /// index's size goes, e.g. whether a smaller one would have to drop grams or positions.
  public var listBytes: [ListBytes]

  /// The kinds of term, told apart by their bytes: CJK grams begin with 0x01; a term whose first
  /// character is in the CJK blocks (U+3000–U+9FFF, first UTF-8 byte 0xE3–0xE9) is a CJK word;
  /// anything else (Latin words, numbers, other scripts) is `other`.
  public enum TermKind: Int, CaseIterable, Sendable {
    case gram, cjkWord, other

    public var name: String { ["grams", "CJK words", "other"][rawValue] }

    static func of(_ term: UnsafeRawBufferPointer) -> TermKind {
      guard let first = term.first else { return .other }
      if first == 0x01 { return .gram }
      return (0xE3...0xE9).contains(first) ? .cjkWord : .other
    }
  }

  public struct ListBytes: Sendable {
    public var field: String
    public var kind: TermKind
    public var lists = 0
    public var postings = 0
    public var postingsBytes = 0
    public var positionsBytes = 0
  }

  public init(reader: IndexReader) throws {
    var lists = 0, postings = 0
    let fieldNames = reader.fieldNames
    let kinds = TermKind.allCases.count
    var table = fieldNames.flatMap { f in TermKind.allCases.map { ListBytes(field: f, kind: $0) } }
    // Per list: its offsets and its row; a list's length is the distance to the next list's offset.
    var starts: [(post: Int, posn: Int, hasPositions: Bool, row: Int)] = []
    try reader.dictionary.forEachTerm { term, infos in
      let kind = TermKind.of(term).rawValue
      for (f, info) in infos.enumerated() {
        guard let info else { continue }
        lists += 1
        postings += info.docFrequency
        table[f * kinds + kind].lists += 1
        table[f * kinds + kind].postings += info.docFrequency
        starts.append((info.postingsOffset, info.positionsOffset, info.hasPositions, f * kinds + kind))
      }
      return true
    }
    let sizes = Dictionary(reader.sectionSizes.map { ($0.name, $0.bytes) }, uniquingKeysWith: { a, _ in a })
    starts.sort { $0.post < $1.post }
    for (k, s) in starts.enumerated() { table[s.row].postingsBytes += (k + 1 < starts.count ? starts[k + 1].post : sizes["POST"] ?? s.post) - s.post }
    // Lists without positions have none to count (and their positions offset means nothing).
    var positioned = starts.filter(\.hasPositions)
    positioned.sort { $0.posn < $1.posn }
    for (k, s) in positioned.enumerated() { table[s.row].positionsBytes += (k + 1 < positioned.count ? positioned[k + 1].posn : sizes["POSN"] ?? s.posn) - s.posn }
    listBytes = table.filter { $0.lists > 0 }
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
