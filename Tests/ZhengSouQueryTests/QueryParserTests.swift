import Testing
import ZhengSouAnalysis
import ZhengSouQuery

@Suite struct QueryParserTests {
  let parser = QueryParser(segmenter: try! Segmenter())

  @Test func unquotedWordsBecomeDistinctOptionalTerms() throws {
    let q = try parser.parse("GDP 增长 GDP")
    #expect(q.phrases.isEmpty)
    #expect(q.terms.map(\.description) == ["gdp", "增长"])
  }

  @Test(arguments: ["\"高质量发展\" 西湖", "“高质量发展” 西湖", "「高质量发展」 西湖"])
  func quotedPartsArePhrases(query: String) throws {
    let q = try parser.parse(query)
    #expect(q.phrases.count == 1)
    // A CJK phrase is the chain of its bigrams at consecutive character positions.
    #expect(q.phrases[0].terms.map(\.description) == ["\u{1}高质", "\u{1}质量", "\u{1}量发", "\u{1}发展"])
    #expect(q.phrases[0].offsets == [0, 1, 2, 3])
    #expect(!q.phrases[0].openEnded)
    #expect(q.terms.map(\.description) == ["西湖"])
  }

  @Test func traditionalAndFullWidthQueriesAreNormalized() throws {
    #expect(try parser.parse("國務院") == (try parser.parse("国务院")))
    #expect(try parser.parse("ＧＤＰ") == (try parser.parse("gdp")))
  }

  @Test func malformedQueriesAreErrorsWithColumns() {
    #expect(throws: QueryError.unclosedQuote(column: 4)) { try parser.parse("西湖 \"发展") }
    #expect(throws: QueryError.noSearchableTerms) { try parser.parse("  ，。！ ") }
    #expect(throws: QueryError.emptyPhrase(column: 1)) { try parser.parse("\"，\" 发展") }
  }
}

@Suite struct PhraseSlotTests {
  let parser = QueryParser(segmenter: try! Segmenter())

  func slots(_ q: String) throws -> ([String], [Int], Bool) {
    let p = try parser.parse(q).phrases[0]
    return (p.terms.map { $0.description.replacingOccurrences(of: "\u{1}", with: "~") }, p.offsets, p.openEnded)
  }

  @Test func mixedPhrasesKeepNumbersAndLatinWhole() throws {
    let (terms, offsets, open) = try slots("\"GDP增长5.4%\"")
    #expect(terms == ["gdp", "~增长", "5.4%"])
    #expect(offsets == [0, 3, 5])
    #expect(!open)
  }

  @Test func aSingleCharacterAtTheEndIsOpenEnded() throws {
    #expect(try slots("\"国\"") == (["~国"], [0], true))
    #expect(try slots("\"2024年\"") == (["2024年", "~年"], [0, 4], true))
    #expect(try slots("\"国GDP\"").2 == false)
  }

  @Test func plainTextAlsoYieldsGramTerms() throws {
    let q = try parser.parse("农业银行")
    #expect(q.gramTerms.map(\.description) == ["\u{1}农业", "\u{1}业银", "\u{1}银行"])
  }
}
