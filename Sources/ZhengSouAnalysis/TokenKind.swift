/// What an indexed token is made of, taken from ICU's word-break rule status.
///
/// Kana words count as `.ideographic`: both come from ICU's CJK dictionary and are searched the same way.
public enum TokenKind: UInt8, Sendable {
  case ideographic = 0
  case letter = 1
  case number = 2
}
