import ZhengSouFormat

/// Appends stored documents to the DOCS section (format 4): ids in a plain table, everything else
/// deflated in blocks of `IndexFormat.storedBlockDocuments` documents.
///
/// DOCS := docCount:u32 blockDocs:u32 idOffset:u64×(docCount+1) blockOffset:u64×(blockCount+1) IDs Blocks
/// Block := rawLength:u32 zlib-stream; raw = per document six strings (varint length + UTF-8):
/// title, date, kind, source, url, body.
///
/// Why blocks: news text deflates to about 40%, but only a few documents are read per query, so a
/// block of 16 (about 30 KB raw) is inflated in tens of microseconds. Ids stay uncompressed
/// because evaluation and benchmarks map thousands of ordinals to ids. Blocks can be compressed
/// on worker threads (`compressBlock`) and appended whole, giving the same bytes.
struct StoredFieldsWriter {
  /// A block's section bytes: rawLength + zlib stream.
  typealias Block = [UInt8]

  private var ids = ByteWriter(capacity: 1 << 20)
  private var idOffsets: [UInt64] = [0]
  private var blocks: [Block] = []
  private var blocksLength: UInt64 = 0
  /// Raw bytes of the documents of the current, unfinished block.
  private var pending = ByteWriter(capacity: 1 << 16)
  private var pendingCount = 0

  var count: Int { idOffsets.count - 1 }
  /// Whether the next document starts a block (so whole compressed blocks may be appended).
  var isAtBlockBoundary: Bool { pendingCount == 0 }

  mutating func add(_ d: StoredDocument) {
    addID(d.id)
    Self.appendRaw(d, to: &pending)
    pendingCount += 1
    if pendingCount == IndexFormat.storedBlockDocuments { flush() }
  }

  /// Appends a block made by `compressBlock` from exactly `IndexFormat.storedBlockDocuments`
  /// documents whose ids are `ids`. Requires `isAtBlockBoundary`.
  mutating func add(block: Block, ids blockIDs: [String]) {
    precondition(isAtBlockBoundary && blockIDs.count == IndexFormat.storedBlockDocuments)
    for id in blockIDs { addID(id) }
    blocksLength += UInt64(block.count)
    blocks.append(block)
  }

  /// The section bytes of one block of documents (safe to call on any thread).
  static func compressBlock(_ documents: ArraySlice<StoredDocument>) -> Block {
    var raw = ByteWriter(capacity: 1 << 16)
    for d in documents { appendRaw(d, to: &raw) }
    return seal(raw.bytes)
  }

  private static func appendRaw(_ d: StoredDocument, to w: inout ByteWriter) {
    for s in [d.title, d.date, d.kind, d.source, d.url, d.body] { w.writeString(s) }
  }

  private static func seal(_ raw: [UInt8]) -> Block {
    var block = ByteWriter(capacity: raw.count / 2 + 16)
    block.writeUInt32(UInt32(raw.count))
    block.writeBytes(raw.withUnsafeBytes { Deflate.compress($0) })
    return block.bytes
  }

  private mutating func addID(_ id: String) {
    ids.writeBytes(id.utf8)
    idOffsets.append(UInt64(ids.count))
  }

  private mutating func flush() {
    guard pendingCount > 0 else { return }
    let block = Self.seal(pending.bytes)
    blocksLength += UInt64(block.count)
    blocks.append(block)
    pending.removeAll()
    pendingCount = 0
  }

  /// The section as parts (header and tables, ids, then each block), so nothing large is copied.
  mutating func finish() -> [[UInt8]] {
    flush()
    var head = ByteWriter(capacity: 8 + (idOffsets.count + blocks.count + 1) * 8)
    head.writeUInt32(UInt32(count))
    head.writeUInt32(UInt32(IndexFormat.storedBlockDocuments))
    for o in idOffsets { head.writeUInt64(o) }
    var offset: UInt64 = 0
    head.writeUInt64(0)
    for b in blocks {
      offset += UInt64(b.count)
      head.writeUInt64(offset)
    }
    return [head.bytes, ids.bytes] + blocks
  }
}
