/// What sort of text a document is. Stored in JSONL as the `kind` field; inferred from `source`
/// when the field is absent or not one of these values.
public enum DocumentKind: String, Sendable, Codable, CaseIterable {
  case plan, report, news, law, other

  /// The kind a provenance tag suggests: `report` in it → `.report`, `law` → `.law`, `news`, `xwlb`
  /// or `cctv` → `.news`, `plan` → `.plan`, anything else (or `nil`) → `.other`. Checked in that
  /// order, case-insensitively, so `wikisource-gov-work-report` is a report and `lawrefbook` a law.
  public init(inferredFromSource source: String?) {
    guard let source else {
      self = .other
      return
    }
    let tag = Array(source.utf8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }  // ASCII lower case
    func has(_ word: String) -> Bool {
      let w = Array(word.utf8)
      guard tag.count >= w.count else { return false }
      return (0...(tag.count - w.count)).contains { tag[$0..<$0 + w.count].elementsEqual(w) }
    }
    if has("report") {
      self = .report
    } else if has("law") {
      self = .law
    } else if has("news") || has("xwlb") || has("cctv") {
      self = .news
    } else if has("plan") {
      self = .plan
    } else {
      self = .other
    }
  }
}

/// One document as read from disk, before any analysis.
///
/// From a `.txt` or `.md` file: `id` is the file name without its extension, `title` the first
/// non-empty line (trimmed; for `.md` without its leading `#`s), `body` the whole text *including*
/// that title line (so offsets into `body` are offsets into the file's text, after any BOM), kind
/// `.other`, no date, source or url.
///
/// From a `.jsonl` line: the object's fields (see ``DocumentLoader``).
public struct SourceDocument: Sendable, Equatable {
  public var id: String
  public var title: String
  /// `"YYYY-MM-DD"`, `"YYYY-MM"` or `"YYYY"` as given: the JSONL `date` field, else its `year`.
  /// A compact `"YYYYMMDD"` date is rewritten as `"YYYY-MM-DD"`; anything else is kept as given.
  public var date: String?
  public var kind: DocumentKind
  /// Provenance tag from the JSONL `source` field (e.g. `wikisource-gov-work-report`).
  public var source: String?
  public var url: String?
  public var body: String
  /// Where the document came from, for messages: `"path"` or `"path:line"` (1-based line).
  public var origin: String

  public init(
    id: String, title: String, date: String? = nil, kind: DocumentKind = .other, source: String? = nil,
    url: String? = nil, body: String, origin: String
  ) {
    self.id = id
    self.title = title
    self.date = date
    self.kind = kind
    self.source = source
    self.url = url
    self.body = body
    self.origin = origin
  }
}
