import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads documents from `.txt`, `.md` and `.jsonl` files and folders of them.
///
/// **Files.** Each path is taken as given when it is a file (it must end in `.txt`, `.md` or
/// `.jsonl`, else ``IngestionProblem/Reason/unsupportedFileType``), or, when it is a folder, every
/// `.txt`, `.md` and `.jsonl` file below it, recursively, sorted by path in byte order. Hidden
/// files and folders (name starting with `.`) inside a folder are skipped, and so are symbolic
/// links to folders (no cycles); a file listed twice is read once. Paths are handled in the
/// order given.
///
/// **`.txt` / `.md`.** The whole file is one document: id = file name without its extension,
/// title = first non-empty line, trimmed (for `.md`, leading `#`s and spaces removed), body = the
/// whole text including the title line, kind `.other`, no date.
///
/// **`.jsonl`.** One JSON object per line, read in 4 MiB chunks (never the whole file at once).
/// Required: `id` (string, or integer → its digits), `title` (string, may be empty), `body`
/// (string). Optional: `date` (string; `YYYYMMDD` becomes `YYYY-MM-DD`), else `year` (integer or
/// string) as the date; `kind` (one of ``DocumentKind``'s raw values, else inferred from `source`
/// with ``DocumentKind/init(inferredFromSource:)``), `source`, `url` (empty strings count as
/// absent). Other members are ignored. Blank lines are skipped; a bad line is reported with its
/// 1-based line number and the rest of the file still loads.
///
/// **Checks on every file.** Cannot open/read → `unreadable`; 0 bytes or only whitespace →
/// `empty`; a NUL byte (or mostly control bytes) in the first 8 KiB → `binary`; bytes that are
/// not UTF-8 → `invalidUTF8(byteOffset:)` (file offset of the first bad byte; JSONL: per line,
/// with the line number, and only that line is skipped). A leading UTF-8 BOM is skipped.
public struct DocumentLoader: Sendable {
  public var paths: [String]
  /// Extensions (lower case, no dot) of the files taken from folders; a subset of
  /// ``supportedExtensions``. Files named explicitly may have any supported extension.
  public var folderExtensions: Set<String>

  /// File extensions read from folders (compared case-insensitively).
  public static let supportedExtensions: Set<String> = ["txt", "md", "jsonl"]
  /// Bytes read at a time from a JSONL file.
  static let chunkSize = 4 << 20
  /// How much of a file's start is examined for binary content.
  static let sniffLength = 8 << 10

  public init(paths: [String]) {
    self.paths = paths
    self.folderExtensions = Self.supportedExtensions
  }

  /// Reads only files with these extensions from folders, e.g. `["jsonl"]` to take the data
  /// files of `Corpus/` without its `README.md`.
  public init(paths: [String], folderExtensions: Set<String>) {
    self.paths = paths
    self.folderExtensions = Set(folderExtensions.map { $0.lowercased() }).intersection(Self.supportedExtensions)
  }

  /// Files to read, in reading order, and problems with the paths themselves.
  public func inputFiles() -> (files: [String], problems: [IngestionProblem]) {
    var files: [String] = []
    var problems: [IngestionProblem] = []
    for entry in entries() {
      switch entry {
      case .file(let path): files.append(path)
      case .problem(let problem): problems.append(problem)
      }
    }
    return (files, problems)
  }

  /// Calls `body` with each document in a deterministic order (files in ``inputFiles()`` order,
  /// JSONL lines in file order). Problems go to `onProblem`, in the order they are met, and the
  /// document or file concerned is skipped; a document whose id was already seen is reported as
  /// `duplicateID` and skipped. Only an error thrown by `body` stops the walk.
  public func forEachDocument(
    _ body: (SourceDocument) throws -> Void, onProblem: (IngestionProblem) -> Void
  ) rethrows {
    var seenIDs = Set<String>()
    for entry in entries() {
      switch entry {
      case .problem(let problem):
        onProblem(problem)
      case .file(let path):
        try Self.readFile(path) { document in
          if seenIDs.insert(document.id).inserted {
            try body(document)
          } else {
            let (file, line) = Self.splitOrigin(document.origin, path: path)
            onProblem(IngestionProblem(path: file, line: line, reason: .duplicateID(document.id)))
          }
        } onProblem: { onProblem($0) }
      }
    }
  }

  // MARK: - Choosing files

  enum Entry {
    case file(String)
    case problem(IngestionProblem)
  }

  /// Files and path problems in the order given; within a folder, files sorted by path bytes.
  func entries() -> [Entry] {
    var result: [Entry] = []
    var listed = Set<String>()
    func add(_ file: String) {
      if listed.insert(file).inserted { result.append(.file(file)) }
    }
    let fm = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
        result.append(.problem(IngestionProblem(path: path, reason: .unreadable("no such file or directory"))))
        continue
      }
      if isDirectory.boolValue {
        var found: [String] = []
        var problems: [IngestionProblem] = []
        Self.collect(folder: path, extensions: folderExtensions, into: &found, problems: &problems)
        found.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        result.append(contentsOf: problems.map(Entry.problem))
        found.forEach(add)
      } else if Self.supportedExtensions.contains(Self.fileExtension(path)) {
        add(path)
      } else {
        result.append(.problem(IngestionProblem(path: path, reason: .unsupportedFileType)))
      }
    }
    return result
  }

  private static func collect(
    folder: String, extensions: Set<String>, into found: inout [String], problems: inout [IngestionProblem]
  ) {
    let fm = FileManager.default
    let names: [String]
    do {
      names = try fm.contentsOfDirectory(atPath: folder)
    } catch {
      problems.append(IngestionProblem(path: folder, reason: .unreadable("cannot list folder")))
      return
    }
    let prefix = folder.hasSuffix("/") ? folder : folder + "/"
    for name in names where !name.hasPrefix(".") {
      let child = prefix + name
      let type = (try? fm.attributesOfItem(atPath: child)[.type] as? FileAttributeType) ?? nil
      switch type {
      case .typeDirectory?:
        collect(folder: child, extensions: extensions, into: &found, problems: &problems)
      case .typeRegular?:
        if extensions.contains(fileExtension(name)) { found.append(child) }
      case .typeSymbolicLink?:
        // Follow links to files; never links to folders (they could form cycles).
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: child, isDirectory: &isDirectory), !isDirectory.boolValue,
          extensions.contains(fileExtension(name))
        {
          found.append(child)
        }
      default:
        break
      }
    }
  }

  /// Lower-cased extension of the last path component ("" when none).
  static func fileExtension(_ path: String) -> String {
    let name = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
    return name[name.index(after: dot)...].lowercased()
  }

  private static func splitOrigin(_ origin: String, path: String) -> (String, Int?) {
    guard origin.count > path.count, origin.hasPrefix(path + ":"),
      let line = Int(origin.dropFirst(path.count + 1))
    else { return (path, nil) }
    return (path, line)
  }

  // MARK: - Reading one file

  /// Reads one file's documents (no duplicate-id check).
  static func readFile(
    _ path: String, _ body: (SourceDocument) throws -> Void, onProblem: (IngestionProblem) -> Void
  ) rethrows {
    switch fileExtension(path) {
    case "jsonl":
      try readJSONL(path, body, onProblem: onProblem)
    case "md":
      switch readTextDocument(path, markdown: true) {
      case .success(let document): try body(document)
      case .failure(let problem): onProblem(problem)
      }
    default:
      switch readTextDocument(path, markdown: false) {
      case .success(let document): try body(document)
      case .failure(let problem): onProblem(problem)
      }
    }
  }

  static func readTextDocument(_ path: String, markdown: Bool) -> Result<SourceDocument, IngestionProblem> {
    func problem(_ reason: IngestionProblem.Reason) -> Result<SourceDocument, IngestionProblem> {
      .failure(IngestionProblem(path: path, reason: reason))
    }
    let bytes: [UInt8]
    switch readWholeFile(path) {
    case .success(let b): bytes = b
    case .failure(let failure): return .failure(failure)
    }
    if bytes.isEmpty { return problem(.empty) }
    if looksBinary(bytes.prefix(sniffLength)) { return problem(.binary) }
    let bomLength = hasBOM(bytes) ? 3 : 0
    let text: String? = bytes.withUnsafeBufferPointer { all in
      let content = UnsafeBufferPointer(rebasing: all[bomLength...])
      return UTF8Validation.firstInvalidOffset(content) == nil ? String(decoding: content, as: UTF8.self) : nil
    }
    guard let text else {
      let offset = bytes.withUnsafeBufferPointer {
        UTF8Validation.firstInvalidOffset(UnsafeBufferPointer(rebasing: $0[bomLength...]))!
      }
      return problem(.invalidUTF8(byteOffset: offset + bomLength))
    }
    var title: String?
    for line in text.split(whereSeparator: \.isNewline) {
      var candidate = line.trimmingCharacters(in: .whitespacesAndNewlines)
      if markdown {
        candidate = String(candidate.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces)
      }
      if !candidate.isEmpty {
        title = candidate
        break
      }
    }
    guard let title else { return problem(.empty) }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let id = name.lastIndex(of: ".").map { String(name[..<$0]) } ?? name
    return .success(SourceDocument(id: id, title: title, kind: .other, body: text, origin: path))
  }

  private static let jsonKeys = ["id", "title", "body", "date", "year", "kind", "source", "url"]

  /// Streams a JSONL file line by line in `chunkSize` reads.
  static func readJSONL(
    _ path: String, _ body: (SourceDocument) throws -> Void, onProblem: (IngestionProblem) -> Void
  ) rethrows {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
      onProblem(IngestionProblem(path: path, reason: .unreadable(String(cString: strerror(errno)))))
      return
    }
    defer { close(fd) }
    let parser = JSONLineParser(keys: jsonKeys)
    var capacity = chunkSize
    var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    defer { buffer.deallocate() }
    var filled = 0  // bytes held in buffer
    var bufferOffset = 0  // file offset of buffer[0]
    var lineNumber = 0
    var totalRead = 0
    var sawContent = false

    /// Checks and parses one line (without its "\n"; `offset` is its file offset); returns its
    /// document, or nil after reporting a problem (or for a blank line).
    func handle(_ line: UnsafeBufferPointer<UInt8>, offset: Int) -> SourceDocument? {
      lineNumber += 1
      var line = line
      var offset = offset
      if lineNumber == 1, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
        line = UnsafeBufferPointer(rebasing: line[3...])
        offset += 3
      }
      if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0C || $0 == 0x0B }) { return nil }
      sawContent = true
      if let bad = UTF8Validation.firstInvalidOffset(line) {
        onProblem(IngestionProblem(path: path, line: lineNumber, reason: .invalidUTF8(byteOffset: offset + bad)))
        return nil
      }
      let fields: [JSONLineParser.Value?]
      do {
        fields = try parser.parse(line)
      } catch {
        onProblem(IngestionProblem(path: path, line: lineNumber, reason: .malformedJSON(error.description)))
        return nil
      }
      switch makeDocument(fields, path: path, line: lineNumber) {
      case .success(let document): return document
      case .failure(let problem):
        onProblem(problem)
        return nil
      }
    }

    while true {
      if filled == capacity {
        // One line longer than the buffer: grow it.
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
        bigger.update(from: buffer, count: filled)
        buffer.deallocate()
        buffer = bigger
        capacity *= 2
      }
      let n = read(fd, buffer + filled, capacity - filled)
      if n < 0 {
        if errno == EINTR { continue }
        onProblem(IngestionProblem(path: path, reason: .unreadable(String(cString: strerror(errno)))))
        return
      }
      if totalRead == 0 && n > 0 {
        // First bytes of the file: binary sniffing.
        let head = UnsafeBufferPointer(start: buffer, count: min(n, sniffLength))
        if looksBinary(head) {
          onProblem(IngestionProblem(path: path, reason: .binary))
          return
        }
      }
      totalRead += n
      filled += n
      let atEOF = n == 0
      var start = 0
      while start < filled {
        guard let hit = memchr(buffer + start, 0x0A, filled - start) else { break }
        let end = UnsafeMutableRawPointer(hit).assumingMemoryBound(to: UInt8.self) - buffer
        if let document = handle(UnsafeBufferPointer(start: buffer + start, count: end - start), offset: bufferOffset + start) {
          try body(document)
        }
        start = end + 1
      }
      if atEOF {
        if start < filled {
          if let document = handle(UnsafeBufferPointer(start: buffer + start, count: filled - start), offset: bufferOffset + start) {
            try body(document)
          }
        }
        break
      }
      if start > 0 {
        (buffer).update(from: buffer + start, count: filled - start)
        bufferOffset += start
        filled -= start
      }
    }
    if !sawContent {
      onProblem(IngestionProblem(path: path, reason: .empty))
    }
  }

  /// Turns one JSONL object's fields (indexed like `jsonKeys`) into a document, or says which
  /// required field is wrong.
  static func makeDocument(
    _ fields: [JSONLineParser.Value?], path: String, line: Int
  ) -> Result<SourceDocument, IngestionProblem> {
    func missing(_ name: String) -> Result<SourceDocument, IngestionProblem> {
      .failure(IngestionProblem(path: path, line: line, reason: .missingField(name)))
    }
    let id: String
    switch fields[0] {
    case .string(let s)? where !s.isEmpty: id = s
    case .number(let digits, isInteger: true)?: id = digits
    default: return missing("id")
    }
    guard case .string(let title)? = fields[1] else { return missing("title") }
    guard case .string(let body)? = fields[2] else { return missing("body") }

    func text(_ index: Int) -> String? {
      guard case .string(let s)? = fields[index] else { return nil }
      let trimmed = trimmed(s)
      return trimmed.isEmpty ? nil : trimmed
    }
    var date = text(3).map(normalizeDate)
    if date == nil {
      switch fields[4] {
      case .number(let digits, isInteger: true)?: date = digits
      case .string?: date = text(4)
      default: break
      }
    }
    let source = text(6)
    let kind = text(5).flatMap { DocumentKind(rawValue: $0.lowercased()) }
      ?? DocumentKind(inferredFromSource: source)
    return .success(
      SourceDocument(
        id: id, title: title, date: date, kind: kind, source: source, url: text(7), body: body,
        origin: "\(path):\(line)"))
  }

  /// `s` without leading and trailing white space (Unicode `White_Space`), without Foundation.
  static func trimmed(_ s: String) -> String {
    let scalars = s.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
    if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return s }
    return String(scalars[first...last])
  }

  /// `YYYYMMDD` → `YYYY-MM-DD`; anything else unchanged.
  static func normalizeDate(_ s: String) -> String {
    let u = Array(s.utf8)
    guard u.count == 8, u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return s }
    return "\(s.prefix(4))-\(s.dropFirst(4).prefix(2))-\(s.suffix(2))"
  }

  // MARK: - Bytes

  static func hasBOM(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
  }

  /// A NUL byte, or more than 30% control bytes other than tab, newline, CR, form feed, vertical
  /// tab and escape.
  static func looksBinary<C: Collection>(_ head: C) -> Bool where C.Element == UInt8 {
    var controls = 0
    for b in head {
      if b == 0 { return true }
      if (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x0B && b != 0x1B) || b == 0x7F {
        controls += 1
      }
    }
    return head.count >= 16 && controls * 10 > head.count * 3
  }

  /// The whole file, read in chunks.
  static func readWholeFile(_ path: String) -> Result<[UInt8], IngestionProblem> {
    func unreadable() -> Result<[UInt8], IngestionProblem> {
      .failure(IngestionProblem(path: path, reason: .unreadable(String(cString: strerror(errno)))))
    }
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return unreadable() }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        return unreadable()
      }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return .success(bytes)
  }
}
