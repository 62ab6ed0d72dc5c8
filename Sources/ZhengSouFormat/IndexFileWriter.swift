/// Assembles sections into the bytes of one index file (header, aligned sections, table, footer).
///
/// It does no I/O: `write(_:)` hands the bytes to a sink in order, so the index module can stream
/// them into a temporary file, fsync and rename it (atomic replacement is the caller's job).
public struct IndexFileWriter {
  public let formatVersion: UInt32
  private var sections: [(id: SectionID, parts: [SectionPart])] = []

  /// A run of section bytes: in memory, or produced on demand in chunks (for sections too large
  /// to hold in memory, which the index module keeps in temporary files; this module does no I/O).
  public enum SectionPart {
    case bytes([UInt8])
    /// `length` bytes, handed to the sink by `produce` in order and in any number of chunks.
    case stream(length: Int, produce: (_ sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Void)

    var count: Int {
      switch self {
      case .bytes(let b): return b.count
      case .stream(let length, _): return length
      }
    }
  }

  public init(formatVersion: UInt32) { self.formatVersion = formatVersion }

  /// Adds a section; sections are laid out in the order added. IDs must be unique.
  public mutating func addSection(_ id: SectionID, _ bytes: [UInt8]) { addSection(id, parts: [.bytes(bytes)]) }

  /// Adds a section given as consecutive in-memory arrays.
  public mutating func addSection(_ id: SectionID, parts: [[UInt8]]) { addSection(id, parts: parts.map { .bytes($0) }) }

  /// Adds a section given as consecutive parts (so a large section need not be copied into one
  /// array first); the parts are written back to back and checksummed as one.
  public mutating func addSection(_ id: SectionID, parts: [SectionPart]) {
    precondition(!sections.contains { $0.id == id }, "duplicate section \(id)")
    sections.append((id, parts))
  }

  private func layout() -> (offsets: [Int], tableOffset: Int, total: Int) {
    var offsets: [Int] = []
    var pos = IndexFileLayout.headerSize
    for s in sections {
      pos = IndexFileLayout.align(pos)
      offsets.append(pos)
      pos += s.parts.reduce(0) { $0 + $1.count }
    }
    let tableOffset = IndexFileLayout.align(pos)
    let total = tableOffset + sections.count * IndexFileLayout.entrySize + IndexFileLayout.footerSize
    return (offsets, tableOffset, total)
  }

  /// Total size of the file in bytes.
  public var totalLength: Int { layout().total }

  /// Emits the whole file, in order, as a sequence of chunks.
  public func write(_ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
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
      var crc: UInt32 = 0
      var length = 0
      for part in s.parts {
        switch part {
        case .bytes(let b):
          try b.withUnsafeBytes(sink)
          crc = b.withUnsafeBytes { CRC32C.checksum($0, continuing: crc) }
          length += b.count
        case .stream(let expected, let produce):
          var produced = 0
          try produce { chunk in
            try sink(chunk)
            crc = CRC32C.checksum(chunk, continuing: crc)
            produced += chunk.count
          }
          precondition(produced == expected, "a streamed section part produced \(produced) bytes, not \(expected)")
          length += produced
        }
      }
      pos = offsets[i] + length
      table.writeUInt32(s.id.rawValue)
      table.writeUInt32(crc)
      table.writeUInt64(UInt64(offsets[i]))
      table.writeUInt64(UInt64(length))
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
  public func bytes() throws -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(totalLength)
    try write { out.append(contentsOf: $0) }
    return out
  }
}
