/// What an indexed token is made of, taken from ICU's word-break rule status.
///
/// Kana words count as `.ideographic`: both come from ICU's CJK dictionary and are searched the same way.
public enum TokenKind: UInt8, Sendable {
  case ideographic = 0
  case letter = 1
  case number = 2
  /// A CJK character bigram, or the unigram of a run's last character, in its own term namespace
  /// (`TokenBuffer` prefixes its bytes with `Segmenter.gramPrefix`). Grams make every substring of a
  /// CJK run findable: a phrase of n ≥ 2 characters is a chain of n − 1 bigrams at consecutive
  /// positions.
  case gram = 3
}
