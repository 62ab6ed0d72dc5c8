/// What a build did: counts, sizes and throughput, for the CLI summary and benchmarks.
public struct IndexBuildSummary: Sendable {
  public var path: String
  public var documents: Int
  /// Input problems (skipped files and lines).
  public var problems: Int
  public var tokens: UInt64
  /// UTF-8 bytes of the indexed fields' text.
  public var inputBytes: Int
  /// Wall time of the whole build: reading, segmenting, indexing and writing the file.
  public var seconds: Double
  /// Seconds spent inside the segmenter (normalization and local term interning included), summed
  /// over every segmenting thread, so with several threads it can exceed `seconds`: what the peer
  /// harness reports as `seg_s`.
  public var segmentSeconds: Double
  /// Wall time after the last document: sorting, merging and encoding the postings, and writing
  /// and syncing the file (the build's serial tail).
  public var finishSeconds: Double = 0
  public var indexBytes: Int
  /// Sorted runs the builder spilled to stay within the memory budget (0: it fit in memory).
  public var spilledRuns: Int = 0

  /// Input megabytes (10^6 bytes of field text) per second of the whole build.
  public var megabytesPerSecond: Double { seconds > 0 ? Double(inputBytes) / 1e6 / seconds : 0 }
  public var documentsPerSecond: Double { seconds > 0 ? Double(documents) / seconds : 0 }
}
