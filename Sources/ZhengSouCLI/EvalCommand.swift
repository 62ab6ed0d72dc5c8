import ArgumentParser
import Foundation
import ZhengSou
import ZhengSouQuery
import ZhengSouRanking

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Measure ranking quality: run a query set against an index and score it with TREC qrels.",
    discussion: """
      --queries is a TSV file, one `qid<TAB>text` per line; --qrels is TREC relevance judgments, \
      `qid 0 docid relevance` per line (docid = the stored document id, relevance > 0 = relevant).
      Every query retrieves the top --depth documents (default 100); the figures are MRR@10, \
      nDCG@10 (gain 2^rel − 1), Recall@10 and Recall@100, averaged over the queries that have a \
      relevant document in the qrels. Queries that fail to parse count as finding nothing.
      The output does not depend on --threads.
      Exit status: 0 evaluated, 2 usage errors, missing or malformed files, index errors.
      """)

  @Option(name: [.short, .customLong("index")], help: "Index file to search (default: the bundled Corpus, built on first use).")
  var index: String?

  @Option(help: "Queries: a TSV file of qid<TAB>text lines.")
  var queries: String

  @Option(help: "Relevance judgments: a TREC qrels file (qid 0 docid relevance).")
  var qrels: String

  @Option(help: "Worker threads, each with its own copy of the index's searcher.")
  var threads: Int = 1

  @Option(name: .customLong("run"), help: "Write the ranking to this file in TREC run format (qid Q0 docid rank score zhengsou).")
  var runFile: String?

  @Flag(help: "Print one line per query: qid, rank of the first relevant document (or -), RR@10, R@100, query text.")
  var perQuery = false

  @Flag(help: "Print one JSON object with the figures (and, with --per-query, every query's).")
  var json = false

  @Option(help: "Documents retrieved per query.")
  var depth: Int = 100

  @OptionGroup(title: "Ranking")
  var ranking: RankingOptions

  func validate() throws {
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    guard depth >= 1 else { throw ValidationError("--depth must be at least 1") }
  }

  func run() throws {
    let queryList: [EvaluationQuery]
    let judgments: TRECQrels
    do {
      queryList = try EvaluationQuery.load(path: queries)
      judgments = try TRECQrels.load(path: qrels)
    } catch {
      throw CLIExit(code: 2, message: "zhengsou: \(error)")
    }
    let path = try index ?? SearchCommand.bundledIndexPath()
    let search = ranking.searchOptions(limit: depth)
    let evaluator = try RelevanceEvaluator(indexPath: path, options: EvaluationOptions(search: search, depth: depth, threads: threads))
    let report = try evaluator.evaluate(queryList, qrels: judgments)

    if let runFile {
      do {
        // Atomic (temporary file + rename) only for a regular file or a new path: renaming over
        // /dev/stdout or a FIFO would replace the device link instead of writing to it.
        let target = URL(fileURLWithPath: runFile).resolvingSymlinksInPath()
        let type = (try? FileManager.default.attributesOfItem(atPath: target.path))?[.type] as? FileAttributeType
        let atomic = type == nil || type == .typeRegular
        try Data(report.trecRun().utf8).write(to: atomic ? URL(fileURLWithPath: runFile) : target, options: atomic ? .atomic : [])
      } catch {
        throw CLIExit(code: 2, message: "zhengsou: \(runFile): cannot write the run (\(error.localizedDescription))")
      }
    }
    if json {
      print(Self.json(report, perQuery: perQuery))
    } else {
      if perQuery {
        for q in report.queries { print(Self.line(q)) }
      }
      print(Self.summary(report))
    }
    Self.notes(report)
  }

  /// `queries 2000 (0 without qrels, 0 unparsable)   MRR@10 0.6841   nDCG@10 …   (12.3 s, 2 threads)`
  static func summary(_ r: EvaluationReport) -> String {
    let f = { (v: Double) in String(fixed: v, digits: 4) }
    return "queries \(r.queryCount) (\(r.withoutQrels) without qrels, \(r.unparsable) unparsable)   "
      + "MRR@10 \(f(r.mrr10))   nDCG@10 \(f(r.ndcg10))   R@10 \(f(r.recall10))   R@100 \(f(r.recall100))   "
      + "(\(String(format1: r.seconds)) s, \(r.threads) thread\(r.threads == 1 ? "" : "s"))"
  }

  /// `qid<TAB>rank<TAB>RR@10<TAB>R@100<TAB>text`; rank is `-` when no relevant document was
  /// retrieved, and the figures are `n/a` for a query without qrels.
  static func line(_ q: QueryEvaluation) -> String {
    let rank = q.firstRelevantRank.map(String.init) ?? "-"
    let rr = q.hasQrels ? String(fixed: q.reciprocalRank, digits: 4) : "n/a"
    let r100 = q.hasQrels ? String(fixed: q.recall100, digits: 4) : "n/a"
    return [q.qid, rank, rr, r100, q.text].joined(separator: "\t")
  }

  static func json(_ r: EvaluationReport, perQuery: Bool) -> String {
    var out = "{\"queries\":\(r.queryCount),\"evaluated\":\(r.evaluated),\"without_qrels\":\(r.withoutQrels),\"unparsable\":\(r.unparsable),"
      + "\"mrr@10\":\(r.mrr10),\"ndcg@10\":\(r.ndcg10),\"recall@10\":\(r.recall10),\"recall@100\":\(r.recall100),"
      + "\"depth\":\(r.depth),\"threads\":\(r.threads),\"seconds\":\(r.seconds)"
    if perQuery {
      let items = r.queries.map { q in
        "{\"qid\":\(Formatting.json(q.qid)),\"first_relevant_rank\":\(q.firstRelevantRank.map(String.init) ?? "null"),"
          + "\"relevant\":\(q.relevantCount),\"unparsable\":\(q.unparsable),\"rr@10\":\(q.reciprocalRank),\"ndcg@10\":\(q.ndcg10),"
          + "\"recall@10\":\(q.recall10),\"recall@100\":\(q.recall100),\"retrieved\":\(q.ranked.count),\"text\":\(Formatting.json(q.text))}"
      }
      out += ",\"per_query\":[" + items.joined(separator: ",") + "]"
    }
    return out + "}"
  }

  /// Warnings on stderr about queries that were not scored normally.
  static func notes(_ r: EvaluationReport) {
    let unparsable = r.queries.filter(\.unparsable).map(\.qid)
    if !unparsable.isEmpty {
      Terminal.error("note: \(unparsable.count) unparsable quer\(unparsable.count == 1 ? "y" : "ies") scored as finding nothing: " + listed(unparsable))
    }
    if r.evaluated == 0 {
      Terminal.error("warning: no query has a relevant document in the qrels (do the qids match?)")
    } else if r.withoutQrels > 0 {
      Terminal.error("note: \(r.withoutQrels) quer\(r.withoutQrels == 1 ? "y has" : "ies have") no relevant document in the qrels and \(r.withoutQrels == 1 ? "is" : "are") not averaged: " + listed(r.queries.filter { !$0.hasQrels }.map(\.qid)))
    }
    if r.qrelsWithoutQuery > 0 {
      Terminal.error("note: the qrels judge \(r.qrelsWithoutQuery) qid\(r.qrelsWithoutQuery == 1 ? "" : "s") not in the queries file (ignored)")
    }
  }

  static func listed(_ ids: [String]) -> String {
    ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? ", …" : "")
  }
}
