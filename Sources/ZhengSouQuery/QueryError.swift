/// Why a query could not be run. Positions are 1-based character (Unicode scalar) columns.
public enum QueryError: Error, Equatable, CustomStringConvertible {
  case unclosedQuote(column: Int)
  case noSearchableTerms
  case emptyPhrase(column: Int)

  public var description: String {
    switch self {
    case .unclosedQuote(let c): return "query error at column \(c): quote is never closed"
    case .noSearchableTerms: return "query error: the query has no searchable words (only punctuation or spaces?)"
    case .emptyPhrase(let c): return "query error at column \(c): the quoted phrase has no searchable words"
    }
  }
}
