import ZhengSouAnalysis

/// What `IndexingPipeline` indexes and how.
public struct IndexBuildOptions: Sendable {
  /// Indexed fields, in order: "title", "body" or both. Stored fields are kept regardless.
  public var fields: [String]
  public var segmenter: SegmenterOptions
  /// Extra metadata pairs stored in the index (e.g. the bundled corpus fingerprint).
  public var metadata: [(key: String, value: String)]

  public init(fields: [String] = ["title", "body"], segmenter: SegmenterOptions = .init(), metadata: [(key: String, value: String)] = []) {
    self.fields = fields
    self.segmenter = segmenter
    self.metadata = metadata
  }

  public static let knownFields = ["title", "body"]
}
