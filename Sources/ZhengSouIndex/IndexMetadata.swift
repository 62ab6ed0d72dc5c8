import ZhengSouFormat

/// Collection statistics and descriptive metadata (the META section).
///
/// META := docCount:u32 fieldCount:u32 Field×fieldCount totalTokens:u64 termCount:u32
///         pairCount:varint (key:string value:string)×pairCount
/// Field := name:string totalLength:u64 docsWithField:u32
public struct IndexMetadata: Sendable, Equatable {
  public struct Field: Sendable, Equatable {
    public var name: String
    /// Sum of the field's lengths (token positions) over all documents: BM25's average length.
    public var totalLength: UInt64
    public var documentsWithField: UInt32
  }

  public var documentCount: Int
  public var fields: [Field]
  /// Every token indexed, alternatives included.
  public var totalTokens: UInt64
  public var termCount: Int
  /// Free-form pairs (build tool, source fingerprint, ...), sorted by key.
  public var pairs: [(key: String, value: String)]

  public static func == (a: IndexMetadata, b: IndexMetadata) -> Bool {
    a.documentCount == b.documentCount && a.fields == b.fields && a.totalTokens == b.totalTokens
      && a.termCount == b.termCount && a.pairs.map { $0.key } == b.pairs.map { $0.key }
      && a.pairs.map { $0.value } == b.pairs.map { $0.value }
  }

  public func averageLength(field: Int) -> Double {
    documentCount == 0 ? 0 : Double(fields[field].totalLength) / Double(documentCount)
  }

  public func value(for key: String) -> String? { pairs.first { $0.key == key }?.value }

  func encode() -> [UInt8] {
    var w = ByteWriter()
    w.writeUInt32(UInt32(documentCount))
    w.writeUInt32(UInt32(fields.count))
    for f in fields {
      w.writeString(f.name)
      w.writeUInt64(f.totalLength)
      w.writeUInt32(f.documentsWithField)
    }
    w.writeUInt64(totalTokens)
    w.writeUInt32(UInt32(termCount))
    w.writeVarUInt(UInt64(pairs.count))
    for p in pairs {
      w.writeString(p.key)
      w.writeString(p.value)
    }
    return w.bytes
  }

  static func decode(_ bytes: UnsafeRawBufferPointer) throws(FormatError) -> IndexMetadata {
    var r = ByteReader(bytes, region: "section META")
    let docCount = Int(try r.readUInt32())
    let fieldCount = Int(try r.readUInt32())
    guard fieldCount >= 1 && fieldCount <= 16 else { throw r.corrupt("field count \(fieldCount) out of range 1...16", at: 4) }
    var fields: [Field] = []
    for _ in 0..<fieldCount {
      let name = try r.readString()
      let total = try r.readUInt64()
      let with = try r.readUInt32()
      guard Int(with) <= docCount else { throw r.corrupt("field \(name) is in \(with) of \(docCount) documents") }
      fields.append(Field(name: name, totalLength: total, documentsWithField: with))
    }
    let totalTokens = try r.readUInt64()
    let termCount = Int(try r.readUInt32())
    let pairCount = try r.readVarInt(max: r.remaining, "metadata pair count")
    var pairs: [(key: String, value: String)] = []
    for _ in 0..<pairCount { pairs.append((try r.readString(), try r.readString())) }
    guard r.isAtEnd else { throw r.corrupt("\(r.remaining) unexpected trailing bytes") }
    return IndexMetadata(documentCount: docCount, fields: fields, totalTokens: totalTokens, termCount: termCount, pairs: pairs)
  }
}
