/// Something wrong with one input file or one JSONL line. Ingestion reports these and goes on;
/// it never stops at one.
public struct IngestionProblem: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    /// The path does not exist or cannot be opened/read; the text is the system's reason.
    case unreadable(String)
    /// The file has no bytes, or only whitespace (a JSONL file: only blank lines).
    case empty
    /// A NUL byte, or mostly control bytes, in the first 8 KiB.
    case binary
    /// The first byte that is not part of valid UTF-8, counted from the start of the file
    /// (for a JSONL line, still from the start of the file; `line` says which line).
    case invalidUTF8(byteOffset: Int)
    /// A JSONL line that is not one JSON object; the text says what and at which column
    /// (1-based, counted in Unicode scalars from the start of the line).
    case malformedJSON(String)
    /// A required JSONL field (`id`, `title`, `body`) is absent or of the wrong type
    /// (`id` must be a string or an integer, `title` and `body` strings).
    case missingField(String)
    /// A document whose id an earlier document already has; the later one is skipped.
    case duplicateID(String)
    /// A file named explicitly whose extension is not `.txt`, `.md` or `.jsonl`.
    case unsupportedFileType
  }

  public var path: String
  /// 1-based JSONL line number, when the problem is one line's.
  public var line: Int?
  public var reason: Reason

  public init(path: String, line: Int? = nil, reason: Reason) {
    self.path = path
    self.line = line
    self.reason = reason
  }

  /// `path[:line]: message`, e.g. `docs/a.jsonl:17: malformed JSON: expected ',' or '}' at column 42`.
  public var description: String {
    let place = line.map { "\(path):\($0)" } ?? path
    let message: String
    switch reason {
    case .unreadable(let why): message = "cannot read: \(why)"
    case .empty: message = "empty file"
    case .binary: message = "binary file (not text)"
    case .invalidUTF8(let offset): message = "invalid UTF-8 at byte offset \(offset)"
    case .malformedJSON(let detail): message = "malformed JSON: \(detail)"
    case .missingField(let name):
      let wanted = name == "id" ? "a string or an integer" : "a string"
      message = "missing or invalid field \"\(name)\" (needs \(wanted))"
    case .duplicateID(let id): message = "duplicate id \"\(id)\" (skipped; the first one is kept)"
    case .unsupportedFileType: message = "unsupported file type (expected .txt, .md or .jsonl)"
    }
    return "\(place): \(message)"
  }
}
