import Testing
import ZhengSouAnalysis

/// For every token, normalizing the ORIGINAL bytes it points at gives exactly its term: offsets are
/// usable for highlighting whatever normalization did (full width, Traditional, case). The one
/// exception is a token cut out of a single code point's expansion (see below).
struct OffsetPropertyTests {
  /// Real sentences in the styles the index sees: news, policy text, Traditional, full width, mixed.
  static let sentences = [
    "中共中央总书记、国家主席、中央军委主席胡锦涛《在庆祝香港回归祖国15周年大会暨香港特别行政区第四届政府就职典礼上的讲话》单行本，已由人民出版社出版。",
    "国家统计局18日发布数据，2024年一季度国内生产总值（GDP）同比增长5.3%，比上年四季度环比增长1.6%。",
    "全年财政收入达到１７３６亿元，比上年增长１２．５％，其中中央财政收入８５８２亿元。",
    "國務院辦公廳關於進一步優化營商環境降低市場主體制度性交易成本的意見",
    "為貫徹落實黨中央、國務院決策部署，現就有關事項通知如下：一、總體要求。",
    "ＡＩ、ＩｏＴ和５Ｇ等新技術加速發展，Ｗｉ－Ｆｉ覆蓋率達到９８．６％。",
    "新华社北京3月5日电 第十四届全国人民代表大会第二次会议5日上午在人民大会堂开幕。",
    "二○○一年新年贺词（二○○○年十二月三十一日）（附图片1张）",
    "Apple's iPhone 15 Pro and Google Pixel 8 shipped 1,234,567 units — up 12% YoY 😀👍🏽!",
    "日本語のテキストも混ざる：東京都は2024年に新しい政策を発表した。",
    "单价为¥12.50元/千克，约合$1.75美元；温度为−5℃～３０℃。",
    "《中华人民共和国民法典》第一千零六十二条规定，夫妻在婚姻关系存续期间所得的工资、奖金归共同所有。",
  ]

  @Test(arguments: sentences)
  func originalSubstringNormalizesToTerm(_ sentence: String) throws {
    let segmenter = try Segmenter()
    let buffer = segmenter.segment(sentence)
    let bytes = Array(sentence.utf8)
    #expect(buffer.count > 0)
    func term(_ i: Int) -> String {
      let t = buffer.termString(i)
      return buffer.tokens[i].kind == .gram ? String(t.dropFirst()) : t
    }
    for i in 0..<buffer.count {
      let token = buffer.tokens[i]
      let original = String(decoding: bytes[Int(token.start)..<Int(token.end)], as: UTF8.self)
      let normalized = segmenter.normalize(original)
      if original.unicodeScalars.count == 1 && normalized.unicodeScalars.count > 1 {
        // Documented exception: a token made of part of one code point's expansion (℃ → °c gives
        // the letter token "c") points at that whole code point.
        #expect(normalized.contains(term(i)), "token \(i) \(original)")
      } else {
        #expect(normalized == term(i), "token \(i) \(original)")
      }
    }
  }

  @Test(arguments: sentences)
  func positionsAreCharacterOffsetsIntoTheNormalizedText(_ sentence: String) throws {
    let segmenter = try Segmenter()
    let buffer = segmenter.segment(sentence)
    let bytes = Array(sentence.utf8)
    var previousPrimary: Int32 = -1
    var primaryTerm = ""
    for (i, token) in buffer.tokens.enumerated() {
      // Normalization is per code point, so the normalized prefix before the token's first
      // original byte is exactly where its characters start (except inside one code point's
      // expansion, ℃ → °c, whose later pieces point at the whole code point).
      let prefix = segmenter.normalize(String(decoding: bytes[..<Int(token.start)], as: UTF8.self))
      let whole = segmenter.normalize(String(decoding: bytes[..<Int(token.end)], as: UTF8.self))
      #expect(Int(token.position) >= prefix.utf16.count && Int(token.position) < whole.utf16.count, "token \(i)")
      if token.isAlternative && token.kind == .ideographic {
        // A sub-word: a shorter word inside the primary word before it, at its own offset there.
        let term = buffer.termString(i)
        let offset = Int(token.position - previousPrimary)
        let inside = Array(primaryTerm.utf16)
        #expect(offset >= 0 && term.utf16.count < inside.count && offset + term.utf16.count <= inside.count, "token \(i)")
        if offset >= 0 && offset + term.utf16.count <= inside.count {
          #expect(Array(inside[offset..<(offset + term.utf16.count)]) == Array(term.utf16), "token \(i)")
        }
      } else if token.isAlternative && token.kind != .gram {
        #expect(i > 0 && buffer.tokens[i - 1].position == token.position)
      } else if !token.isAlternative {
        #expect(token.position > previousPrimary, "primary positions increase")
        previousPrimary = token.position
        primaryTerm = buffer.termString(i)
      }
      #expect(token.start < token.end)
    }
  }

  @Test(arguments: sentences)
  func surfaceSegmentsCoverTheTextWithoutWhitespace(_ sentence: String) throws {
    let segmenter = try Segmenter()
    let bytes = Array(sentence.utf8)
    let ranges = segmenter.surfaceSegments(sentence)
    var covered = ""
    var previousEnd = 0
    for range in ranges {
      #expect(range.lowerBound >= previousEnd && !range.isEmpty)
      previousEnd = range.upperBound
      covered += String(decoding: bytes[range], as: UTF8.self)
    }
    #expect(covered == sentence.filter { !$0.isWhitespace })
  }
}
