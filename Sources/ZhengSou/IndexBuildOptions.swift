import ZhengSouAnalysis

#if canImport(Glibc)
import Glibc
#endif

/// What `IndexingPipeline` indexes and how.
public struct IndexBuildOptions: Sendable {
  /// Indexed fields, in order: "title", "body" or both; or "text" alone: title and body as ONE
  /// field (the title, a line break, the body), which is what the peer harness's `concat` mode
  /// asks of every engine. Stored fields are kept regardless.
  public var fields: [String]
  public var segmenter: SegmenterOptions
  /// When > 0 and the body is indexed (as "body" or inside "text"), also index a derived `lead`
  /// field: the body's words (not its grams; `IndexingPipeline.withLeadTerm`) that start in its
  /// first `leadCharacters` characters (taken from the body's tokens, not segmented again; with
  /// "text", the body's first `leadCharacters` characters). A news lead restates the headline and a law's first article
  /// states its purpose, so title-like queries weigh matches there (`SearchOptions.fieldWeights`,
  /// 0.5 by default). 200 measured best over both known-item dev sets (`zhengsou eval`: policy
  /// MRR@10 0.797 → 0.827, news 0.684 → 0.697; 100 hurt policy, 300 hurt news).
  public var leadCharacters: Int = 200
  /// Threads that segment documents (the builder itself runs on the calling thread); the index is
  /// byte-identical for every value. Defaults to the number of online processors.
  public var threads: Int = IndexBuildOptions.processorCount
  /// Memory the whole build may use, in bytes (nil: no limit, everything stays in memory). Past
  /// it the builder spills sorted runs to anonymous files beside the output and merges them at the
  /// end; the index bytes are the same either way. Defaults to 1 GiB.
  public var memoryBudget: Int? = 1 << 30
  /// Extra metadata pairs stored in the index (e.g. the bundled corpus fingerprint).
  public var metadata: [(key: String, value: String)]
  /// Whether the documents' texts (title, body, date, kind, source, url) are stored beside their
  /// ids. Without them (`index --store ids`, the META pair `stored` = `ids`) the index ranks the
  /// same documents with the same scores but shows ids without titles or snippets, and is smaller
  /// by the stored texts (a quarter of news.jsonl's index): for users who keep the documents
  /// elsewhere, and for comparing sizes with engines that store no text (the peer harness's
  /// Tantivy schema).
  public var storesText = true
  /// The META pair that says an index stores ids only (value `ids`).
  public static let storedKey = "stored"

  public init(fields: [String] = ["title", "body"], segmenter: SegmenterOptions = .init(), metadata: [(key: String, value: String)] = []) {
    self.fields = fields
    self.segmenter = segmenter
    self.metadata = metadata
  }

  /// Online processors (at least 1).
  public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  public static let knownFields = ["title", "body", "text"]

  /// The text of indexed field `name` for a document: `title`, `body`, `text` (title + "\n" +
  /// body: the line break keeps a phrase from running from the title into the body) or `lead`
  /// (the body's first `leadCharacters` characters). One definition, so the pipeline and the
  /// checks that re-read stored documents agree on what a field holds.
  public static func text(ofField name: String, title: String, body: String, leadCharacters: Int = .max) -> String {
    switch name {
    case "title": return title
    case "text": return title + "\n" + body
    case "lead": return String(body[..<leadEnd(of: body, characters: leadCharacters)])
    default: return body
    }
  }

  /// Where the body's first `characters` characters (`Character`s, as `prefix` counts them) end.
  ///
  /// Counting `Character`s runs grapheme breaking at every step, 1.4% of a news build's CPU for
  /// 200 characters a document. So the scalars are counted instead while every one seen (and the
  /// one after the cut, which could still join the last) is a `SingleScalarCharacters` scalar,
  /// as nearly all of a policy text is; anything else falls back to `index(_:offsetBy:limitedBy:)`.
  public static func leadEnd(of body: String, characters: Int) -> String.Index {
    guard characters > 0 else { return body.startIndex }
    var body = body
    // The cut's UTF-8 offset, or nil where a scalar might join a neighbour.
    let scalarCut: Int? = body.withUTF8 { utf8 in
      var i = 0
      var counted = 0
      while i < utf8.count {
        let (scalar, length) = UTF8Scalar.decode(utf8, at: i)
        guard SingleScalarCharacters.contains(scalar) else { return nil }
        if counted == characters { return i }
        counted += 1
        i += length
      }
      return utf8.count
    }
    if let scalarCut { return body.utf8.index(body.startIndex, offsetBy: scalarCut) }
    return body.index(body.startIndex, offsetBy: characters, limitedBy: body.endIndex) ?? body.endIndex
  }
}
