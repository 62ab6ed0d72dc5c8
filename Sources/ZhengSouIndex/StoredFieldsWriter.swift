import ZhengSouFormat

/// Appends stored documents to the DOCS section.
///
/// DOCS := docCount:u32 reserved:u32(=0) offset:u64×(docCount+1) Data
/// Data holds, per document, seven strings (varint length + UTF-8): id, title, date, kind, source,
/// url, body. `offset[i]` is where document i starts in Data; `offset[docCount]` is Data's length.
struct StoredFieldsWriter {
  private var data = ByteWriter(capacity: 1 << 22)
  private var offsets: [UInt64] = [0]

  var count: Int { offsets.count - 1 }

  mutating func add(_ d: StoredDocument) {
    for s in [d.id, d.title, d.date, d.kind, d.source, d.url, d.body] { data.writeString(s) }
    offsets.append(UInt64(data.count))
  }

  /// The section as two parts, header + offset table and the data, so the (large) data is not copied.
  func finish() -> [[UInt8]] {
    var head = ByteWriter(capacity: 8 + offsets.count * 8)
    head.writeUInt32(UInt32(count))
    head.writeUInt32(0)
    for o in offsets { head.writeUInt64(o) }
    return [head.bytes, data.bytes]
  }
}
