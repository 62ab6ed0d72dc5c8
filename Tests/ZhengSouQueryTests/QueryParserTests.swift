import Testing
import ZhengSouAnalysis
import ZhengSouTestSupport
@testable import ZhengSouQuery

@Suite struct QueryParserTests {
  let parser = QueryParser(segmenter: try! Segmenter())

  /// Two-character words are scored through their bigrams (one scorer at 1 + gram weight), other
  /// words as themselves at 1, the remaining grams at the gram weight; without grams in the query
  /// (an index built without them) words stay words.
  @Test func twoCharacterWordsAreScoredThroughTheirBigrams() throws {
    let q = try parser.parse("农业 人民代表大会 gdp 区")
    func weights(_ gramWeight: Double) -> [String: Double] {
      Dictionary(uniqueKeysWithValues: Searcher.weightedTerms(q, gramWeight: gramWeight).map { ($0.0.description, $0.1) })
    }
    let w = weights(0.5)
    #expect(w["\u{1}农业"] == 1.5 && w["农业"] == nil)
    #expect(w["人民代表大会"] == 1 && w["\u{1}人民"] == 0.5 && w["\u{1}代表"] == 0.5)
    #expect(w["gdp"] == 1 && w["区"] == 1 && w["\u{1}区"] == 0.5)
    #expect(Searcher.weightedTerms(q, gramWeight: 0.5).first?.0.description == "\u{1}农业", "in the word's place")
    let wordsOnly = weights(0)
    #expect(wordsOnly["\u{1}农业"] == 1 && wordsOnly["人民代表大会"] == 1 && wordsOnly["\u{1}人民"] == nil && wordsOnly.count == 4)
    let noGrams = ParsedQuery(terms: [.init("农业")], phrases: [])
    #expect(Searcher.weightedTerms(noGrams, gramWeight: 0.5).map(\.0.description) == ["农业"])
  }

  /// `longestChunkGrams` counts the distinct grams of the longest piece of unquoted text typed
  /// without whitespace: the same words typed apart, or quoted, make no long piece.
  @Test func theLongestChunkCountsItsOwnDistinctGrams() throws {
    #expect(try parser.parse("春耕生产保障").longestChunkGrams == 5)
    #expect(try parser.parse("春耕 生产 保障").longestChunkGrams == 1, "one bigram a word")
    #expect(try parser.parse("春耕 生产 保障").gramTerms.count == 3)
    #expect(try parser.parse("农业农业农业 西湖").longestChunkGrams == 2, "农业 业农 农业 业农 农业: two distinct")
    #expect(try parser.parse("\"春耕生产保障\" 西湖").longestChunkGrams == 1, "a quoted part is no chunk")
    #expect(try parser.parse("GDP 2024").longestChunkGrams == 0)
  }

  /// A query's words and grams are distinct and in order of first appearance, before and past the
  /// 64 terms where `DistinctTerms` changes from linear searches to a dictionary.
  @Test func termsAreDistinctInOrderOfFirstAppearance() throws {
    let words = (0..<150).map { "w\($0)" }
    // Each word twice, the second time among later words, and 农业 (a bigram word) in between.
    var text: [String] = []
    for (i, w) in words.enumerated() {
      text.append(w)
      if i >= 3 { text.append(words[i - 3]) }
      if i % 40 == 0 { text.append("农业 发展") }
    }
    let q = try parser.parse(text.joined(separator: " "))
    #expect(q.terms.map(\.description) == ["w0", "农业", "发展"] + words.dropFirst())
    #expect(q.gramTerms.map(\.description) == ["\u{1}农业", "\u{1}发展"])
    var d = DistinctTerms()
    for i in [0, 1, 0, 2, 1] + Array(3..<100) + [99, 50, 3] { d.insert(ParsedQuery.Term("t\(i)")) }
    #expect(d.items.map(\.description) == (0..<100).map { "t\($0)" })
    #expect(d.insert(ParsedQuery.Term("t7")) == (7, false) && d.insert(ParsedQuery.Term("t100")) == (100, true))
  }

  /// Past 64 terms the weights are summed through a dictionary instead of linear searches: a long
  /// query (repeated words, bigram words, hundreds of grams) gets exactly the weights of a plain
  /// reference computation, in order of first appearance.
  @Test func longQueriesWeighTheirTermsLikeShortOnes() throws {
    let text = (0..<60).map { "农业\($0)" }.joined(separator: " ") + " 人民代表大会 共同富裕 农业 国家发展改革委员会 " + String(repeating: "高质量发展 ", count: 3)
    let q = try parser.parse(text)
    var expected: [(String, Double)] = []
    func add(_ t: ParsedQuery.Term, _ w: Double) {
      if let i = expected.firstIndex(where: { $0.0 == t.description }) { expected[i].1 += w } else { expected.append((t.description, w)) }
    }
    for word in q.terms {
      let bigram = ParsedQuery.Term([Segmenter.gramPrefix] + word.bytes)
      let isBigramWord = word.bytes.withUnsafeBytes { Segmenter.isBigramWord($0) }
      add(isBigramWord && q.gramTerms.contains(bigram) ? bigram : word, 1)
    }
    for gram in q.gramTerms { add(gram, 0.5) }
    let got = Searcher.weightedTerms(q, gramWeight: 0.5)
    #expect(got.count > 64, "\(got.count) terms: the dictionary path is taken")
    #expect(got.map(\.0.description) == expected.map(\.0))
    #expect(got.map(\.1) == expected.map(\.1))
    #expect(got.contains { $0.0.description == "\u{1}农业" && $0.1 == 1.5 })
  }

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

  /// Characters outside the BMP (Extension B) are two UTF-16 units: a run's last unigram, which
  /// follows its bigram two units later, is not a slot of its own, and a lone one is open-ended.
  @Test func supplementaryCharactersCountAsOneCharacter() throws {
    #expect(try slots("\"𠀀𠀁\"") == (["~𠀀𠀁"], [0], false))
    #expect(try slots("\"𠀀中\"") == (["~𠀀中"], [0], false))
    #expect(try slots("\"中𠀀国\"") == (["~中𠀀", "~𠀀国"], [0, 1], false))
    #expect(try slots("\"𠀀\"") == (["~𠀀"], [0], true))
  }

  @Test func plainTextAlsoYieldsGramTerms() throws {
    let q = try parser.parse("农业银行")
    #expect(q.gramTerms.map(\.description) == ["\u{1}农业", "\u{1}业银", "\u{1}银行"])
  }

  /// Unquoted text is cut into the chunks that splitting its `Character`s at whitespace gives,
  /// also where the parser finds them scalar by scalar: random strings over spaces (ASCII,
  /// ideographic, no-break), CR LF and tabs, CJK and Latin text, and the scalars that join a
  /// `Character` to the one before (combining marks, ZWJ, kana sound marks, Hangul jamo) or
  /// follow a control. A mutation that splits every string scalar by scalar fails it.
  @Test func chunksAreTheCharactersSplitAtWhitespace() {
    let alphabet: [String] = [
      " ", "\u{3000}", "\u{A0}", "\r\n", "\n", "\t", "中", "国", "農", "ａ", "1", "g", "d", "p", "、", "。",
      "\u{301}", "\u{200D}", "\u{3099}", "か", "\u{1161}", "\u{1100}", "한", "\u{FE0F}", "\u{1F1E8}", "\u{600}", "𠀀",
    ]
    var rng = SplitMix64(seed: 21)
    var slowPaths = 0
    for round in 0..<4000 {
      // Half the strings use only scalars that are Characters of their own (the parser's fast path).
      let pool = round % 2 == 0 ? Array(alphabet.prefix(16)) + ["か", "𠀀"] : alphabet
      let text = (0..<Int(rng.next() % 12)).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }.joined()
      let expected = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
      #expect(QueryParser.chunks(of: Substring(text).unicodeScalars) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
      if !text.unicodeScalars.allSatisfy(QueryParser.isOwnCharacter) { slowPaths += 1 }
    }
    #expect(slowPaths > 1000 && slowPaths < 3000, "both paths are exercised")
  }
}
