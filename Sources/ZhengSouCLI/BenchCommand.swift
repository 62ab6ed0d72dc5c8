import ArgumentParser
import ZhengSou

#if canImport(Glibc)
import Glibc
#endif

/// `zhengsou bench`: query latency (the default subcommand) and segmentation speed.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure query latency and throughput (bench query, the default) or segmentation speed (bench segment).",
    subcommands: [BenchQueryCommand.self, BenchSegmentCommand.self],
    defaultSubcommand: BenchQueryCommand.self)
}

struct BenchQueryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "query",
    abstract: "Time queries in process: p50/p95/p99/max latency and QPS, per query class and overall.",
    discussion: """
      Queries come from --queries (one per line; or JSONL lines {"query", "kind", "band"} as the peer \
      harness's gen_queries.py writes them, reported per kind/band), or are generated from the \
      index: --per-class queries of each class (1-, 2- and 3-word queries of rare, medium and \
      frequent words, and quoted phrases), reproducibly from --seed. Bands: rare df ≤ 0.1 % of the \
      documents, medium up to 5 %, frequent above.
      Each query is timed from its string to the top-k document ordinals (segmentation included), \
      after --warmup untimed passes. Percentiles are nearest-rank; QPS is queries per second of \
      query time; throughput is queries per second of wall time over all --threads.
      --results FILE writes one JSON line per query in input order, {"ids": [...], "ms": latency}: \
      the protocol of the peer harness's external engines (Benchmarks/zhengsou.json).
      Exit status: 0 measured, 2 usage errors, missing or empty query files, index errors.
      """)

  @Option(name: [.short, .customLong("index")], help: "Index file (default: the bundled Corpus, built on first use).")
  var index: String?

  @Option(help: "Query file: one query per line, or JSONL with query/kind/band (default: generate from the index).")
  var queries: String?

  @Option(help: "Generated queries per class (10 classes).")
  var perClass: Int = 100

  @Option(help: "Seed of the generated queries.")
  var seed: UInt64 = 42

  @Option(help: "Write the queries used (generated or read) as JSONL {qid, query, kind, band}: a query file for bench and the peer harness.")
  var saveQueries: String?

  @Flag(help: "Read quote characters as spaces: every query is OR-ed words, no required phrase (how the peer harness runs every engine).")
  var bagOfWords = false

  @Flag(help: "Quote every word (after reading quote characters as spaces): every query is a conjunction of required phrases, which measures block-max AND on the same queries.")
  var allRequired = false

  @Option(help: "Top-k documents per query.")
  var k: Int = 10

  @Option(help: "Untimed passes over all queries first.")
  var warmup: Int = 1

  @Option(name: .customLong("repeat"), help: "Timed passes over all queries.")
  var repetitions: Int = 1

  @Option(help: "Threads answering queries at once (throughput); 1 measures latency.")
  var threads: Int = 1

  @Option(help: "Write one JSON line per query, in input order: {\"ids\": [stored ids, best first], \"ms\": latency}.")
  var results: String?

  @Flag(help: "Print one JSON object with the figures instead of the table.")
  var json = false

  @OptionGroup(title: "Ranking")
  var ranking: RankingOptions

  func validate() throws {
    guard k >= 1 else { throw ValidationError("--k must be at least 1") }
    guard warmup >= 0 else { throw ValidationError("--warmup must be 0 or more") }
    guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    guard perClass >= 1 else { throw ValidationError("--per-class must be at least 1") }
  }

  func run() throws {
    let path = try index ?? SearchCommand.bundledIndexPath()
    let options = QueryBenchmarkOptions(search: ranking.searchOptions(limit: k), warmup: warmup, repetitions: repetitions, threads: threads)
    let bench = try QueryBenchmark(indexPath: path, options: options)
    var list: [BenchmarkQuery]
    if let queries {
      do { list = try BenchmarkQuery.load(path: queries) } catch { throw CLIExit(code: 2, message: "zhengsou: \(error)") }
    } else {
      list = try BenchmarkQueryGenerator(reader: bench.index.reader, segmenter: bench.index.segmenter).generate(perClass: perClass, seed: seed)
      guard !list.isEmpty else { throw CLIExit(code: 2, message: "zhengsou: \(path): no queries could be generated (no words of two or more Chinese characters)") }
    }
    if bagOfWords { list = list.map(\.bagOfWords) }
    if allRequired { list = list.map(\.allRequired) }
    if let saveQueries {
      let lines = list.enumerated().map { i, q in
        let parts = q.queryClass.split(separator: "/", maxSplits: 1).map(String.init)
        let band = parts.count > 1 ? ",\"band\":\(Formatting.json(parts[1]))" : ""
        return "{\"qid\":\"b\(String(repeating: "0", count: max(0, 5 - String(i).count)))\(i)\",\"query\":\(Formatting.json(q.text)),\"kind\":\(Formatting.json(parts[0]))\(band)}\n"
      }
      try write(lines.joined(), to: saveQueries, what: "the queries")
    }
    let report = try bench.run(list)
    if let results {
      var out = ""
      for (i, ordinals) in report.hits.enumerated() {
        let ids = try bench.documentIDs(ordinals).map { Formatting.json($0) }.joined(separator: ",")
        out += "{\"ids\":[\(ids)],\"ms\":\(report.medianMilliseconds(i))}\n"
      }
      try write(out, to: results, what: "the results")
    }
    let source = queries ?? "generated: \(perClass) per class, seed \(seed)"
    if json {
      print(Self.json(report, index: path, documents: bench.index.reader.documentCount, source: source))
    } else {
      print(Self.table(report, index: path, documents: bench.index.reader.documentCount, source: source))
    }
    if report.unparsable > 0 {
      Terminal.error("note: \(report.unparsable) quer\(report.unparsable == 1 ? "y does" : "ies do") not parse (timed, finding nothing)")
    }
  }

  /// Writes in place (open, truncate, write), not by renaming a temporary file over `path`: the
  /// target may be /dev/stdout or a pipe, which a rename would replace with a regular file.
  func write(_ text: String, to path: String, what: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw CLIExit(code: 2, message: "zhengsou: \(path): cannot write \(what) (\(String(cString: strerror(errno))))") }
    defer { close(fd) }
    var copy = text
    let ok = copy.withUTF8 { u -> Bool in
      var done = 0
      while done < u.count {
        let n = Glibc.write(fd, u.baseAddress! + done, u.count - done)
        if n <= 0 { return false }
        done += n
      }
      return true
    }
    guard ok else { throw CLIExit(code: 2, message: "zhengsou: \(path): cannot write \(what) (\(String(cString: strerror(errno))))") }
  }

  static func ms(_ v: Double) -> String { String(fixed: v, digits: 3) }

  static func table(_ r: QueryBenchmarkReport, index: String, documents: Int, source: String) -> String {
    let o = r.options
    var lines = [
      "index \(index): \(Formatting.grouped(documents)) documents; \(Formatting.grouped(r.queries.count)) queries (\(source))",
      "top \(o.search.limit), warm-up \(o.warmup), repeat \(o.repetitions), \(o.threads) thread\(o.threads == 1 ? "" : "s"); milliseconds, nearest-rank percentiles",
    ]
    func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
      let fill = String(repeating: " ", count: max(0, w - s.count))
      return left ? s + fill : fill + s
    }
    lines.append(pad("class", 16, left: true) + pad("queries", 8) + pad("p50", 10) + pad("p95", 10) + pad("p99", 10) + pad("max", 10) + pad("QPS", 10) + pad("0-hit", 7))
    func row(_ name: String, _ s: LatencySummary, _ zero: Int) -> String {
      pad(name, 16, left: true) + pad(Formatting.grouped(s.count / r.options.repetitions), 8) + pad(ms(s.p50), 10) + pad(ms(s.p95), 10) + pad(ms(s.p99), 10)
        + pad(ms(s.max), 10) + pad(String(format1: s.queriesPerSecond), 10) + pad(String(zero), 7)
    }
    let classes = r.byClass
    if classes.count > 1 {  // generated: in generation order; a file's: as first met
      for c in classes { lines.append(row(c.queryClass, c.summary, c.zeroHit)) }
    }
    lines.append(row("all", r.overall, r.zeroHit))
    lines.append("throughput \(String(format1: r.throughput)) queries/s (\(String(fixed: r.wallSeconds, digits: 2)) s wall for \(Formatting.grouped(r.queries.count * o.repetitions)) queries)")
    return lines.joined(separator: "\n")
  }

  static func json(_ s: LatencySummary) -> String {
    "{\"samples\":\(s.count),\"p50_ms\":\(s.p50),\"p95_ms\":\(s.p95),\"p99_ms\":\(s.p99),\"max_ms\":\(s.max),\"mean_ms\":\(s.mean),\"qps\":\(s.queriesPerSecond)}"
  }

  static func json(_ r: QueryBenchmarkReport, index: String, documents: Int, source: String) -> String {
    let o = r.options
    let classes = r.byClass.map { c in
      "\(Formatting.json(c.queryClass)):" + json(c.summary).dropLast() + ",\"zero_hit\":\(c.zeroHit)}"
    }
    return "{\"index\":\(Formatting.json(index)),\"documents\":\(documents),\"queries\":\(r.queries.count),\"source\":\(Formatting.json(source)),"
      + "\"k\":\(o.search.limit),\"warmup\":\(o.warmup),\"repeat\":\(o.repetitions),\"threads\":\(o.threads),"
      + "\"unparsable\":\(r.unparsable),\"zero_hit\":\(r.zeroHit),\"wall_s\":\(r.wallSeconds),\"throughput_qps\":\(r.throughput),"
      + "\"percentiles\":\"nearest-rank\",\"overall\":\(json(r.overall)),\"classes\":{\(classes.joined(separator: ","))}}"
  }
}
