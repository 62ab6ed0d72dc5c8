import Foundation
import ZhengSouIndex
import ZhengSouQuery

/// How `QueryBenchmark` runs a query set.
public struct QueryBenchmarkOptions: Sendable, Equatable {
  /// Ranking; `limit` is the k of top-k.
  public var search: SearchOptions
  /// Untimed passes over all queries before the timed ones (page cache, branch predictors, lazily
  /// built tables), so the figures describe a warm engine, as the peers are measured.
  public var warmup: Int
  /// Timed passes over all queries; every pass's latencies go into the summaries.
  public var repetitions: Int
  /// Threads answering queries at once, each with its own `SearchIndex` over the one mapped file.
  /// 1 (the default) measures latency; more measure throughput (`QueryBenchmarkReport.throughput`).
  public var threads: Int

  public init(search: SearchOptions = .init(), warmup: Int = 1, repetitions: Int = 1, threads: Int = 1) {
    self.search = search
    self.warmup = warmup
    self.repetitions = repetitions
    self.threads = threads
  }
}

/// What `QueryBenchmark.run` measured.
public struct QueryBenchmarkReport: Sendable {
  public var queries: [BenchmarkQuery]
  /// Per query, in input order: the top-k document ordinals (best first; the same in every pass)
  /// and its latency in each timed pass, in milliseconds.
  public var hits: [[Int]]
  public var milliseconds: [[Double]]
  /// Queries that did not parse (only punctuation, an unclosed quote): timed, finding nothing.
  public var unparsable: Int
  public var options: QueryBenchmarkOptions
  /// Wall time of the timed passes, in seconds.
  public var wallSeconds: Double

  /// Every timed latency.
  public var overall: LatencySummary { LatencySummary(milliseconds: milliseconds.flatMap { $0 }) }

  /// Per class, in order of first appearance.
  public var byClass: [(queryClass: String, summary: LatencySummary, zeroHit: Int)] {
    var order: [String] = []
    var times: [String: [Double]] = [:]
    var zero: [String: Int] = [:]
    for (i, q) in queries.enumerated() {
      if times[q.queryClass] == nil { order.append(q.queryClass) }
      times[q.queryClass, default: []] += milliseconds[i]
      zero[q.queryClass, default: 0] += hits[i].isEmpty ? 1 : 0
    }
    return order.map { ($0, LatencySummary(milliseconds: times[$0]!), zero[$0]!) }
  }

  /// Queries that found nothing.
  public var zeroHit: Int { hits.count(where: \.isEmpty) }

  /// Queries answered per second of wall time over the timed passes, all threads together.
  public var throughput: Double { wallSeconds > 0 ? Double(queries.count * options.repetitions) / wallSeconds : 0 }

  /// A query's latency for a results file: the median of its timed passes (the only one by default).
  public func medianMilliseconds(_ i: Int) -> Double {
    let sorted = milliseconds[i].sorted()
    return sorted.isEmpty ? 0 : sorted[(sorted.count - 1) / 2]
  }
}

/// Times queries in process, the way the peer harness times the Python engines: from the query
/// string to the top-k document ordinals (segmentation, parsing and search; no stored fields, no
/// output), one query at a time per thread, after untimed warm-up passes.
///
/// Threads take the next query from a shared counter, so a slow query does not leave a thread
/// idle. Each thread has its own `SearchIndex` (a segmenter is not thread-safe) over the same
/// mapped file. The clock is `CLOCK_MONOTONIC` (`monotonicSeconds`).
public final class QueryBenchmark {
  public let options: QueryBenchmarkOptions
  private let indexes: [SearchIndex]

  /// Opens the index once per thread (errors as `SearchIndex.init` reports them).
  public init(indexPath: String, options: QueryBenchmarkOptions = .init()) throws {
    precondition(options.threads >= 1 && options.repetitions >= 1 && options.warmup >= 0 && options.search.limit >= 1)
    self.options = options
    indexes = try (0..<options.threads).map { _ in try SearchIndex(path: indexPath) }
  }

  /// The index of the first thread (for stored ids and the document count).
  public var index: SearchIndex { indexes[0] }

  public func run(_ queries: [BenchmarkQuery]) throws -> QueryBenchmarkReport {
    let n = queries.count
    let texts = queries.map(\.text)
    let latencies = SharedSlots<Double>(count: n * options.repetitions, initial: 0)
    let hits = SharedSlots<[Int]>(count: n, initial: [])
    let flags = SharedSlots<Bool>(count: n, initial: false)
    for _ in 0..<options.warmup {
      try pass(texts) { _, _, _, _ in }
    }
    var wall = 0.0
    for r in 0..<options.repetitions {
      let started = monotonicSeconds()
      try pass(texts) { i, ms, found, unparsable in
        latencies[r * n + i] = ms
        if r == 0 {
          hits[i] = found
          flags[i] = unparsable
        }
      }
      wall += monotonicSeconds() - started
    }
    let perQuery = (0..<n).map { i in (0..<options.repetitions).map { latencies[$0 * n + i] } }
    return QueryBenchmarkReport(
      queries: queries, hits: hits.values, milliseconds: perQuery, unparsable: flags.values.count(where: { $0 }),
      options: options, wallSeconds: wall)
  }

  /// Stored ids of document ordinals, best first (outside the timed span).
  public func documentIDs(_ ordinals: [Int]) throws -> [String] {
    var ids: [String] = []
    for d in ordinals {
      do { ids.append(try index.reader.documentID(d)) } catch { throw ZhengSouError.index(error) }
    }
    return ids
  }

  /// One pass over every query on `options.threads` threads; `record(i, ms, ordinals, unparsable)`
  /// is called once per query, from the thread that ran it (each `i` once, so slots need no lock).
  private func pass(_ texts: [String], record: @escaping (Int, Double, [Int], Bool) -> Void) throws {
    let search = options.search
    let next = QueryCounter()
    let failure = FirstFailure()
    let work = UncheckedSendable { (index: SearchIndex) in
      while failure.error == nil, let i = next.take(below: texts.count) {
        var found: [Int] = []
        var unparsable = false
        let t0 = monotonicSeconds()
        do {
          found = try index.searchOrdinals(texts[i], options: search).hits.map(\.document)
        } catch ZhengSouError.query {
          unparsable = true
        } catch {
          failure.set(error)
          return
        }
        let ms = (monotonicSeconds() - t0) * 1000
        record(i, ms, found, unparsable)
      }
    }
    if indexes.count == 1 {
      work.value(indexes[0])
    } else {
      let done = DispatchGroup()
      for index in indexes {
        done.enter()
        let box = UncheckedSendable(index)
        let thread = Thread {
          work.value(box.value)
          done.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
      }
      done.wait()
    }
    if let error = failure.error { throw error }
  }
}

/// The next query index for whichever thread asks first.
private final class QueryCounter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()

  func take(below limit: Int) -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard value < limit else { return nil }
    value += 1
    return value - 1
  }
}

/// The first error any thread met; the others stop at their next query.
private final class FirstFailure: @unchecked Sendable {
  private var stored: (any Error)?
  private let lock = NSLock()

  var error: (any Error)? {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }

  func set(_ e: any Error) {
    lock.lock()
    if stored == nil { stored = e }
    lock.unlock()
  }
}

/// Fixed slots that threads fill; each slot is written by one thread, and read after they joined.
private final class SharedSlots<T>: @unchecked Sendable {
  private let base: UnsafeMutableBufferPointer<T>

  init(count: Int, initial: T) {
    base = .allocate(capacity: count)
    base.initialize(repeating: initial)
  }

  deinit {
    base.deinitialize()
    base.deallocate()
  }

  subscript(i: Int) -> T {
    get { base[i] }
    set { base[i] = newValue }
  }

  var values: [T] { Array(base) }
}

/// Hands a value that is not Sendable to the worker threads: each uses only its own `SearchIndex`,
/// and the rest is read-only or synchronized.
private struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
