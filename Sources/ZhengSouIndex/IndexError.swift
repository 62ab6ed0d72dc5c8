import ZhengSouFormat

/// Failures of opening, reading or writing an index file, always naming the file.
public enum IndexError: Error, CustomStringConvertible, Equatable {
  /// The file's bytes are bad (wrapped format error: truncated, corrupt, checksum, version...).
  case format(path: String, FormatError)
  /// The operating system refused (open, mmap, write, fsync, rename).
  case io(path: String, operation: String, errno: Int32)
  /// A build was given a term at a position before its previous one in the same document and
  /// field (positions are stored as increasing deltas, so the list cannot be written).
  case positionsNotIncreasing(field: String, term: String, document: Int)

  public var description: String {
    switch self {
    case .format(let path, let e): return "\(path): \(e)"
    case .io(let path, let op, let code): return "\(path): \(op) failed: \(String(cString: strerror(code)))"
    case .positionsNotIncreasing(let field, let term, let document):
      return "term \"\(term)\" of field \(field) in document \(document): a position before the term's previous one"
    }
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
