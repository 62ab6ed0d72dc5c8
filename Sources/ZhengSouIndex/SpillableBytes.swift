import ZhengSouFormat

/// A growing section (POST, POSN) that moves to a `SpillFile` in large chunks when the build has
/// one, so a section bigger than the memory budget never sits in memory whole.
///
/// Offsets (`count`) count every byte written, spilled or not, so writers record the same
/// positions either way and the file's bytes do not depend on the budget.
struct SpillableBytes {
  private(set) var buffer: ByteWriter
  private let file: SpillFile?
  private let fileStart: Int
  private var spilled = 0
  private static let chunk = 8 << 20

  init(capacity: Int, spillingTo file: SpillFile? = nil) {
    buffer = ByteWriter(capacity: file == nil ? capacity : Self.chunk + (64 << 10))
    self.file = file
    fileStart = file?.count ?? 0
  }

  var count: Int { spilled + buffer.count }

  @inline(__always) mutating func writeVarUInt(_ v: UInt64) { buffer.writeVarUInt(v) }
  @inline(__always) mutating func writeBytes(_ b: [UInt8]) { buffer.writeBytes(b) }
  mutating func writeRaw(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) { buffer.writeRaw(maxCount: maxCount, body) }

  /// Moves the buffer to the file once it holds a chunk (call between lists, not in inner loops).
  mutating func spillIfLarge() throws {
    guard let file, buffer.count >= Self.chunk else { return }
    try file.append(buffer.bytes)
    spilled += buffer.count
    buffer.removeAll()
  }

  /// The section's bytes for `IndexFileWriter`: the buffer itself, or a stream read back from the file.
  mutating func sectionPart() throws -> IndexFileWriter.SectionPart {
    guard let file else { return .bytes(buffer.bytes) }
    if buffer.count > 0 {
      try file.append(buffer.bytes)
      spilled += buffer.count
      buffer.removeAll(keepingCapacity: false)
    }
    let start = fileStart, length = spilled
    return .stream(length: length) { sink in try file.forEachChunk(from: start, length: length, sink) }
  }
}
