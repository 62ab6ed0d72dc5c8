import Testing
import ZhengSou
import ZhengSouTestSupport

/// `IndexBuildOptions.leadEnd` counts scalars where every scalar is a character of its own
/// (`SingleScalarCharacters`), and `Character`s otherwise; either way it must cut exactly where
/// `prefix` does.
struct LeadEndTests {
  /// Scalars that stand alone, and scalars that grapheme rules join to a neighbour (CR LF,
  /// combining marks, joiners, variation selectors, emoji, regional indicators, Hangul jamo and
  /// syllables, an Indic virama, an ideographic tone mark, half-width kana sound marks).
  static let alone: [Unicode.Scalar] = ["中", "国", "a", "Z", "5", " ", "\n", "\t", "，", "。", "…", "“", "\u{3000}", "Ａ", "é", "\u{00AD}", "〇", "か", "𠀀", "‼"]
  static let joining: [Unicode.Scalar] = [
    "\r", "\u{0301}", "\u{200D}", "\u{FE0F}", "\u{1F468}", "\u{1F1E8}", "\u{1F1F3}", "\u{1100}", "\u{1161}", "\u{11A8}",
    "\u{AC00}", "\u{0915}", "\u{094D}", "\u{302A}", "\u{FF9E}", "\u{200C}", "\u{0600}", "\u{20000}",
  ]

  static func check(_ text: String) {
    for n in [0, 1, 2, 3, 5, 8, 13, 200] {
      let cut = IndexBuildOptions.leadEnd(of: text, characters: n)
      #expect(String(text[..<cut]) == String(text.prefix(n)), "\(n) characters of \(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }
  }

  @Test func cutsWherePrefixDoes() {
    for text in ["", "中国农业发展银行", "a\r\nb", "e\u{0301}x", "中\u{302A}国", "🇨🇳中国", "👨‍👩‍👧", "한국어", "ｶﾞ", String(repeating: "中", count: 300)] {
      Self.check(text)
    }
    var random = SplitMix64(seed: 11)
    for _ in 0..<3_000 {
      var text = String.UnicodeScalarView()
      for _ in 0..<Int(random.next() % UInt64(24)) {
        // Mostly scalars that stand alone, so that the fast path runs before a joining one.
        let pool = Int(random.next() % UInt64(4)) == 0 ? Self.joining : Self.alone
        text.append(pool[Int(random.next() % UInt64(pool.count))])
      }
      Self.check(String(text))
    }
  }
}
