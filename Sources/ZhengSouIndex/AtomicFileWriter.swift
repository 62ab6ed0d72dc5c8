#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file atomically: write a temporary file beside it, fsync, rename over, fsync the folder.
///
/// A failed or killed build therefore leaves the previous file intact (at worst a stray
/// `NAME.tmp-PID` remains, which the next build overwrites).
public enum AtomicFileWriter {
  public static func write(to path: String, _ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
    let tmp = "\(path).tmp-\(getpid())"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw IndexError.io(path: tmp, operation: "create", errno: errno) }
    var ok = false
    defer {
      if !ok {
        close(fd)
        unlink(tmp)
      }
    }
    try produce { chunk in
      var done = 0
      while done < chunk.count {
        let n = Glibc.write(fd, chunk.baseAddress! + done, chunk.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          throw IndexError.io(path: tmp, operation: "write", errno: errno)
        }
        done += n
      }
    }
    guard fsync(fd) == 0 else { throw IndexError.io(path: tmp, operation: "fsync", errno: errno) }
    ok = true
    close(fd)
    guard rename(tmp, path) == 0 else {
      let e = errno
      unlink(tmp)
      throw IndexError.io(path: path, operation: "rename", errno: e)
    }
    let dir = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
    let dfd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_CLOEXEC)
    if dfd >= 0 {
      fsync(dfd)
      close(dfd)
    }
  }
}
