/// Validates the container of an index file held in memory (normally mmap'd) and hands out sections.
///
/// `init` checks, in this order, so each failure gets its own error: size ≥ header, magic, header
/// CRC, version range, declared length vs actual (truncation), footer CRC and magic, table bounds
/// and CRC, section ordering/alignment/bounds and zero padding. Section contents are checksummed
/// on request (`verify(_:)`, `verifyAll()`): the big sections are checked by `zhengsou verify`,
/// not on every search, so that opening costs O(sections), not O(file size).
public struct IndexFileReader {
  public struct Entry: Sendable, Equatable {
    public var id: SectionID
    public var checksum: UInt32
    public var offset: Int
    public var length: Int
  }

  public let file: UnsafeRawBufferPointer
  public let formatVersion: UInt32
  public let entries: [Entry]

  public init(_ file: UnsafeRawBufferPointer, supportedVersions: ClosedRange<UInt32>) throws(FormatError) {
    self.file = file
    let size = file.count
    guard size >= IndexFileLayout.headerSize else {
      if size >= IndexFileLayout.magic.count, !Self.hasMagic(file) { throw .badMagic }
      throw .truncated(expected: IndexFileLayout.headerSize, actual: size, what: "the header")
    }
    guard Self.hasMagic(file) else { throw .badMagic }
    var header = ByteReader(file, region: "header", offset: IndexFileLayout.magic.count)
    let version = try header.readUInt32()
    let reserved1 = try header.readUInt32()
    let declaredLength = try header.readUInt64()
    let storedHeaderCRC = try header.readUInt32()
    let reserved2 = try header.readUInt32()
    let headerCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: file[0..<IndexFileLayout.headerCRCCoverage]))
    guard headerCRC == storedHeaderCRC else {
      throw .checksumMismatch(region: "header", expected: storedHeaderCRC, actual: headerCRC)
    }
    guard reserved2 == 0 else { throw .corrupt(region: "header", offset: 28, reason: "reserved field is not zero") }
    guard reserved1 == 0 else { throw .corrupt(region: "header", offset: 12, reason: "reserved field is not zero") }
    if version > supportedVersions.upperBound {
      throw .versionTooNew(found: version, newestSupported: supportedVersions.upperBound)
    }
    if version < supportedVersions.lowerBound {
      throw .versionTooOld(found: version, oldestSupported: supportedVersions.lowerBound)
    }
    formatVersion = version
    guard declaredLength <= UInt64(Int.max), Int(declaredLength) <= size else {
      throw .truncated(expected: Int(clamping: declaredLength), actual: size, what: "the file (length from its header)")
    }
    guard Int(declaredLength) == size else {
      throw .corrupt(region: "file", offset: Int(declaredLength), reason: "\(size - Int(declaredLength)) unexpected bytes after the footer")
    }
    guard size >= IndexFileLayout.headerSize + IndexFileLayout.footerSize else {
      throw .corrupt(region: "header", offset: 16, reason: "declared length \(declaredLength) leaves no room for a footer")
    }

    let footerStart = size - IndexFileLayout.footerSize
    var footer = ByteReader(file, region: "footer", offset: footerStart)
    let tableOffset64 = try footer.readUInt64()
    let sectionCount = Int(try footer.readUInt32())
    let storedTableCRC = try footer.readUInt32()
    let storedFooterCRC = try footer.readUInt32()
    let footerCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: file[footerStart..<(footerStart + 16)]))
    guard footerCRC == storedFooterCRC else {
      throw .checksumMismatch(region: "footer", expected: storedFooterCRC, actual: footerCRC)
    }
    guard Array(file[(size - 4)..<size]) == IndexFileLayout.footerMagic else {
      throw .corrupt(region: "footer", offset: size - 4, reason: "footer magic is wrong")
    }
    let tableLength = sectionCount * IndexFileLayout.entrySize
    guard tableOffset64 <= UInt64(footerStart), Int(tableOffset64) + tableLength == footerStart,
      Int(tableOffset64) >= IndexFileLayout.headerSize
    else {
      throw .corrupt(region: "footer", offset: footerStart, reason: "section table of \(sectionCount) entries at \(tableOffset64) does not end at the footer")
    }
    let tableOffset = Int(tableOffset64)
    let tableCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: file[tableOffset..<footerStart]))
    guard tableCRC == storedTableCRC else {
      throw .checksumMismatch(region: "section table", expected: storedTableCRC, actual: tableCRC)
    }

    var table = ByteReader(file, region: "section table", offset: tableOffset)
    var entries: [Entry] = []
    var expectedStart = IndexFileLayout.headerSize
    for i in 0..<sectionCount {
      let id = SectionID(rawValue: try table.readUInt32())
      let crc = try table.readUInt32()
      let offset = try table.readUInt64()
      let length = try table.readUInt64()
      let entryAt = tableOffset + i * IndexFileLayout.entrySize
      guard offset <= UInt64(tableOffset), length <= UInt64(tableOffset) - offset else {
        throw .corrupt(region: "section table", offset: entryAt, reason: "section \(id) lies outside the file")
      }
      guard Int(offset) == IndexFileLayout.align(expectedStart) else {
        throw .corrupt(region: "section table", offset: entryAt, reason: "section \(id) starts at \(offset), expected \(IndexFileLayout.align(expectedStart))")
      }
      guard !entries.contains(where: { $0.id == id }) else {
        throw .corrupt(region: "section table", offset: entryAt, reason: "section \(id) appears twice")
      }
      try Self.checkZeroPadding(file, from: expectedStart, to: Int(offset))
      entries.append(Entry(id: id, checksum: crc, offset: Int(offset), length: Int(length)))
      expectedStart = Int(offset) + Int(length)
    }
    guard IndexFileLayout.align(expectedStart) == tableOffset else {
      throw .corrupt(region: "section table", offset: tableOffset, reason: "sections end at \(expectedStart), but the table starts at \(tableOffset)")
    }
    try Self.checkZeroPadding(file, from: expectedStart, to: tableOffset)
    self.entries = entries
  }

  private static func hasMagic(_ file: UnsafeRawBufferPointer) -> Bool {
    file.count >= IndexFileLayout.magic.count && Array(file[0..<IndexFileLayout.magic.count]) == IndexFileLayout.magic
  }

  private static func checkZeroPadding(_ file: UnsafeRawBufferPointer, from: Int, to: Int) throws(FormatError) {
    for i in from..<to where file[i] != 0 {
      throw .corrupt(region: "padding", offset: i, reason: "padding byte is not zero")
    }
  }

  public func entry(_ id: SectionID) -> Entry? { entries.first { $0.id == id } }

  /// The bytes of a section (not checksummed: call `verify(_:)` first where that matters).
  public func section(_ id: SectionID) throws(FormatError) -> UnsafeRawBufferPointer {
    guard let e = entry(id) else { throw .missingSection(id.description) }
    return UnsafeRawBufferPointer(rebasing: file[e.offset..<(e.offset + e.length)])
  }

  /// Checks one section's CRC-32C.
  public func verify(_ id: SectionID) throws(FormatError) {
    guard let e = entry(id) else { throw .missingSection(id.description) }
    try verify(e)
  }

  private func verify(_ e: Entry) throws(FormatError) {
    let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: file[e.offset..<(e.offset + e.length)]))
    guard actual == e.checksum else {
      throw .checksumMismatch(region: "section \(e.id)", expected: e.checksum, actual: actual)
    }
  }

  /// Checks every section's CRC-32C (header, table, footer and padding were checked by `init`).
  public func verifyAll() throws(FormatError) {
    for e in entries { try verify(e) }
  }
}
