#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An anonymous temporary file that a build appends to and reads back: sorted runs of postings,
/// stored-document blocks and the final POST and POSN bytes when they would not fit the memory
/// budget.
///
/// The file is unlinked as soon as it is created, so nothing is left behind whatever happens to
/// the process (a crash, a kill, a failed build); the space is freed when the descriptor closes.
/// Appends go through a 1 MiB buffer; reads use `pread` and never move a shared offset.
final class SpillFile {
  let directory: String
  private let fd: Int32
  private var buffer: [UInt8] = []
  private var written = 0
  private static let bufferSize = 1 << 20

  /// Creates the file in `directory` (put it on the same disk as the output, not a RAM-backed /tmp).
  init(directory: String) throws {
    self.directory = directory
    var template = Array((directory.isEmpty ? "." : directory).utf8CString.dropLast()) + Array("/.zhengsou-spill-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw IndexError.io(path: directory, operation: "create a spill file in", errno: errno) }
    let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    unlink(path)
    self.fd = fd
    buffer.reserveCapacity(Self.bufferSize)
  }

  deinit { close(fd) }

  /// Bytes appended so far (buffered or not).
  var count: Int { written + buffer.count }

  func append(_ bytes: UnsafeRawBufferPointer) throws {
    if buffer.count + bytes.count > Self.bufferSize { try flush() }
    if bytes.count >= Self.bufferSize {
      try writeAll(bytes)
    } else {
      buffer.append(contentsOf: bytes)
    }
  }

  func append(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try append($0) } }

  /// Writes the buffer out (reads only see flushed bytes; `read` flushes first).
  func flush() throws {
    guard !buffer.isEmpty else { return }
    try buffer.withUnsafeBytes { try writeAll($0) }
    buffer.removeAll(keepingCapacity: true)
  }

  private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
    var done = 0
    while done < bytes.count {
      let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(written))
      if n < 0 {
        if errno == EINTR { continue }
        throw IndexError.io(path: directory, operation: "write a spill file in", errno: errno)
      }
      done += n
      written += n
    }
  }

  /// Reads up to `into.count` bytes at `offset`; returns how many (fewer only at the end).
  func read(at offset: Int, into: UnsafeMutableRawBufferPointer) throws -> Int {
    try flush()
    var done = 0
    while done < into.count {
      let n = pread(fd, into.baseAddress! + done, into.count - done, off_t(offset + done))
      if n < 0 {
        if errno == EINTR { continue }
        throw IndexError.io(path: directory, operation: "read a spill file in", errno: errno)
      }
      if n == 0 { break }
      done += n
    }
    return done
  }

  /// Hands `length` bytes from `offset` to `body` in chunks of at most 1 MiB.
  func forEachChunk(from offset: Int, length: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
    defer { chunk.deallocate() }
    var position = offset
    let end = offset + length
    while position < end {
      let want = min(Self.bufferSize, end - position)
      let n = try read(at: position, into: UnsafeMutableRawBufferPointer(rebasing: chunk[0..<want]))
      guard n == want else { throw IndexError.io(path: directory, operation: "read back a spill file in", errno: EIO) }
      try body(UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
      position += n
    }
  }
}
