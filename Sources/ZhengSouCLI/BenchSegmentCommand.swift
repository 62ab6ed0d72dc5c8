import ArgumentParser
import ZhengSou

struct BenchSegmentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "segment",
    abstract: "Segmentation speed: the segmenter's MB/s beside raw ICU word breaking on the same text.",
    discussion: """
      FILE is UTF-8 text, segmented line by line, or a .jsonl corpus (each document's title and \
      body). Both run on one thread over all of it, --runs times after one untimed run; the figures \
      are medians. MB means 10^6 bytes of input UTF-8.
      Exit status: 0 measured, 2 unreadable, empty or invalid input (named with its byte offset).
      """)

  @Argument(help: "Text file (one chunk per line) or .jsonl corpus.")
  var file: String

  @Option(help: "Measured runs of each.")
  var runs: Int = 5

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func validate() throws {
    guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
  }

  func run() throws {
    let chunks: [[UInt8]]
    do { chunks = try SegmenterBenchmark.loadChunks(path: file) } catch let p as IngestionProblem {
      throw CLIExit(code: 2, message: "zhengsou: \(p)")
    }
    let r = try SegmenterBenchmark.run(chunks: chunks, runs: runs)
    if json {
      print(
        "{\"file\":\(Formatting.json(file)),\"bytes\":\(r.bytes),\"chunks\":\(r.chunks),\"runs\":\(runs),"
          + "\"segmenter_s\":\(r.segmenterMedian),\"segmenter_mb_s\":\(r.segmenterMegabytesPerSecond),\"tokens\":\(r.tokens),"
          + "\"icu_s\":\(r.icuMedian),\"icu_mb_s\":\(r.icuMegabytesPerSecond),\"boundaries\":\(r.boundaries),\"ratio\":\(r.ratio)}")
      return
    }
    print("\(file): \(Formatting.megabytes(r.bytes)) in \(Formatting.grouped(r.chunks)) chunks; median of \(runs) run\(runs == 1 ? "" : "s"), one thread")
    print("segmenter  \(String(fixed: r.segmenterMegabytesPerSecond, digits: 2)) MB/s  (\(String(fixed: r.segmenterMedian, digits: 3)) s, \(Formatting.grouped(r.tokens)) tokens)")
    print("raw ICU    \(String(fixed: r.icuMegabytesPerSecond, digits: 2)) MB/s  (\(String(fixed: r.icuMedian, digits: 3)) s, \(Formatting.grouped(r.boundaries)) boundaries)")
    print("segmenter / raw ICU  \(String(fixed: r.ratio, digits: 2))×")
  }
}
