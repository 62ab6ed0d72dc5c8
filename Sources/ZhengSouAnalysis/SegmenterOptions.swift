/// Switches that change which terms are indexed; every switch is reflected in `Segmenter.identity`,
/// because an index built with one setting cannot be searched with another.
public struct SegmenterOptions: Sendable, Equatable {
  /// Map Traditional characters to Simplified (国務院 → 国务院) so either script finds both.
  public var traditionalToSimplified: Bool = true
  /// Merge a number with a following `%`/`‰` or unit word (`2024年`, `5.4%`), also emitting the bare
  /// number as an alternative token. See `NumberUnits`.
  public var mergeNumberUnits: Bool = true
  /// Also emit CJK character grams (every bigram of a run, plus a unigram for the run's last
  /// character) so that any substring of Chinese text can be found exactly.
  public var cjkGrams: Bool = true

  public init() {}
}
