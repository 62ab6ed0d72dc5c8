import Foundation

/// The ranking-quality measures `zhengsou eval` reports, as pure functions.
///
/// Every function takes `grades`: the relevance grade (from the qrels) of the document at rank 1,
/// 2, 3, … of one query's ranking, 0 for a document that is unjudged or judged not relevant. A
/// document is relevant when its grade is above 0.
public enum RelevanceMetrics {
  /// The 1-based rank of the first relevant document, or nil when none is ranked.
  public static func firstRelevantRank(_ grades: [Int]) -> Int? {
    grades.firstIndex(where: { $0 > 0 }).map { $0 + 1 }
  }

  /// 1 / rank of the first relevant document within the top `cutoff`, else 0 (RR@cutoff).
  public static func reciprocalRank(_ grades: [Int], cutoff: Int = 10) -> Double {
    guard let rank = firstRelevantRank(Array(grades.prefix(cutoff))) else { return 0 }
    return 1 / Double(rank)
  }

  /// The gain of one document of grade `grade`: 2^grade − 1 (0 for grades ≤ 0).
  public static func gain(_ grade: Int) -> Double {
    grade > 0 ? pow(2, Double(grade)) - 1 : 0
  }

  /// Discounted cumulative gain of the top `cutoff`: Σ (2^rel − 1) / log2(rank + 1).
  public static func dcg(_ grades: [Int], cutoff: Int = 10) -> Double {
    var sum = 0.0
    for (i, g) in grades.prefix(cutoff).enumerated() where g > 0 {
      sum += gain(g) / log2(Double(i + 2))
    }
    return sum
  }

  /// DCG@cutoff divided by the DCG@cutoff of the ideal ranking of `judged` (every grade the qrels
  /// give this query, in any order). 0 when the qrels hold no relevant document.
  public static func ndcg(_ grades: [Int], judged: [Int], cutoff: Int = 10) -> Double {
    let ideal = dcg(judged.filter { $0 > 0 }.sorted(by: >), cutoff: cutoff)
    return ideal > 0 ? dcg(grades, cutoff: cutoff) / ideal : 0
  }

  /// The fraction of the `relevantCount` relevant documents that are ranked within the top
  /// `cutoff` (Recall@cutoff). 0 when `relevantCount` is 0.
  public static func recall(_ grades: [Int], relevantCount: Int, cutoff: Int) -> Double {
    guard relevantCount > 0 else { return 0 }
    return Double(grades.prefix(cutoff).count(where: { $0 > 0 })) / Double(relevantCount)
  }
}
