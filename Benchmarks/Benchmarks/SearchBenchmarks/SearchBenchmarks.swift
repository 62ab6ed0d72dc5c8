import Benchmark
import Foundation
import ZhengSou

// Postings decode, leapfrog intersection and top-k scoring on an index of Corpus/.
//
// Setup (not measured) builds one index in a temporary directory through the facade
// (`IndexingPipeline.build`, default fields title + body + lead), opens it as a `SearchIndex` and
// deletes the directory (the file stays mapped). Corpus/ has only 93 documents, so every postings
// list would fit one partial, varint-coded block and the bit-packed blocks of 128 and their skip
// entries would never run; the index therefore holds `copies` copies of Corpus/ (16 by default,
// 1,488 documents; `ZHENGSOU_BENCH_COPIES=1` gives Corpus/ as it is), each copy's ids prefixed.
//
// Every benchmark tracks `mallocCountTotal` per iteration. Nothing may allocate per posting: a
// `PostingsCursor` makes 3 allocations when created (the object and its doc and tf buffers of one
// block each), and none while it decodes.

/// Corpus/, found from this file's path (Benchmarks/Benchmarks/<Target>/<File>.swift), or
/// `$ZHENGSOU_CORPUS`.
func corpusDirectory() -> String {
  if let dir = ProcessInfo.processInfo.environment["ZHENGSOU_CORPUS"], !dir.isEmpty { return dir }
  var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
  parts.removeLast(4)
  return parts.joined(separator: "/") + "/Corpus"
}

struct SetupError: Error, CustomStringConvertible {
  var description: String
}

/// Terms of the intersection benchmark (words of the body field, intersected within each group).
let intersectionGroups = [["经济", "改革"], ["人民", "民主", "法治"], ["科技", "创新", "人才"], ["农村", "土地", "制度"]]
/// Queries of the top-k benchmark: words, multi-word chunks, a phrase, numbers.
let topKQueries = [
  "经济发展", "共同富裕", "全面建成小康社会", "\"改革开放\"", "科技创新 人才", "乡村振兴战略",
  "生态文明建设", "人民代表大会制度", "国内生产总值 增长", "党的领导",
]
/// Conjunctions of required phrases (block-max AND): the intersection groups' words, each quoted,
/// and two of the top-10 queries with every word quoted.
let conjunctionQueries = intersectionGroups.map { $0.map { "\"\($0)\"" }.joined(separator: " ") } + [
  "\"科技创新\" \"人才\"", "\"国内生产总值\" \"增长\"",
]
/// Lists decoded per iteration of the decode benchmark: the body field's most frequent terms.
let decodedTermCount = 16

final class SearchState: @unchecked Sendable {
  let index: SearchIndex
  let documents: Int
  /// Decode: the lists, and the integers (doc ids + tfs) one pass decodes.
  let decodeInfos: [TermFieldInfo]
  let decodeIntegers: Int
  /// Intersection: each group's lists, rarest first, and the documents all groups match.
  let groups: [[TermFieldInfo]]
  let intersectionMatches: Int

  init() throws {
    let copies = Int(ProcessInfo.processInfo.environment["ZHENGSOU_BENCH_COPIES"] ?? "") ?? 16
    let fm = FileManager.default
    let dir = fm.temporaryDirectory.appendingPathComponent("zhengsou-bench-\(getpid())-\(UInt32.random(in: 0 ... .max))").path
    try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(atPath: dir) }
    // The corpus, `copies` times; copy c > 0 prefixes every id with "copy<c>-".
    var lines: [String] = []
    for file in ["reports.jsonl", "seeds.jsonl"] {
      let text = try String(contentsOfFile: "\(corpusDirectory())/\(file)", encoding: .utf8)
      lines += text.split(separator: "\n").map(String.init)
    }
    var out = ""
    for c in 0..<max(1, copies) {
      for line in lines {
        guard line.hasPrefix("{\"id\": \"") else { throw SetupError(description: "unexpected JSONL line: \(line.prefix(40))") }
        out += c == 0 ? line : "{\"id\": \"copy\(c)-" + line.dropFirst(8)
        out += "\n"
      }
    }
    let input = "\(dir)/corpus.jsonl", output = "\(dir)/index.zsx"
    try out.write(toFile: input, atomically: false, encoding: .utf8)
    let summary = try IndexingPipeline.build(paths: [input], output: output)
    index = try SearchIndex(path: output)
    documents = summary.documents
    let reader = index.reader
    guard let body = reader.fieldIndex("body") else { throw SetupError(description: "no body field") }

    var all: [(term: [UInt8], info: TermFieldInfo)] = []
    try reader.dictionary.forEachTerm { term, infos in
      if let info = infos[body] { all.append((Array(term), info)) }
      return true
    }
    all.sort { $0.info.docFrequency != $1.info.docFrequency ? $0.info.docFrequency > $1.info.docFrequency : $0.term.lexicographicallyPrecedes($1.term) }
    decodeInfos = all.prefix(decodedTermCount).map(\.info)
    decodeIntegers = decodeInfos.reduce(0) { $0 + 2 * $1.docFrequency }

    groups = try intersectionGroups.map { words in
      try words.map { w -> TermFieldInfo in
        // A two-character word is indexed as its bigram alone (segmenter option grams/2).
        guard let info = try reader.lookup(w)?[body] ?? reader.lookup([Segmenter.gramPrefix] + Array(w.utf8))?[body] else {
          throw SetupError(description: "\(w) is not a term of the body field")
        }
        return info
      }.sorted { $0.docFrequency < $1.docFrequency }
    }
    // The leapfrog must agree with plain set intersection.
    var expected = 0
    for g in groups {
      let sets = g.map { info -> Set<UInt32> in
        var s = Set<UInt32>()
        let c = reader.cursor(info)
        while c.doc != PostingsCursor.exhausted { s.insert(c.doc); c.next() }
        return s
      }
      expected += sets.dropFirst().reduce(sets[0]) { $0.intersection($1) }.count
    }
    intersectionMatches = Self.intersect(groups, reader: reader).matches
    guard intersectionMatches == expected else {
      throw SetupError(description: "leapfrog found \(intersectionMatches) documents, set intersection \(expected)")
    }

    let terms = all.prefix(decodedTermCount).map { t in t.term.first == Segmenter.gramPrefix ? "▪" + String(decoding: t.term.dropFirst(), as: UTF8.self) : String(decoding: t.term, as: UTF8.self) }
    FileHandle.standardError.write(Data("""
      [setup] \(summary.documents) documents (\(copies) × Corpus/), \(summary.inputBytes) bytes, index \(summary.indexBytes) bytes, built in \(String(format: "%.1f", summary.seconds)) s
      [setup] decode: \(decodeInfos.count) lists (▪ = gram) \(terms.joined(separator: " ")), df \(decodeInfos.map(\.docFrequency)), \(decodeIntegers) integers a pass
      [setup] intersection: \(zip(intersectionGroups, groups).map { "\($0.joined(separator: "∧")) df \($1.map(\.docFrequency))" }.joined(separator: "; ")), \(intersectionMatches) matches

      """.utf8))
  }

  /// Leapfrog AND of each group's cursors (rarest list leads): the number of documents matched
  /// in all groups, and a checksum of their ids.
  static func intersect(_ groups: [[TermFieldInfo]], reader: IndexReader) -> (matches: Int, checksum: UInt64) {
    let exhausted = PostingsCursor.exhausted
    var matches = 0
    var checksum: UInt64 = 0
    for g in groups {
      let cursors = g.map { reader.cursor($0) }
      let lead = cursors[0]
      var target = lead.doc
      search: while target != exhausted {
        var k = 1
        while k < cursors.count {
          let d = cursors[k].advance(to: target)
          if d == exhausted { break search }
          if d > target {
            target = lead.advance(to: d)
            if target == exhausted { break search }
            k = 1
          } else {
            k += 1
          }
        }
        matches += 1
        checksum &+= UInt64(target)
        target = lead.next()
      }
    }
    return (matches, checksum)
  }
}

nonisolated(unsafe) var sharedState: SearchState?

/// The index and the chosen lists, built once per process (each benchmark runs in its own process).
func searchState() throws -> SearchState {
  if let sharedState { return sharedState }
  let state = try SearchState()
  sharedState = state
  return state
}

let integersPerSecond = BenchmarkMetric.custom("decoded ints/s", polarity: .prefersLarger, useScalingFactor: false)
let queriesPerSecond = BenchmarkMetric.custom("queries/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration.timeUnits = .microseconds
  let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]

  Benchmark(
    "PostingsCursor.next() decode",
    configuration: .init(metrics: metrics + [integersPerSecond], warmupIterations: 10, maxDuration: .seconds(3), maxIterations: 100_000)
  ) { (benchmark: Benchmark, state: SearchState) in
    let reader = state.index.reader
    var sum: UInt64 = 0
    let started = monotonicSeconds()
    for info in state.decodeInfos {
      let cursor = reader.cursor(info)
      var doc = cursor.doc
      while doc != PostingsCursor.exhausted {
        sum &+= UInt64(doc) &+ UInt64(cursor.freq)
        doc = cursor.next()
      }
    }
    let seconds = monotonicSeconds() - started
    blackHole(sum)
    benchmark.measurement(integersPerSecond, Int(Double(state.decodeIntegers) / seconds))
  } setup: {
    try searchState()
  }

  Benchmark(
    "PostingsCursor.advance(to:) leapfrog AND",
    configuration: .init(metrics: metrics, warmupIterations: 10, maxDuration: .seconds(3), maxIterations: 100_000)
  ) { (benchmark: Benchmark, state: SearchState) in
    let found = SearchState.intersect(state.groups, reader: state.index.reader)
    blackHole(found.checksum)
    precondition(found.matches == state.intersectionMatches)
  } setup: {
    try searchState()
  }

  // Top-10 search, from each query string to the ranked ordinals: the OR-ed queries, then the
  // conjunctions of required phrases.
  for (name, queries) in [("SearchIndex.searchOrdinals top-10", topKQueries), ("SearchIndex.searchOrdinals top-10, required phrases", conjunctionQueries)] {
    Benchmark(
      name,
      configuration: .init(metrics: metrics + [queriesPerSecond], warmupIterations: 3, maxDuration: .seconds(5), maxIterations: 10_000)
    ) { (benchmark: Benchmark, state: SearchState) in
      var hits = 0
      let started = monotonicSeconds()
      for q in queries {
        hits += (try? state.index.searchOrdinals(q, options: SearchOptions(limit: 10)).hits.count) ?? 0
      }
      let seconds = monotonicSeconds() - started
      blackHole(hits)
      precondition(hits > 0)
      benchmark.measurement(queriesPerSecond, Int(Double(queries.count) / seconds))
    } setup: {
      try searchState()
    }
  }
}
