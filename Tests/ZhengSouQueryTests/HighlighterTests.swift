import Testing
import ZhengSouAnalysis
import ZhengSouQuery

/// Highlights are exactly the query's matched tokens and phrases, as byte ranges of the original text.
@Suite struct HighlighterTests {
  let segmenter: Segmenter
  let parser: QueryParser

  init() throws {
    segmenter = try Segmenter()
    parser = QueryParser(segmenter: segmenter)
  }

  /// The highlighted substrings of `text` for `query`, in order.
  func highlighted(_ query: String, in text: String) throws -> [String] {
    let highlighter = Highlighter(segmenter: segmenter, query: try parser.parse(query))
    let bytes = Array(text.utf8)
    return highlighter.matches(in: text).map { String(decoding: bytes[$0], as: UTF8.self) }
  }

  @Test func aPhraseIsHighlightedWholeAndOnlyWhereItsWordsAreAdjacent() throws {
    let text = "推进共同富裕，共同努力，富裕起来。共同富裕示范区"
    #expect(try highlighted("\"共同富裕\"", in: text) == ["共同富裕", "共同富裕"])
  }

  @Test func traditionalAndFullWidthTextIsHighlightedInTheOriginal() throws {
    #expect(try highlighted("\"共同富裕\"", in: "推進共同富裕。") == ["共同富裕"])
    #expect(try highlighted("国务院", in: "國務院發佈通知，国务院常务会议") == ["國務院", "国务院"])
    #expect(try highlighted("GDP", in: "ＧＤＰ增长，gdp 与 GdP") == ["ＧＤＰ", "gdp", "GdP"])
  }

  @Test func rangesAreSortedAndTouchingOnesMerged() throws {
    let highlighter = Highlighter(segmenter: segmenter, query: try parser.parse("农业 发展"))
    let text = "农业发展银行支持农业，发展农业"
    let ranges = highlighter.matches(in: text)
    #expect(ranges == ranges.sorted { $0.lowerBound < $1.lowerBound })
    for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound < b.lowerBound) }
    let bytes = Array(text.utf8)
    #expect(ranges.map { String(decoding: bytes[$0], as: UTF8.self) } == ["农业发展", "农业", "发展农业"])
  }

  @Test func aMultiCharacterPhraseAcrossWordsAndTextWithoutMatches() throws {
    #expect(try highlighted("\"国家旅游度假区\"", in: "之江国家旅游度假区和国家旅游局") == ["国家旅游度假区"])
    #expect(try highlighted("\"国家旅游度假区\"", in: "没有这个词") == [])
    #expect(try highlighted("共同富裕", in: "") == [])
  }
}
