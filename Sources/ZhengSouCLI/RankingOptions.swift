import ArgumentParser
import ZhengSou

/// The ranking knobs shared by `search` and `eval` (one definition, so both rank alike and tuning
/// with `eval` carries over to `search` unchanged).
struct RankingOptions: ParsableArguments {
  @Option(help: "BM25 k1 (term-frequency saturation).")
  var k1: Double = SearchOptions().bm25.k1

  @Option(help: "BM25 b (length normalization, 0…1).")
  var b: Double = SearchOptions().bm25.b

  @Option(help: "Weight of a title match relative to a body match.")
  var titleWeight: Double = SearchOptions().weight(of: "title")

  @Option(help: "Weight of a match in the body's lead (its first characters; long queries only).")
  var leadWeight: Double = SearchOptions().weight(of: "lead")

  @Option(help: "Weight of the CJK bigram evidence of unquoted text (0: words only).")
  var gramWeight: Double = SearchOptions().gramWeight

  @Option(help: "Extra score for a split chunk's words side by side (0: off).")
  var adjacencyBoost: Double = SearchOptions().adjacencyBoost

  @Option(help: "Skip optional terms found in more than this fraction of documents (1: keep all).")
  var maxDfRatio: Double = SearchOptions().maxDocumentFrequencyRatio

  @Flag(help: "Score every matching document instead of pruning (same results; slower; exact match count).")
  var exhaustive = false

  func validate() throws {
    guard k1 >= 0, b >= 0, b <= 1 else { throw ValidationError("--k1 must be ≥ 0 and --b within 0…1") }
    guard titleWeight >= 0, leadWeight >= 0, gramWeight >= 0, adjacencyBoost >= 0 else {
      throw ValidationError("--title-weight, --lead-weight, --gram-weight and --adjacency-boost must be ≥ 0")
    }
    guard maxDfRatio > 0, maxDfRatio <= 1 else { throw ValidationError("--max-df-ratio must be within (0, 1]") }
  }

  /// The search options these flags describe, keeping `limit` results.
  func searchOptions(limit: Int) -> SearchOptions {
    SearchOptions(
      limit: limit, bm25: BM25Parameters(k1: k1, b: b), fieldWeights: ["title": titleWeight, "lead": leadWeight],
      adjacencyBoost: adjacencyBoost, gramWeight: gramWeight, maxDocumentFrequencyRatio: maxDfRatio, exhaustive: exhaustive)
  }
}
