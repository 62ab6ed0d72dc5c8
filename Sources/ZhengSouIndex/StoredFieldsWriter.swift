import ZhengSouFormat

/// Appends stored documents to the DOCS section (format 7): ids in a plain table, everything else
/// coded (`StoredTextCode`) and deflated in blocks of `IndexFormat.storedBlockDocuments` documents.
///
/// DOCS := docCount:u32 blockDocs:u32 tableLength:u32 table idOffset:u64×(docCount+1)
///         blockOffset:u64×(blockCount+1) IDs Blocks
/// Block := rawLength:u32 zlib-stream; raw = per document six coded strings (varint length +
/// code): title, date, kind, source, url, body.
///
/// Why blocks: only a few documents are read per query, so a block of 16 (about 30 KB of text) is
/// inflated in tens of microseconds. Ids stay uncompressed because evaluation and benchmarks map
/// thousands of ordinals to ids. Blocks can be compressed on worker threads (`compressBlock`) and
/// appended whole, giving the same bytes. The table is the shipped one (`StoredTextTableData`),
/// written into every index so that a reader needs none of its own.
struct StoredFieldsWriter {
  /// A block's section bytes: rawLength + zlib stream.
  typealias Block = [UInt8]

  private var ids = ByteWriter(capacity: 1 << 20)
  private var idOffsets: [UInt64] = [0]
  /// Compressed blocks held in memory, or (with `spill`) already appended to the spill file.
  private var blocks: [Block] = []
  private var blockLengths: [Int] = []
  private let spill: SpillFile?
  private let spillStart: Int
  /// Raw bytes of the documents of the current, unfinished block.
  private var pending = ByteWriter(capacity: 1 << 16)
  private var pendingCount = 0

  /// With `spill`, blocks go to that file as they are made instead of staying in memory.
  init(spill: SpillFile? = nil) {
    self.spill = spill
    spillStart = spill?.count ?? 0
  }

  var count: Int { idOffsets.count - 1 }

  /// Bytes held in memory (ids, offsets, pending raw text and blocks not spilled).
  var memoryBytes: Int { ids.count + idOffsets.count * 8 + blockLengths.count * 8 + pending.count + blocks.reduce(0) { $0 + $1.count } }
  /// Whether the next document starts a block (so whole compressed blocks may be appended).
  var isAtBlockBoundary: Bool { pendingCount == 0 }

  mutating func add(_ d: StoredDocument) throws {
    addID(d.id)
    Self.appendRaw(d, to: &pending)
    pendingCount += 1
    if pendingCount == IndexFormat.storedBlockDocuments { try flush() }
  }

  /// Appends a block made by `compressBlock` from exactly `IndexFormat.storedBlockDocuments`
  /// documents whose ids are `ids`. Requires `isAtBlockBoundary`.
  mutating func add(block: Block, ids blockIDs: [String]) throws {
    precondition(isAtBlockBoundary && blockIDs.count == IndexFormat.storedBlockDocuments)
    for id in blockIDs { addID(id) }
    try append(block)
  }

  private mutating func append(_ block: Block) throws {
    blockLengths.append(block.count)
    if let spill { try spill.append(block) } else { blocks.append(block) }
  }

  /// The section bytes of one block of documents (safe to call on any thread).
  static func compressBlock(_ documents: ArraySlice<StoredDocument>) -> Block {
    var raw = ByteWriter(capacity: 1 << 16)
    for d in documents { appendRaw(d, to: &raw) }
    return seal(raw.bytes)
  }

  /// The code of the stored text: the shipped table's.
  static let code = StoredTextCode(characters: StoredTextTableData.characters)

  private static func appendRaw(_ d: StoredDocument, to w: inout ByteWriter) {
    var coded: [UInt8] = []
    coded.reserveCapacity(d.body.utf8.count)
    for s in [d.title, d.date, d.kind, d.source, d.url, d.body] {
      coded.removeAll(keepingCapacity: true)
      code.encode(s, into: &coded)
      w.writeVarUInt(UInt64(coded.count))
      w.writeBytes(coded)
    }
  }

  /// The deflate level for the blocks: 6, zlib's default, which libdeflate runs in about half
  /// zlib's time (`Deflate`). Lower levels save little more: libdeflate's level 4 took 2.5 s of
  /// CPU for news.jsonl's blocks against 3.0 s, for a section 1% larger.
  static let compressionLevel: Int32 = 6

  private static func seal(_ raw: [UInt8]) -> Block {
    var block = ByteWriter(capacity: raw.count / 2 + 16)
    block.writeUInt32(UInt32(raw.count))
    block.writeBytes(raw.withUnsafeBytes { Deflate.compress($0, level: compressionLevel) })
    return block.bytes
  }

  private mutating func addID(_ id: String) {
    ids.writeBytes(id.utf8)
    idOffsets.append(UInt64(ids.count))
  }

  private mutating func flush() throws {
    guard pendingCount > 0 else { return }
    try append(Self.seal(pending.bytes))
    pending.removeAll()
    pendingCount = 0
  }

  /// The section as parts (header and tables, ids, then the blocks: each in memory, or one stream
  /// read back from the spill file), so nothing large is copied.
  mutating func finish() throws -> [IndexFileWriter.SectionPart] {
    try flush()
    let table = Self.code.tableBytes
    var head = ByteWriter(capacity: 12 + table.count + (idOffsets.count + blockLengths.count + 1) * 8)
    head.writeUInt32(UInt32(count))
    head.writeUInt32(UInt32(IndexFormat.storedBlockDocuments))
    head.writeUInt32(UInt32(table.count))
    head.writeBytes(table)
    for o in idOffsets { head.writeUInt64(o) }
    var offset: UInt64 = 0
    head.writeUInt64(0)
    for length in blockLengths {
      offset += UInt64(length)
      head.writeUInt64(offset)
    }
    guard let spill else { return [.bytes(head.bytes), .bytes(ids.bytes)] + blocks.map { .bytes($0) } }
    let start = spillStart, length = Int(offset)
    return [.bytes(head.bytes), .bytes(ids.bytes), .stream(length: length) { sink in try spill.forEachChunk(from: start, length: length, sink) }]
  }
}
