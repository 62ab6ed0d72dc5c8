import Testing
import ZhengSou
import ZhengSouIndex

/// `zhengsou stats`'s breakdown of POST and POSN by field and term kind accounts for every byte.
struct IndexStatisticsTests {
  @Test func theBreakdownAddsUpToTheSections() throws {
    let reader = try IndexReader(path: try CorpusFixture.path())
    let s = try IndexStatistics(reader: reader)
    let sizes = Dictionary(s.sections.map { ($0.name, $0.bytes) }, uniquingKeysWith: { a, _ in a })
    #expect(s.listBytes.reduce(0) { $0 + $1.postingsBytes } == sizes["POST"])
    #expect(s.listBytes.reduce(0) { $0 + $1.positionsBytes } == sizes["POSN"])
    #expect(s.listBytes.reduce(0) { $0 + $1.lists } == s.postingLists)
    #expect(s.listBytes.reduce(0) { $0 + $1.postings } == s.postings)
    // The Corpus is Chinese: grams and CJK words in the body, both with positions.
    for kind in [IndexStatistics.TermKind.gram, .cjkWord] {
      let row = try #require(s.listBytes.first { $0.field == "body" && $0.kind == kind })
      #expect(row.postingsBytes > 0 && row.positionsBytes > 0)
    }
  }
}
