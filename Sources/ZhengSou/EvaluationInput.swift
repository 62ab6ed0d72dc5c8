import Foundation

/// A queries or qrels file that cannot be used, with the file and (when it is about one line) the
/// 1-based line number.
public enum EvaluationInputError: Error, Equatable, CustomStringConvertible {
  case unreadable(path: String, reason: String)
  case malformed(path: String, line: Int, reason: String)
  case empty(path: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason): return "\(path): \(reason)"
    case .malformed(let path, let line, let reason): return "\(path):\(line): \(reason)"
    case .empty(let path): return "\(path): no queries"
    }
  }
}

/// One evaluation query: its id and text, from a `qid<TAB>text` line.
public struct EvaluationQuery: Sendable, Equatable {
  public var qid: String
  public var text: String

  public init(qid: String, text: String) {
    self.qid = qid
    self.text = text
  }

  /// Reads a queries file: one `qid<TAB>text` per line (UTF-8; blank lines are skipped; the text is
  /// everything after the first tab). A line without a tab, an empty qid or a qid seen before is
  /// an error naming the file and line. An empty text is kept (it counts as an unparsable query).
  public static func load(path: String) throws(EvaluationInputError) -> [EvaluationQuery] {
    var queries: [EvaluationQuery] = []
    var seen: [String: Int] = [:]
    try forEachLine(path: path) { (line, number) throws(EvaluationInputError) in
      guard let tab = line.firstIndex(of: "\t") else {
        throw .malformed(path: path, line: number, reason: "expected qid<TAB>text, found no tab")
      }
      let qid = line[..<tab].trimmingCharacters(in: .whitespaces)
      guard !qid.isEmpty else { throw .malformed(path: path, line: number, reason: "empty qid") }
      if let first = seen[qid] {
        throw .malformed(path: path, line: number, reason: "qid \(qid) already used on line \(first)")
      }
      seen[qid] = number
      queries.append(EvaluationQuery(qid: qid, text: String(line[line.index(after: tab)...])))
    }
    guard !queries.isEmpty else { throw .empty(path: path) }
    return queries
  }
}

/// TREC relevance judgments: per query id, the grade of each judged document id.
///
/// The file format is TREC's: `qid iteration docid relevance`, four fields separated by spaces or
/// tabs; the iteration (usually 0) is ignored; relevance is an integer, and above 0 means relevant.
public struct TRECQrels: Sendable, Equatable {
  /// qid → docid → grade.
  public var judgments: [String: [String: Int]]

  public init(judgments: [String: [String: Int]] = [:]) {
    self.judgments = judgments
  }

  /// The grade of `docid` for `qid` (0 when unjudged).
  public func grade(qid: String, docid: String) -> Int { judgments[qid]?[docid] ?? 0 }

  /// How many documents are relevant (grade > 0) to `qid`.
  public func relevantCount(qid: String) -> Int { judgments[qid]?.values.count(where: { $0 > 0 }) ?? 0 }

  /// Reads a qrels file. A line that does not have exactly four fields, a relevance that is not an
  /// integer, or a (qid, docid) pair judged twice, is an error naming the file and line.
  public static func load(path: String) throws(EvaluationInputError) -> TRECQrels {
    var qrels = TRECQrels()
    var lines = 0
    var seenAt: [String: [String: Int]] = [:]
    try forEachLine(path: path) { (line, number) throws(EvaluationInputError) in
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard fields.count == 4 else {
        throw .malformed(path: path, line: number, reason: "expected 4 fields (qid iteration docid relevance), found \(fields.count)")
      }
      guard let grade = Int(fields[3]) else {
        throw .malformed(path: path, line: number, reason: "relevance \"\(fields[3])\" is not an integer")
      }
      let qid = String(fields[0]), docid = String(fields[2])
      if let first = seenAt[qid]?[docid] {
        throw .malformed(path: path, line: number, reason: "\(qid) \(docid) already judged on line \(first)")
      }
      seenAt[qid, default: [:]][docid] = number
      qrels.judgments[qid, default: [:]][docid] = grade
      lines += 1
    }
    guard lines > 0 else { throw .unreadable(path: path, reason: "no judgments") }
    return qrels
  }
}

/// Calls `body` with every non-blank line of a UTF-8 text file (without its line break, and
/// without a trailing CR or a leading byte-order mark) and its 1-based line number.
func forEachLine(path: String, _ body: (String, Int) throws(EvaluationInputError) -> Void) throws(EvaluationInputError) {
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
    throw .unreadable(path: path, reason: "no such file")
  }
  guard !isDirectory.boolValue else { throw .unreadable(path: path, reason: "is a directory, not a file") }
  let data: Data
  do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
    throw .unreadable(path: path, reason: "cannot be read (\(error.localizedDescription))")
  }
  var number = 0
  var start = data.startIndex
  if data.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
  while start < data.endIndex {
    number += 1
    let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
    var lineEnd = end
    if lineEnd > start && data[lineEnd - 1] == 0x0D { lineEnd -= 1 }
    guard let line = String(validating: data[start..<lineEnd], as: UTF8.self) else {
      throw .malformed(path: path, line: number, reason: "invalid UTF-8")
    }
    if !line.allSatisfy(\.isWhitespace) { try body(line, number) }
    start = end == data.endIndex ? end : end + 1
  }
}
