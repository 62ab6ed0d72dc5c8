#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Okapi BM25 scoring, split into the parts a fast scorer precomputes.
///
/// score(term, doc, field) = weight · idf · tf·(k1 + 1) / (tf + k1·(1 − b + b·len/avgLen))
/// with Lucene's idf = ln(1 + (N − n + 0.5)/(n + 0.5)), which is never negative. `len` is the
/// *quantized* field length (`FieldNorm`), so the denominator's length part is one of 256 values:
/// `LengthNormTable`. The (k1 + 1) factor is kept (classic Okapi; tantivy keeps it, Lucene dropped
/// it): it does not change ranking, and it makes a tf = 1 match in an average-length field score
/// exactly idf·weight.
public enum BM25 {
  /// Lucene's BM25 idf for a term in `docFrequency` of `documentCount` documents.
  @inlinable
  public static func idf(docFrequency n: Int, documentCount N: Int) -> Double {
    let nn = Double(n), NN = Double(max(N, n))
    return log(1.0 + (NN - nn + 0.5) / (nn + 0.5))
  }

  /// The term-frequency part given the precomputed length part `k1·(1 − b + b·len/avgLen)`.
  @inlinable @inline(__always)
  public static func tfFactor(termFrequency tf: Double, lengthNorm: Double, k1: Double) -> Double {
    tf * (k1 + 1) / (tf + lengthNorm)
  }

  /// The complete score of one term in one field of one document (reference form, not hot).
  public static func score(
    termFrequency tf: Int, fieldLength len: Int, averageFieldLength avg: Double,
    docFrequency n: Int, documentCount N: Int, parameters p: BM25Parameters = .default, weight: Double = 1
  ) -> Double {
    let norm = p.k1 * (1 - p.b + p.b * Double(len) / max(avg, 1e-9))
    return weight * idf(docFrequency: n, documentCount: N) * tfFactor(termFrequency: Double(tf), lengthNorm: norm, k1: p.k1)
  }
}

