/// One retrieved document of an evaluated query: its stored id and score.
public struct RankedDocument: Sendable, Equatable {
  public var id: String
  public var score: Double

  public init(id: String, score: Double) {
    self.id = id
    self.score = score
  }
}

/// How one query fared.
public struct QueryEvaluation: Sendable, Equatable {
  public var qid: String
  public var text: String
  /// The top `depth` documents, best first (empty when the query matched nothing or is unparsable).
  public var ranked: [RankedDocument]
  /// The query text is not a valid query (e.g. only punctuation): it is scored as finding nothing.
  public var unparsable: Bool
  /// Documents the qrels judge relevant to this query. 0: the query is left out of the averages.
  public var relevantCount: Int
  /// 1-based rank of the first relevant document within `ranked`, nil if none.
  public var firstRelevantRank: Int?
  public var reciprocalRank: Double
  public var ndcg10: Double
  public var recall10: Double
  public var recall100: Double

  public var hasQrels: Bool { relevantCount > 0 }
}

/// The outcome of evaluating a query set: per-query figures in query-file order and the averages.
public struct EvaluationReport: Sendable {
  /// Every query of the queries file, in file order (independent of the thread count).
  public var queries: [QueryEvaluation]
  public var depth: Int
  public var threads: Int
  /// Wall-clock time of running and scoring the queries (not of opening the index).
  public var seconds: Double
  /// Query ids the qrels judge that are not in the queries file (they are ignored).
  public var qrelsWithoutQuery: Int

  public init(queries: [QueryEvaluation], depth: Int, threads: Int, seconds: Double, qrelsWithoutQuery: Int) {
    self.queries = queries
    self.depth = depth
    self.threads = threads
    self.seconds = seconds
    self.qrelsWithoutQuery = qrelsWithoutQuery
  }

  public var queryCount: Int { queries.count }
  /// Queries without any relevant document in the qrels (not averaged).
  public var withoutQrels: Int { queries.count(where: { !$0.hasQrels }) }
  /// Queries whose text could not be parsed (scored as finding nothing).
  public var unparsable: Int { queries.count(where: \.unparsable) }
  /// Queries the averages are taken over.
  public var evaluated: Int { queries.count(where: \.hasQrels) }

  public var mrr10: Double { mean(\.reciprocalRank) }
  public var ndcg10: Double { mean(\.ndcg10) }
  public var recall10: Double { mean(\.recall10) }
  public var recall100: Double { mean(\.recall100) }

  private func mean(_ value: KeyPath<QueryEvaluation, Double>) -> Double {
    var sum = 0.0, n = 0
    for q in queries where q.hasQrels {
      sum += q[keyPath: value]
      n += 1
    }
    return n > 0 ? sum / Double(n) : 0
  }

  /// The ranking in TREC run format: `qid Q0 docid rank score tag`, one line per retrieved
  /// document, queries in file order. Scores are printed in full (shortest round-trip form).
  public func trecRun(tag: String = "zhengsou") -> String {
    var out = ""
    for q in queries {
      for (i, d) in q.ranked.enumerated() {
        out += "\(q.qid) Q0 \(d.id) \(i + 1) \(d.score) \(tag)\n"
      }
    }
    return out
  }
}
