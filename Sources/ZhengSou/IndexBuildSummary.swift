/// What a build did: counts, sizes and throughput, for the CLI summary and benchmarks.
public struct IndexBuildSummary: Sendable {
  public var path: String
  public var documents: Int
  /// Input problems (skipped files and lines).
  public var problems: Int
  public var tokens: UInt64
  /// UTF-8 bytes of the indexed fields' text.
  public var inputBytes: Int
  public var seconds: Double
  public var indexBytes: Int

  public var megabytesPerSecond: Double { seconds > 0 ? Double(inputBytes) / 1e6 / seconds : 0 }
}
