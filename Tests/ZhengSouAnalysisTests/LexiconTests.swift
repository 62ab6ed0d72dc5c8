import Testing

@testable import ZhengSouAnalysis

/// The shipped lexicon (LexiconData, built by Tools/build_lexicon.py) and the Viterbi that uses it.
struct LexiconTests {
  func words(_ segmenter: Segmenter, _ text: String) -> [String] {
    let buffer = segmenter.segment(text)
    return (0..<buffer.count).filter { !buffer.tokens[$0].isAlternative }.map { buffer.termString($0) }
  }

  @Test func sharedLexiconLoads() {
    let lexicon = Lexicon.shared
    #expect(lexicon.wordCount > 40_000)
    #expect(lexicon.maxLength >= 4)
    #expect(lexicon.score(of: "中国") != nil)
    #expect(lexicon.score(of: "中国")! > lexicon.score(of: "国务院")!)
    #expect(lexicon.score(of: "国务") == nil)  // a prefix entry is not a word
    #expect(lexicon.score(of: "") == nil)
  }

  @Test func tableFindsEveryWordAndNoOther() {
    let words = ["甲", "甲乙", "甲乙丙丁", "乙丙", "𠀀𪚥"]
    let lexicon = Lexicon(words: words.enumerated().map { (Array($1.utf16), Float(-$0)) }, unknownScore: -99)
    for (i, w) in words.enumerated() { #expect(lexicon.score(of: w) == Float(-i)) }
    #expect(lexicon.score(of: "甲乙丙") == nil)
    #expect(lexicon.score(of: "丙") == nil)
    #expect(lexicon.maxLength == 4)
    #expect(lexicon.wordCount == 5)
  }

  /// The walk a Viterbi step makes (`forEachWord`) against a reference over the word list itself,
  /// for every key shape the table stores differently: one unit inside the dense CJK table (a word,
  /// a prefix only, at the table's ends) and outside it (Latin, Hangul), a surrogate pair (two units
  /// from one character), two-unit keys that differ in one unit only (compared inline in the slot),
  /// and longer ones (compared in the key arena); from a table sized for all of them and from one
  /// that grew from 16 slots (rehashing must keep the inline keys).
  @Test func walkMatchesAReferenceForEveryKeyShape() {
    let words = [
      "甲", "甲乙", "甲乙丙", "甲乙丙丁戊", "乙丙", "乙丁", "丙丁", "㐀", "㐀鿿", "鿿", "a", "ab", "abc", "가나",
      "𠀀", "𠀀𠀁", "丁𠀀", "戊己庚", "己", "庚辛",
    ]
    let entries = words.enumerated().map { (units: Array($1.utf16), score: Float(-1 - $0)) }
    let alphabet = Array(Set(words.flatMap { Array($0.utf16) })).sorted() + Array("子a".utf16)
    var rng = SystemRandomNumberGenerator()
    for expected in [nil, 1] as [Int?] {
      let lexicon = Lexicon(words: entries, unknownScore: -99, expectedEntries: expected)
      #expect(lexicon.wordCount == words.count)
      for _ in 0..<400 {
        let text = (0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
        for start in text.indices {
          let limit = text.count - start
          var found: [Int: Float] = [:]
          text.withUnsafeBufferPointer { b in
            lexicon.forEachWord(startingAt: b.baseAddress! + start, limit: limit) { length, score in found[length] = score }
          }
          // The reference: every word the text continues with, found while some word begins
          // with the units read so far.
          var expectedFound: [Int: Float] = [:]
          for length in 1...limit {
            let prefix = Array(text[start..<(start + length)])
            guard entries.contains(where: { $0.units.starts(with: prefix) }) else { break }
            if let e = entries.first(where: { $0.units == prefix }) { expectedFound[length] = e.score }
          }
          #expect(found == expectedFound, "at \(start) of \(String(decoding: text, as: UTF16.self))")
        }
      }
    }
  }

  /// The shipped table holds every word of LexiconData and every prefix of it: loading skips the
  /// probes for prefixes a word shares with the word before it, which must never lose one.
  @Test func sharedLexiconHoldsEveryWordAndPrefix() {
    let lexicon = Lexicon.sharedWithoutT2S
    var words = 0
    var missing: [String] = []
    for line in LexiconData.entries.split(separator: "\n") {
      guard let tab = line.firstIndex(of: "\t"), let count = Int(line[line.index(after: tab)...]), count > 0 else { continue }
      let units = Array(String(line[..<tab]).lowercased().utf16)
      guard !units.isEmpty, units.allSatisfy({ (0x4E00...0x9FFF).contains($0) }) else { continue }
      words += 1
      // The walk over the word's units must reach its full length, through every prefix.
      var longest = 0
      units.withUnsafeBufferPointer { buffer in
        lexicon.forEachWord(startingAt: buffer.baseAddress!, limit: units.count) { length, _ in longest = max(longest, length) }
      }
      if longest != units.count { missing.append(String(decoding: units, as: UTF16.self)) }
    }
    #expect(words > 40_000)
    #expect(missing.isEmpty, "not found: \(missing.prefix(10))")
  }

  /// Words ICU's dictionary splits but the corpora show to be one word (discovered by cohesion and
  /// boundary entropy) are kept whole.
  @Test func discoveredWordsStayWhole() throws {
    let segmenter = try wordSegmenter()
    // ICU's dictionary gives 社会 主义 and 产业 化.
    #expect(words(segmenter, "推进社会主义建设").contains("社会主义"))
    #expect(words(segmenter, "农业产业化").contains("产业化") || words(segmenter, "农业产业化") == ["农业产业化"])
  }

  @Test func latinWithPlusStaysWhole() throws {
    let segmenter = try wordSegmenter()
    #expect(words(segmenter, "推进AI+教育和5G") == ["推进", "ai+", "教育", "和", "5g"])
    #expect(words(segmenter, "C++语言") == ["c++", "语言"])
    #expect(words(segmenter, "a+b") == ["a", "b"])
  }

  @Test func identityNamesLexiconAndRules() throws {
    let identity = try Segmenter().identity
    #expect(identity.hasPrefix("zhengsou-segmenter/5 "))
    #expect(identity.contains(" lex/\(Lexicon.version)"))
    #expect(!identity.contains(" user/"))
  }

  /// Every character of a CJK run is covered exactly once, surrogate pairs are never cut, and the
  /// result does not depend on what came before (scratch buffers are reused).
  @Test func viterbiCoversRunsExactly() throws {
    let segmenter = try wordSegmenter()
    let text = "𠀀中国𪚥国务院𠀀𠀀总理发展"
    let first = words(segmenter, text)
    #expect(first.joined() == text)
    _ = segmenter.segment(String(repeating: "中华人民共和国", count: 500))
    #expect(words(segmenter, text) == first)
  }
}

/// Sub-words: the lexicon words inside a long word are alternatives at their own positions.
struct SubwordTests {
  @Test func compoundsAlsoYieldTheirWords() throws {
    let segmenter = try wordSegmenter()
    let buffer = segmenter.segment("全国人民代表大会")
    let tokens = (0..<buffer.count).map { (buffer.termString($0), buffer.tokens[$0].position, buffer.tokens[$0].isAlternative) }
    #expect(tokens.filter { !$0.2 }.map(\.0) == ["全国", "人民代表大会"])
    let subwords = tokens.filter { $0.2 }.map { "\($0.0)@\($0.1)" }
    #expect(subwords.contains("人民@2") && subwords.contains("代表@4") && subwords.contains("大会@6"))
    #expect(!subwords.contains { $0.hasPrefix("人民代表大会") })
    var options = SegmenterOptions()
    options.cjkGrams = false
    options.subwords = false
    let plain = try Segmenter(options: options)
    #expect(plain.segment("全国人民代表大会").tokens.allSatisfy { !$0.isAlternative })
    #expect(!plain.identity.contains("subwords/1") && segmenter.identity.contains(" subwords/1"))
  }
}
