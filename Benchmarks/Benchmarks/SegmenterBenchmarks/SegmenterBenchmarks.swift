import Benchmark
import Foundation
import ZhengSou

// Segmenter throughput over the text of Corpus/ (the repository's bundled documents).
//
// One iteration segments every document's title and body (186 chunks, 4.7 MB of UTF-8) into one
// `TokenBuffer` reused across chunks and iterations, as the indexer's workers reuse theirs.
// `throughput` counts corpus passes per second; "input kB/s" is the same figure in kilobytes
// (10^3 bytes) of input per second. `mallocCountTotal` is per pass: divide by the chunk count for
// allocations per call.

/// Corpus/, found from this file's path (Benchmarks/Benchmarks/<Target>/<File>.swift), or
/// `$ZHENGSOU_CORPUS`.
func corpusDirectory() -> String {
  if let dir = ProcessInfo.processInfo.environment["ZHENGSOU_CORPUS"], !dir.isEmpty { return dir }
  var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
  parts.removeLast(4)
  return parts.joined(separator: "/") + "/Corpus"
}

final class SegmenterState {
  let segmenter: Segmenter
  let chunks: [[UInt8]]
  let bytes: Int
  /// Reused across iterations, so after the warm-up it has grown to the largest chunk's tokens and
  /// the allocation count is the segmenter's own.
  var buffer = TokenBuffer()

  init(segmenter: Segmenter, chunks: [[UInt8]]) {
    self.segmenter = segmenter
    self.chunks = chunks
    bytes = chunks.reduce(0) { $0 + $1.count }
  }
}

let kilobytesPerSecond = BenchmarkMetric.custom("input kB/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration.timeUnits = .milliseconds

  Benchmark(
    "Segmenter.segment(_:into:) Corpus",
    configuration: .init(
      metrics: [.wallClock, .throughput, .mallocCountTotal, kilobytesPerSecond],
      units: [kilobytesPerSecond: .count], warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 30)
  ) { (benchmark: Benchmark, state: SegmenterState) in
    var tokens = 0
    let started = monotonicSeconds()
    for chunk in state.chunks {
      state.buffer.removeAll()
      chunk.withUnsafeBytes { state.segmenter.segment($0, into: &state.buffer) }
      tokens &+= state.buffer.count
    }
    let seconds = monotonicSeconds() - started
    blackHole(tokens)
    benchmark.measurement(kilobytesPerSecond, Int(Double(state.bytes) / 1e3 / seconds))
  } setup: {
    let dir = corpusDirectory()
    var chunks: [[UInt8]] = []
    for file in ["reports.jsonl", "seeds.jsonl"] { chunks += try SegmenterBenchmark.loadChunks(path: "\(dir)/\(file)") }
    let state = SegmenterState(segmenter: try Segmenter(), chunks: chunks)
    FileHandle.standardError.write(Data("[setup] \(state.chunks.count) chunks, \(state.bytes) bytes of UTF-8\n".utf8))
    return state
  }
}
