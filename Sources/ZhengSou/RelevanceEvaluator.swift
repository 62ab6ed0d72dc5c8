import Foundation
import ZhengSouQuery

/// How `RelevanceEvaluator` runs the queries.
public struct EvaluationOptions: Sendable, Equatable {
  /// Ranking parameters (`limit` is ignored: `depth` documents are retrieved).
  public var search: SearchOptions
  /// Documents retrieved per query (Recall@100 counts the top min(depth, 100)).
  public var depth: Int
  /// Worker threads, each with its own `SearchIndex` over the same (shared, mapped) file.
  public var threads: Int

  public init(search: SearchOptions = .init(), depth: Int = 100, threads: Int = 1) {
    self.search = search
    self.depth = depth
    self.threads = threads
  }
}

/// Runs a query set against an index and scores the rankings with TREC qrels: MRR@10, nDCG@10,
/// Recall@10 and Recall@100 (the maths is `RelevanceMetrics`).
///
/// Queries are split over `threads` workers, each with its own `SearchIndex` (a segmenter is not
/// thread-safe); results are put back in query-file order, so the report and the run are the same
/// for every thread count.
public final class RelevanceEvaluator {
  public let options: EvaluationOptions
  private let indexes: [SearchIndex]

  /// Opens the index once per thread (errors as `SearchIndex.init` reports them).
  public init(indexPath: String, options: EvaluationOptions = .init()) throws {
    precondition(options.depth >= 1 && options.threads >= 1, "depth and threads must be at least 1")
    self.options = options
    indexes = try (0..<options.threads).map { _ in try SearchIndex(path: indexPath) }
  }

  public func evaluate(_ queries: [EvaluationQuery], qrels: TRECQrels) throws -> EvaluationReport {
    let started = monotonicSeconds()
    var search = options.search
    search.limit = options.depth
    let workers = min(indexes.count, max(queries.count, 1))
    let results = ResultSlots(count: queries.count)
    let shared = UncheckedBox((indexes: indexes, queries: queries, qrels: qrels, search: search))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let (indexes, queries, qrels, search) = shared.value
      let index = indexes[worker]
      var ids: [Int: String] = [:]  // ordinal → stored id, per worker
      // Interleaved split: neighbouring queries (often alike in cost) go to different workers.
      for i in stride(from: worker, to: queries.count, by: workers) {
        do {
          results.set(i, .success(try Self.evaluate(queries[i], index: index, qrels: qrels, options: search, ids: &ids)))
        } catch {
          results.set(i, .failure(error))
          return
        }
      }
    }
    var evaluations: [QueryEvaluation] = []
    evaluations.reserveCapacity(queries.count)
    for (i, r) in results.take().enumerated() {
      guard let r else { throw ZhengSouError.setup("internal error: query \(i + 1) was not evaluated") }
      evaluations.append(try r.get())
    }
    let asked = Set(queries.map(\.qid))
    return EvaluationReport(
      queries: evaluations, depth: options.depth, threads: workers, seconds: monotonicSeconds() - started,
      qrelsWithoutQuery: qrels.judgments.keys.count(where: { !asked.contains($0) }))
  }

  /// Runs and scores one query. A query that does not parse finds nothing; index errors propagate.
  static func evaluate(
    _ query: EvaluationQuery, index: SearchIndex, qrels: TRECQrels, options: SearchOptions, ids: inout [Int: String]
  ) throws -> QueryEvaluation {
    var hits: [SearchHit] = []
    var unparsable = false
    do {
      hits = try index.searchOrdinals(query.text, options: options).hits
    } catch ZhengSouError.query {
      unparsable = true
    }
    var ranked: [RankedDocument] = []
    ranked.reserveCapacity(hits.count)
    for hit in hits {
      let id: String
      if let known = ids[hit.document] {
        id = known
      } else {
        do { id = try index.reader.documentID(hit.document) } catch { throw ZhengSouError.index(error) }
        ids[hit.document] = id
      }
      ranked.append(RankedDocument(id: id, score: hit.score))
    }
    let judged = qrels.judgments[query.qid] ?? [:]
    // A document id is credited once, at its best rank (an index may hold two documents with one id).
    var credited = Set<String>()
    let grades = ranked.map { d -> Int in
      guard credited.insert(d.id).inserted else { return 0 }
      return judged[d.id] ?? 0
    }
    let relevant = judged.values.count(where: { $0 > 0 })
    return QueryEvaluation(
      qid: query.qid, text: query.text, ranked: ranked, unparsable: unparsable, relevantCount: relevant,
      firstRelevantRank: RelevanceMetrics.firstRelevantRank(grades),
      reciprocalRank: RelevanceMetrics.reciprocalRank(grades, cutoff: 10),
      ndcg10: RelevanceMetrics.ndcg(grades, judged: Array(judged.values), cutoff: 10),
      recall10: RelevanceMetrics.recall(grades, relevantCount: relevant, cutoff: 10),
      recall100: RelevanceMetrics.recall(grades, relevantCount: relevant, cutoff: 100))
  }
}

/// Per-query result slots the workers fill; each index is written by exactly one worker.
private final class ResultSlots: @unchecked Sendable {
  private var slots: [Result<QueryEvaluation, any Error>?]
  private let lock = NSLock()

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ i: Int, _ value: Result<QueryEvaluation, any Error>) {
    lock.lock()
    slots[i] = value
    lock.unlock()
  }

  /// Every slot, after the workers are done. A worker that failed leaves later slots empty: the
  /// first failure (in query order) is then reached before any empty slot.
  func take() -> [Result<QueryEvaluation, any Error>?] {
    lock.lock()
    defer { lock.unlock() }
    return slots
  }
}

/// Hands non-Sendable values to the workers; each worker uses only its own `SearchIndex`, and the
/// rest is read-only.
private struct UncheckedBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
