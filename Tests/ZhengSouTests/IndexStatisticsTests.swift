import Testing
import ZhengSou
import ZhengSouIndex
import ZhengSouAnalysis

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
    // The Corpus is Chinese: grams and CJK words in every field; positions only where a phrase
    // can read them: grams and other words of the title and the body, nothing of the lead (the
    // body's start), and of the "CJK words" (terms that start with a CJK character) only the few
    // that also hold another character (kana, digits: 年5), whose phrases are not gram chains.
    func row(_ field: String, _ kind: IndexStatistics.TermKind) throws -> IndexStatistics.ListBytes {
      try #require(s.listBytes.first { $0.field == field && $0.kind == kind }, "\(field) \(kind)")
    }
    for field in ["title", "body", "lead"] {
      for kind in IndexStatistics.TermKind.allCases {
        let r = try row(field, kind)
        #expect(r.postingsBytes > 0)
        if field == "lead" { #expect(r.positionsBytes == 0, "lead \(kind)") }
        if field != "lead" && kind != .cjkWord { #expect(r.positionsBytes > 0, "\(field) \(kind)") }
      }
    }
    #expect(try row("body", .cjkWord).positionsBytes * 100 < (try row("body", .gram).positionsBytes), "Chinese words keep no positions")
  }

  /// The same rule, list by list: every list says whether it has positions, as the policy decides.
  @Test func listsKeepPositionsExactlyWherePhrasesNeedThem() throws {
    let reader = try IndexReader(path: try CorpusFixture.path())
    var counts = [Bool: Int]()
    try reader.dictionary.forEachTerm { term, infos in
      let cjkWord = term.withUnsafeBytes { Segmenter.isGramCoveredWord($0) }
      for (f, info) in infos.enumerated() {
        guard let info else { continue }
        let expected = reader.fieldNames[f] != "lead" && !cjkWord
        #expect(info.hasPositions == expected, "\(String(decoding: term, as: UTF8.self)) in \(reader.fieldNames[f])")
        counts[info.hasPositions, default: 0] += 1
      }
      return true
    }
    #expect(counts[true, default: 0] > 10_000 && counts[false, default: 0] > 10_000, "\(counts)")
  }
}
