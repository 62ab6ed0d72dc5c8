/// The scalars that are each a `Character` of their own beside one another: no grapheme cluster
/// rule (CR LF, Hangul syllable sequences, extenders and joiners, spacing marks, prepended marks,
/// regional indicators, emoji sequences) joins two of them, so text made only of them has one
/// `Character` per scalar.
///
/// Why: splitting or counting `Character`s runs grapheme breaking at every step (about 350
/// instructions a scalar), and the text of policy documents and queries is nearly all such
/// scalars. The query parser cuts chunks and the indexing pipeline finds the lead's end scalar by
/// scalar when every scalar is one, and by `Character`s otherwise.
///
/// The ranges: ASCII and Latin below the combining marks (U+0300) without CR, general punctuation
/// without its spaces, joiners and separators, CJK symbols and kana without the ideographic tone
/// marks (U+302A–302F) and the kana sound marks (U+3099–309A), the CJK ideographs (the BMP's and
/// U+20000–31FFF), and the full-width forms without the half-width sound marks.
public enum SingleScalarCharacters {
  @inlinable
  public static func contains(_ v: UInt32) -> Bool {
    switch v {
    case 0x0D: return false
    case 0..<0x300, 0x2010...0x2027, 0x2030...0x205E, 0x3000..<0x302A, 0x3030..<0x3099, 0x309B..<0xA000, 0xFF01..<0xFF9E,
      0x20000..<0x32000:
      return true
    default: return false
    }
  }
}
