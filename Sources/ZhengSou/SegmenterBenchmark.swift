import ZhengSouAnalysis

/// Segmentation speed beside its floor: the full `Segmenter` (normalization, Traditional →
/// Simplified, ICU word breaking, number merging, grams) against raw ICU word-break iteration
/// (`RawICUWordBreaker`, no normalization and no tokens) over the same text, on one thread.
///
/// The ratio says how much of the segmenter's time is ours rather than ICU's, which is what
/// segmenter work can still win. Each measured run goes over every chunk; the figures are the
/// medians of `runs` runs, after one untimed run of each (first-touch page faults, ICU's lazily
/// loaded dictionary). Runs alternate the two, so machine noise hits both alike.
public enum SegmenterBenchmark {
  public struct Result: Sendable {
    /// UTF-8 bytes of all chunks, and the number of chunks (documents or lines).
    public var bytes: Int
    public var chunks: Int
    /// Tokens the segmenter emits (words, alternatives and grams), boundaries ICU finds.
    public var tokens: Int
    public var boundaries: Int
    /// Seconds of each measured run.
    public var segmenterSeconds: [Double]
    public var icuSeconds: [Double]

    public var segmenterMedian: Double { Self.median(segmenterSeconds) }
    public var icuMedian: Double { Self.median(icuSeconds) }
    /// Megabytes (10^6 bytes of input UTF-8) per second, from the medians.
    public var segmenterMegabytesPerSecond: Double { segmenterMedian > 0 ? Double(bytes) / 1e6 / segmenterMedian : 0 }
    public var icuMegabytesPerSecond: Double { icuMedian > 0 ? Double(bytes) / 1e6 / icuMedian : 0 }
    /// Segmenter speed as a fraction of raw ICU's (1 would mean the segmenter adds nothing).
    public var ratio: Double { icuMegabytesPerSecond > 0 ? segmenterMegabytesPerSecond / icuMegabytesPerSecond : 0 }

    static func median(_ v: [Double]) -> Double {
      let s = v.sorted()
      guard !s.isEmpty else { return 0 }
      return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
  }

  /// The text to segment, as chunks: for a `.jsonl` file each document's title and body (as the
  /// indexer sees them), otherwise each non-empty line of a UTF-8 text file. Bad input is an
  /// `IngestionProblem` naming the file (and for invalid UTF-8 the byte offset); in JSONL, a bad
  /// line is an error too, not skipped, so the measured text is exactly the file's.
  public static func loadChunks(path: String) throws -> [[UInt8]] {
    if path.lowercased().hasSuffix(".jsonl") {
      var chunks: [[UInt8]] = []
      var firstProblem: IngestionProblem?
      DocumentLoader(paths: [path]).forEachDocument({ doc in
        for text in [doc.title, doc.body] where !text.isEmpty { chunks.append(Array(text.utf8)) }
      }, onProblem: { p in
        if case .duplicateID = p.reason { return }  // the text is still text
        if firstProblem == nil { firstProblem = p }
      })
      if let firstProblem { throw firstProblem }
      guard !chunks.isEmpty else { throw IngestionProblem(path: path, reason: .empty) }
      return chunks
    }
    let bytes: [UInt8]
    switch DocumentLoader.readWholeFile(path) {
    case .success(let b): bytes = b
    case .failure(let problem): throw problem
    }
    let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    if let bad = bytes.withUnsafeBufferPointer({ UTF8Validation.firstInvalidOffset(UnsafeBufferPointer(rebasing: $0[bom...])) }) {
      throw IngestionProblem(path: path, reason: .invalidUTF8(byteOffset: bom + bad))
    }
    let chunks = bytes[bom...].split(separator: 0x0A).map { line in Array(line.last == 0x0D ? line.dropLast() : line) }.filter { !$0.isEmpty }
    guard !chunks.isEmpty else { throw IngestionProblem(path: path, reason: .empty) }
    return chunks
  }

  /// Times both over every chunk, `runs` times each (≥ 1), after one untimed run of each.
  public static func run(chunks: [[UInt8]], runs: Int, segmenterOptions: SegmenterOptions = .init()) throws -> Result {
    let segmenter = try Segmenter(options: segmenterOptions)
    let raw = try RawICUWordBreaker()
    var buffer = TokenBuffer()
    var tokens = 0, boundaries = 0
    func segmentAll() -> Double {
      let t0 = monotonicSeconds()
      var count = 0
      for c in chunks {
        buffer.removeAll()
        c.withUnsafeBytes { segmenter.segment($0, into: &buffer) }
        count += buffer.count
      }
      let elapsed = monotonicSeconds() - t0
      tokens = count
      return elapsed
    }
    func breakAll() -> Double {
      let t0 = monotonicSeconds()
      var count = 0
      for c in chunks { count += c.withUnsafeBytes { raw.countBoundaries($0) } }
      let elapsed = monotonicSeconds() - t0
      boundaries = count
      return elapsed
    }
    _ = segmentAll()
    _ = breakAll()
    var seg: [Double] = [], icu: [Double] = []
    for r in 0..<max(1, runs) {
      if r % 2 == 0 {
        seg.append(segmentAll())
        icu.append(breakAll())
      } else {
        icu.append(breakAll())
        seg.append(segmentAll())
      }
    }
    return Result(
      bytes: chunks.reduce(0) { $0 + $1.count }, chunks: chunks.count, tokens: tokens, boundaries: boundaries,
      segmenterSeconds: seg, icuSeconds: icu)
  }
}
