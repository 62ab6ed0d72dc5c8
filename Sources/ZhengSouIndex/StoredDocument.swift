/// What the index keeps of a document for showing results and building snippets.
public struct StoredDocument: Sendable, Equatable {
  public var id: String
  public var title: String
  /// "YYYY-MM-DD", "YYYY-MM" or "YYYY", or empty when unknown.
  public var date: String
  /// plan / report / news / law / other.
  public var kind: String
  public var source: String
  public var url: String
  /// The original body text; token offsets and highlights are byte offsets into it.
  public var body: String

  public init(id: String, title: String, date: String = "", kind: String = "other", source: String = "", url: String = "", body: String) {
    self.id = id
    self.title = title
    self.date = date
    self.kind = kind
    self.source = source
    self.url = url
    self.body = body
  }
}
