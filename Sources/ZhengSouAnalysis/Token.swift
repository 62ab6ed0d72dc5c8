/// One indexed token. Offsets are UTF-8 byte offsets into the ORIGINAL input (before normalization),
/// so highlighting can cut the stored text directly.
///
/// The term itself lives in `TokenBuffer.termBytes`; a token carries only integers so that producing
/// one costs no allocation.
public struct Token: Sendable, Equatable {
  /// Start of the normalized term's UTF-8 bytes in `TokenBuffer.termBytes`.
  public var termOffset: Int32
  /// Length of the normalized term in bytes.
  public var termLength: Int32
  /// Original-text byte range [start, end).
  public var start: Int32
  public var end: Int32
  /// Offset of the token's first character in the normalized text (UTF-16 units): adjacent
  /// characters have adjacent positions, and words and grams share one coordinate system.
  public var position: Int32
  public var kind: TokenKind
  /// True for tokens that are not the text's words: the bare number inside a merged number (`2024`
  /// for `2024年`, same position) and every `.gram`. Word-level consumers skip them.
  public var isAlternative: Bool

  public init(
    termOffset: Int32, termLength: Int32, start: Int32, end: Int32, position: Int32, kind: TokenKind,
    isAlternative: Bool
  ) {
    self.termOffset = termOffset
    self.termLength = termLength
    self.start = start
    self.end = end
    self.position = position
    self.kind = kind
    self.isAlternative = isAlternative
  }
}
