/// Latency percentiles and rate of a set of timed queries, in milliseconds.
///
/// Percentiles use the nearest-rank method: the p-th percentile of n sorted values is the value at
/// rank ⌈p·n/100⌉ (1-based), so it is always a latency that was actually measured and p100 is
/// the maximum. (The peer harness interpolates between ranks; on a few hundred queries the two
/// differ by less than the noise of these machines.)
public struct LatencySummary: Sendable, Equatable {
  public var count: Int
  public var p50: Double
  public var p95: Double
  public var p99: Double
  public var max: Double
  public var mean: Double
  /// Σ latency, in milliseconds.
  public var total: Double

  /// Queries per second of query time, n / Σ latency: the rate of one thread that does nothing
  /// else (the peer harness's QPS). With several threads, `QueryBenchmarkReport.throughput` is
  /// the rate over wall time.
  public var queriesPerSecond: Double { total > 0 ? Double(count) / (total / 1000) : 0 }

  /// Summarizes `milliseconds` (any order; empty gives zeros).
  public init(milliseconds: [Double]) {
    let sorted = milliseconds.sorted()
    count = sorted.count
    total = sorted.reduce(0, +)
    mean = sorted.isEmpty ? 0 : total / Double(sorted.count)
    p50 = Self.percentile(sorted, 50)
    p95 = Self.percentile(sorted, 95)
    p99 = Self.percentile(sorted, 99)
    max = sorted.last ?? 0
  }

  /// The nearest-rank percentile `p` (0…100) of ascending `sorted` values (0 when empty).
  public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    // p·n first: exact for integer p, so 95·100/100 is rank 95, not 96 through rounding.
    let rank = Int((p * Double(sorted.count) / 100).rounded(.up))
    return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
  }
}
