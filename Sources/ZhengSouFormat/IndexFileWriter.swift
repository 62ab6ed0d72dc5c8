/// Assembles sections into the bytes of one index file (header, aligned sections, table, footer).
///
/// It does no I/O: `write(_:)` hands the bytes to a sink in order, so the index module can stream
/// them into a temporary file, fsync and rename it (atomic replacement is the caller's job).
public struct IndexFileWriter {
  public let formatVersion: UInt32
  private var sections: [(id: SectionID, bytes: [UInt8])] = []

  public init(formatVersion: UInt32) { self.formatVersion = formatVersion }

  /// Adds a section; sections are laid out in the order added. IDs must be unique.
  public mutating func addSection(_ id: SectionID, _ bytes: [UInt8]) {
    precondition(!sections.contains { $0.id == id }, "duplicate section \(id)")
    sections.append((id, bytes))
  }

  private func layout() -> (offsets: [Int], tableOffset: Int, total: Int) {
    var offsets: [Int] = []
    var pos = IndexFileLayout.headerSize
    for s in sections {
      pos = IndexFileLayout.align(pos)
      offsets.append(pos)
      pos += s.bytes.count
    }
    let tableOffset = IndexFileLayout.align(pos)
    let total = tableOffset + sections.count * IndexFileLayout.entrySize + IndexFileLayout.footerSize
    return (offsets, tableOffset, total)
  }

  /// Total size of the file in bytes.
  public var totalLength: Int { layout().total }

  /// Emits the whole file, in order, as a sequence of chunks.
  public func write(_ sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
    let (offsets, tableOffset, total) = layout()
    var header = ByteWriter(capacity: IndexFileLayout.headerSize)
    header.writeBytes(IndexFileLayout.magic)
    header.writeUInt32(formatVersion)
    header.writeUInt32(0)
    header.writeUInt64(UInt64(total))
    let headerCRC = header.bytes.withUnsafeBytes { CRC32C.checksum($0) }
    header.writeUInt32(headerCRC)
    header.writeUInt32(0)
    try header.bytes.withUnsafeBytes(sink)

    var table = ByteWriter(capacity: sections.count * IndexFileLayout.entrySize)
    var pos = IndexFileLayout.headerSize
    let zeros = [UInt8](repeating: 0, count: IndexFileLayout.alignment)
    for (i, s) in sections.enumerated() {
      if offsets[i] > pos { try zeros[0..<(offsets[i] - pos)].withUnsafeBytes(sink) }
      try s.bytes.withUnsafeBytes(sink)
      pos = offsets[i] + s.bytes.count
      table.writeUInt32(s.id.rawValue)
      table.writeUInt32(s.bytes.withUnsafeBytes { CRC32C.checksum($0) })
      table.writeUInt64(UInt64(offsets[i]))
      table.writeUInt64(UInt64(s.bytes.count))
    }
    if tableOffset > pos { try zeros[0..<(tableOffset - pos)].withUnsafeBytes(sink) }
    try table.bytes.withUnsafeBytes(sink)

    var footer = ByteWriter(capacity: IndexFileLayout.footerSize)
    footer.writeUInt64(UInt64(tableOffset))
    footer.writeUInt32(UInt32(sections.count))
    footer.writeUInt32(table.bytes.withUnsafeBytes { CRC32C.checksum($0) })
    footer.writeUInt32(footer.bytes.withUnsafeBytes { CRC32C.checksum($0) })
    footer.writeBytes(IndexFileLayout.footerMagic)
    try footer.bytes.withUnsafeBytes(sink)
  }

  /// The whole file as one array (tests and small indexes).
  public func bytes() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(totalLength)
    write { out.append(contentsOf: $0) }
    return out
  }
}
