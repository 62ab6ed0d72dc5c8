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

  /// With grams, no two-character Chinese word has a list of its own: its bigram stands for it
  /// (same text, same positions). Longer and one-character words keep theirs, and the bigram of
  /// every two-character word the segmenter cuts from the Corpus is there.
  @Test func twoCharacterWordsAreIndexedAsTheirBigrams() throws {
    let reader = try IndexReader(path: try CorpusFixture.path())
    var words = [Int: Int]()  // characters → word terms
    try reader.dictionary.forEachTerm { term, _ in
      guard term.first != Segmenter.gramPrefix else { return true }
      let characters = String(decoding: term, as: UTF8.self).unicodeScalars.count
      if term.withUnsafeBytes({ Segmenter.isGramCoveredWord($0) }) { words[characters, default: 0] += 1 }
      #expect(!term.withUnsafeBytes { Segmenter.isBigramWord($0) }, "\(String(decoding: term, as: UTF8.self)) has a list")
      return true
    }
    #expect(words[1, default: 0] > 100 && words[3, default: 0] > 1_000 && words[2, default: 0] == 0, "\(words)")

    let segmenter = try Segmenter()
    let body = "中国农业发展银行支持乡村振兴，人民代表大会审议政府工作报告。"
    let tokens = segmenter.segment(body)
    var checked = 0
    for i in 0..<tokens.count where tokens.tokens[i].kind != .gram {
      let term = tokens.withTermBytes(i) { Array($0) }
      guard term.withUnsafeBytes({ Segmenter.isBigramWord($0) }) else { continue }
      let bigram = try #require(try reader.lookup([Segmenter.gramPrefix] + term), "\(String(decoding: term, as: UTF8.self))")
      #expect(bigram.contains { $0 != nil })
      checked += 1
    }
    #expect(checked >= 6, "农业 发展 银行 支持 乡村 振兴 人民 代表 大会 审议 政府 工作 报告")
  }
}
