import ZhengSouAnalysis
import ZhengSouFormat
import ZhengSouIndex
import ZhengSouQuery

/// Errors the facade reports to its callers (the CLI maps them to messages and exit codes).
public enum ZhengSouError: Error, CustomStringConvertible {
  /// The index was built by a different segmenter: its terms would not match this one's queries.
  case segmenterMismatch(path: String, index: String, current: String)
  /// Nothing to index: every input was missing, empty or invalid.
  case noDocuments(problems: Int)
  case unknownField(String)
  /// A user dictionary file (or the copy stored in an index) that cannot be read or parsed.
  case userDictionary(UserDictionaryError)
  case index(IndexError)
  case query(QueryError)
  case setup(String)

  public var description: String {
    switch self {
    case .segmenterMismatch(let path, let index, let current):
      return "\(path): built with a different segmenter (index: \"\(index)\", this zhengsou: \"\(current)\"); rebuild it with `zhengsou index`"
    case .noDocuments(let problems):
      return "no documents to index" + (problems > 0 ? " (\(problems) input problem\(problems == 1 ? "" : "s") reported above)" : "")
    case .unknownField(let f): return "unknown field \"\(f)\" (fields are title and body, or text: both as one field)"
    case .userDictionary(let e): return "user dictionary: \(e)"
    case .index(let e): return e.description
    case .query(let e): return e.description
    case .setup(let s): return s
    }
  }
}
