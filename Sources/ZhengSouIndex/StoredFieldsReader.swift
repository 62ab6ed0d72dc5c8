import ZhengSouFormat

/// Reads stored documents from the DOCS section (see `StoredFieldsWriter`), checking every bound.
/// An id is read straight from the id table; the other fields inflate the document's block and
/// decode its text with the section's own table (`StoredTextCode`).
public struct StoredFieldsReader: @unchecked Sendable {
  let section: UnsafeRawBufferPointer
  public let count: Int
  let blockDocuments: Int
  let blockCount: Int
  /// Where the id offsets start (after the header and the table).
  let idTable: Int
  let blockTable: Int
  let idsStart: Int
  let blocksStart: Int
  let code: StoredTextCode

  /// A block larger than this when inflated is treated as corrupt (the writer's blocks are ~16
  /// documents), so a damaged length can never ask for gigabytes.
  static let maxRawBlockLength = 1 << 30

  init(_ section: UnsafeRawBufferPointer) throws(FormatError) {
    self.section = section
    var r = ByteReader(section, region: "section DOCS")
    let n = Int(try r.readUInt32())
    let perBlock = Int(try r.readUInt32())
    guard perBlock >= 1 else { throw r.corrupt("documents per block is 0", at: 4) }
    guard n < section.count / 8 else { throw r.corrupt("document count \(n) does not fit the section", at: 0) }
    let tableLength = Int(try r.readUInt32())
    let table = try r.readBytes(tableLength)
    code = try StoredTextCode(table: table, encodes: false, region: "section DOCS", offset: 12)
    count = n
    blockDocuments = perBlock
    blockCount = (n + perBlock - 1) / perBlock
    idTable = 12 + tableLength
    blockTable = idTable + (n + 1) * 8
    idsStart = blockTable + (blockCount + 1) * 8
    guard idsStart <= section.count else { throw r.corrupt("offset tables run past the end", at: idTable) }
    let idsLength = Self.u64(section, idTable + n * 8)
    let blocksLength = Self.u64(section, blockTable + blockCount * 8)
    guard Self.u64(section, idTable) == 0, Self.u64(section, blockTable) == 0 else {
      throw r.corrupt("the first id or block offset is not 0", at: idTable)
    }
    guard idsLength <= UInt64(section.count - idsStart), UInt64(section.count - idsStart) - idsLength == blocksLength else {
      throw r.corrupt("ids (\(idsLength) bytes) and blocks (\(blocksLength) bytes) do not fill the section", at: idsStart)
    }
    blocksStart = idsStart + Int(idsLength)
  }

  @inline(__always)
  private static func u64(_ s: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
    UInt64(littleEndian: s.loadUnaligned(fromByteOffset: at, as: UInt64.self))
  }

  private func checkOrdinal(_ ordinal: Int) throws(FormatError) {
    guard ordinal >= 0 && ordinal < count else {
      throw .corrupt(region: "section DOCS", offset: 0, reason: "document \(ordinal) out of range 0..<\(count)")
    }
  }

  /// The id of document `ordinal` (no inflating).
  public func id(_ ordinal: Int) throws(FormatError) -> String {
    try checkOrdinal(ordinal)
    let at = idTable + ordinal * 8
    let start = Self.u64(section, at), end = Self.u64(section, at + 8)
    guard start <= end, end <= UInt64(blocksStart - idsStart) else {
      throw .corrupt(region: "section DOCS", offset: at, reason: "id \(ordinal) spans \(start)..<\(end) outside the id table")
    }
    guard let id = String(validating: UnsafeRawBufferPointer(rebasing: section[(idsStart + Int(start))..<(idsStart + Int(end))]), as: UTF8.self) else {
      throw .corrupt(region: "section DOCS", offset: idsStart + Int(start), reason: "id \(ordinal) is not valid UTF-8")
    }
    return id
  }

  /// The stored fields of document `ordinal`.
  public func document(_ ordinal: Int) throws(FormatError) -> StoredDocument {
    try checkOrdinal(ordinal)
    let b = ordinal / blockDocuments
    var found: StoredDocument?
    try forEachDocument(inBlock: b) { (d, doc) throws(FormatError) in if d == ordinal { found = doc } }
    return found!
  }

  /// Every document in ordinal order, inflating each block once (verification, full scans).
  public func forEachDocument(_ body: (Int, StoredDocument) throws(FormatError) -> Void) throws(FormatError) {
    for b in 0..<blockCount { try forEachDocument(inBlock: b, body) }
  }

  /// The documents of block `b`, in order.
  func forEachDocument(inBlock b: Int, _ body: (Int, StoredDocument) throws(FormatError) -> Void) throws(FormatError) {
    let at = blockTable + b * 8
    let start = Self.u64(section, at), end = Self.u64(section, at + 8)
    let blocksLength = UInt64(section.count - blocksStart)
    guard start <= end, end <= blocksLength, end - start >= 4 else {
      throw .corrupt(region: "section DOCS", offset: at, reason: "block \(b) spans \(start)..<\(end) outside the blocks (\(blocksLength) bytes)")
    }
    let blockAt = blocksStart + Int(start)
    let rawLength = Int(UInt32(littleEndian: section.loadUnaligned(fromByteOffset: blockAt, as: UInt32.self)))
    guard rawLength <= Self.maxRawBlockLength else {
      throw .corrupt(region: "section DOCS", offset: blockAt, reason: "block \(b) claims \(rawLength) bytes inflated")
    }
    let raw = try Deflate.decompress(
      UnsafeRawBufferPointer(rebasing: section[(blockAt + 4)..<(blocksStart + Int(end))]), expectedLength: rawLength,
      region: "section DOCS (block \(b))", offset: blockAt + 4)
    let first = b * blockDocuments
    let n = min(blockDocuments, count - first)
    let failure = raw.withUnsafeBytes { bytes -> FormatError? in
      do throws(FormatError) {
        let region = "section DOCS (block \(b), inflated)"
        var r = ByteReader(bytes, region: region)
        func text() throws(FormatError) -> String {
          let length = try r.readVarInt(max: r.remaining, "stored text length")
          let at = r.offset
          return try code.decode(try r.readBytes(length), region: region, offset: at)
        }
        for k in 0..<n {
          let doc = StoredDocument(
            id: try id(first + k), title: try text(), date: try text(), kind: try text(), source: try text(), url: try text(),
            body: try text())
          try body(first + k, doc)
        }
        guard r.isAtEnd else { throw r.corrupt("\(r.remaining) unexpected trailing bytes after \(n) documents") }
        return nil
      } catch {
        return error
      }
    }
    if let failure { throw failure }
  }
}
