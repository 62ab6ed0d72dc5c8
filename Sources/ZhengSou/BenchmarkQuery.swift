/// One query of a latency benchmark and the class its latency is reported under.
///
/// Classes let one run answer "how fast are rare terms, phrases, 3-word queries?" instead of one
/// blended figure: `BenchmarkQueryGenerator` names them (`2-word/rare`, `phrase`), and a query file
/// in the peer harness's JSONL form names them by its `kind` and `band` (`3term/medium`).
public struct BenchmarkQuery: Sendable, Equatable {
  public var text: String
  public var queryClass: String

  public init(text: String, queryClass: String) {
    self.text = text
    self.queryClass = queryClass
  }

  /// The class of plain-text query files, which carry no class.
  public static let unclassified = "file"

  /// This query with every quote character the query syntax knows (`"`, `＂`, “ ”, 「 」, 『 』)
  /// read as a space: OR-ed words only, no required phrase. The peer harness runs every engine
  /// that way ("phrase-kind queries are also run as bag-of-words"), and news headlines used as
  /// known-item queries often carry typographic quotes (用严标准“丈量”…) that are not phrase syntax.
  public var bagOfWords: BenchmarkQuery {
    var scalars = String.UnicodeScalarView()
    for u in text.unicodeScalars { scalars.append(Self.quoteScalars.contains(u) ? " " : u) }
    return BenchmarkQuery(text: String(scalars), queryClass: queryClass)
  }

  /// This query as a conjunction: its quote characters read as spaces (`bagOfWords`), then every
  /// whitespace-separated word quoted, so that each must occur in a result (as a phrase: Chinese
  /// text literally, through its bigrams). It measures the required-phrase path (block-max AND)
  /// on the same queries as the OR-ed one.
  public var allRequired: BenchmarkQuery {
    let words = bagOfWords.text.split(whereSeparator: \.isWhitespace)
    return BenchmarkQuery(text: words.map { "\"\($0)\"" }.joined(separator: " "), queryClass: queryClass)
  }

  static let quoteScalars: Set<Unicode.Scalar> = ["\"", "＂", "\u{201C}", "\u{201D}", "「", "」", "『", "』"]

  /// Reads a query file, one query per non-blank line, in order: either plain text (the whole
  /// line is the query, as `run_peers.py` writes `{queries_txt}`), or, for a line starting with
  /// `{`, a JSON object with `query` and optional `kind` and `band` strings (the harness's
  /// `gen_queries.py` output). Missing, unreadable, empty or malformed files are errors naming the
  /// file (and line).
  public static func load(path: String) throws(EvaluationInputError) -> [BenchmarkQuery] {
    var queries: [BenchmarkQuery] = []
    let parser = JSONLineParser(keys: ["query", "kind", "band"])
    try forEachLine(path: path) { (line, number) throws(EvaluationInputError) in
      guard line.first == "{" else {
        queries.append(BenchmarkQuery(text: line, queryClass: unclassified))
        return
      }
      var copy = line
      let parsed: Result<[JSONLineParser.Value?], JSONLineParser.Failure> = copy.withUTF8 { u in
        do throws(JSONLineParser.Failure) { return .success(try parser.parse(u)) } catch { return .failure(error) }
      }
      let fields: [JSONLineParser.Value?]
      switch parsed {
      case .success(let f): fields = f
      case .failure(let error): throw .malformed(path: path, line: number, reason: "malformed JSON: \(error.description)")
      }
      guard case .string(let text)? = fields[0] else {
        throw .malformed(path: path, line: number, reason: "a JSON query line needs a \"query\" string")
      }
      let label = fields[1...].compactMap { v -> String? in
        if case .string(let s)? = v, !s.isEmpty { return s }
        return nil
      }
      // kind/band (`3term/rare`); once when they are the same (the harness's phrases: phrase/phrase).
      let parts = label.count == 2 && label[0] == label[1] ? [label[0]] : label
      queries.append(BenchmarkQuery(text: text, queryClass: parts.isEmpty ? unclassified : parts.joined(separator: "/")))
    }
    guard !queries.isEmpty else { throw .empty(path: path) }
    return queries
  }
}
