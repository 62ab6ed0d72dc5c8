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
    #expect(q.phrases[0].terms.map(\.description).joined() == "高质量发展")
    #expect(q.phrases[0].offsets.first == 0)
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
