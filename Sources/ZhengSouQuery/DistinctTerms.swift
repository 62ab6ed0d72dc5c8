/// Distinct terms in order of first appearance, with each one's position, for the query parser's
/// words and grams and for `Searcher.weightedTerms`.
///
/// Searched linearly while there are few: a query has tens of terms, and hashing a term's bytes
/// (about 1,400 instructions an insertion) cost more than comparing them. Past `linearLimit` terms
/// (a pasted paragraph), a dictionary of positions takes over.
struct DistinctTerms {
  static let linearLimit = 64
  private(set) var items: [ParsedQuery.Term] = []
  private var positions: [ParsedQuery.Term: Int]? = nil

  init(reservingCapacity capacity: Int = 0) { items.reserveCapacity(capacity) }

  /// The position of `term` in `items`, appending it first if it is new.
  @discardableResult
  mutating func insert(_ term: ParsedQuery.Term) -> (position: Int, inserted: Bool) {
    let found: Int? = if let positions { positions[term] } else { items.firstIndex(of: term) }
    if let found { return (found, false) }
    items.append(term)
    if positions != nil {
      positions![term] = items.count - 1
    } else if items.count > Self.linearLimit {
      positions = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1, $0) })
    }
    return (items.count - 1, true)
  }
}
