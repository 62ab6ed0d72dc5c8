/// Switches that change which terms are indexed; every switch is reflected in `Segmenter.identity`,
/// because an index built with one setting cannot be searched with another.
public struct SegmenterOptions: Sendable, Equatable {
  /// Map Traditional characters to Simplified (国務院 → 国务院) so either script finds both.
  public var traditionalToSimplified: Bool = true
  /// Merge a number with a following `%`/`‰` or unit word (`2024年`, `5.4%`), also emitting the bare
  /// number as an alternative token. See `NumberUnits`.
  public var mergeNumberUnits: Bool = true
  /// Also emit CJK character grams (every bigram of a run, plus a unigram for the run's last
  /// character) so that any substring of Chinese text can be found exactly. Identity `grams/2`:
  /// indexes built with it hold no two-character Chinese word, only its bigram
  /// (`Segmenter.isBigramWord`); the segmenter itself still emits the word.
  public var cjkGrams: Bool = true
  /// Also emit, for every Chinese word of three or more characters, the lexicon words inside it
  /// (人民代表大会 → 人民, 代表, 大会, 代表大会) as alternative tokens at their own positions, so a
  /// document is found by the words a compound is made of (a search engine's "search mode" cut).
  public var subwords: Bool = true
  /// Words to keep whole (see `UserDictionary`); its digest is part of `Segmenter.identity`, so an
  /// index built with a dictionary is searched with the same one.
  public var userDictionary: UserDictionary? = nil

  public init() {}
}
