#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file; unmapped on deinit.
///
/// Postings are read straight from the page cache with unaligned loads: opening an index costs
/// O(1) I/O, and a cold search touches only the pages it needs.
public final class MappedFile: @unchecked Sendable {
  public let path: String
  public let bytes: UnsafeRawBufferPointer
  private let mapping: UnsafeMutableRawPointer?

  public init(path: String) throws(IndexError) {
    self.path = path
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw .io(path: path, operation: "stat", errno: errno) }
    guard (st.st_mode & S_IFMT) == S_IFREG else { throw .io(path: path, operation: "open (not a regular file)", errno: EINVAL) }
    let size = Int(st.st_size)
    if size == 0 {
      mapping = nil
      bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      return
    }
    let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
    guard let p, p != MAP_FAILED else { throw .io(path: path, operation: "mmap", errno: errno) }
    mapping = p
    bytes = UnsafeRawBufferPointer(start: p, count: size)
  }

  deinit {
    if let mapping { munmap(mapping, bytes.count) }
  }
}
