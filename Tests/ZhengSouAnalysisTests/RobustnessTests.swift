import Testing
import ZhengSouTestSupport
import ZhengSouAnalysis

/// Inputs that must never trap and still give sane tokens.
struct RobustnessTests {
  /// Checks invariants every buffer must satisfy for input of `length` bytes.
  func checkInvariants(_ buffer: TokenBuffer, length: Int) {
    for (i, token) in buffer.tokens.enumerated() {
      #expect(token.start >= 0 && token.start < token.end && Int(token.end) <= length)
      #expect(token.termLength > 0)
      #expect(Int(token.termOffset) + Int(token.termLength) <= buffer.termBytes.count)
      buffer.withTermBytes(i) { bytes in
        #expect(String(validating: bytes, as: UTF8.self) != nil, "term \(i) is not valid UTF-8")
      }
    }
  }

  func segment(bytes: [UInt8], with segmenter: Segmenter) -> TokenBuffer {
    var buffer = TokenBuffer()
    bytes.withUnsafeBytes { segmenter.segment($0, into: &buffer) }
    return buffer
  }

  @Test func emptyAndPunctuationOnlyGiveNoTokens() throws {
    let segmenter = try Segmenter()
    #expect(segmenter.segment("").count == 0)
    #expect(segmenter.segment("，。！？、；：“”‘’（）《》——……").count == 0)
    #expect(segmenter.segment("   \n\t").count == 0)
    #expect(segmenter.surfaceSegments("").isEmpty)
    var buffer = TokenBuffer()
    segmenter.segment(UnsafeRawBufferPointer(start: nil, count: 0), into: &buffer)
    #expect(buffer.count == 0)
  }

  @Test func invalidUTF8IsDroppedWithoutTrapping() throws {
    let segmenter = try Segmenter()
    let cases: [[UInt8]] = [
      [0x80], [0xBF, 0x80], [0xC0, 0x80], [0xC1, 0xBF],  // stray continuations, overlong
      [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],  // overlong, surrogates
      [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF, 0xFE],  // > U+10FFFF, invalid leads
      [0xE4, 0xB8], [0xF0, 0x9F, 0x98],  // truncated at end
    ]
    for bad in cases {
      let bytes = Array("中国".utf8) + bad + Array("ABC".utf8) + bad
      let buffer = segment(bytes: bytes, with: segmenter)
      checkInvariants(buffer, length: bytes.count)
      let words = (0..<buffer.count).filter { buffer.tokens[$0].kind != .gram }.map(buffer.termString)
      #expect(words == ["中国", "abc"], "\(bad)")
    }
  }

  @Test func randomBytesNeverTrap() throws {
    let segmenter = try Segmenter()
    var generator = SplitMix64(seed: 42)
    let alphabet = Array("中文字符ＡＢ１２國務０.,%年亿元 \n".utf8)
    for round in 0..<300 {
      let count = Int(generator.next() % 200)
      let bytes = (0..<count).map { _ -> UInt8 in
        let r = generator.next()
        return r % 3 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : alphabet[Int((r >> 8) % UInt64(alphabet.count))]
      }
      let buffer = segment(bytes: bytes, with: segmenter)
      checkInvariants(buffer, length: bytes.count)
      _ = segmenter.surfaceSegments(String(decoding: bytes, as: UTF8.self))
      if round == 0 { #expect(buffer.count >= 0) }
    }
  }

  @Test func emojiAndSupplementaryCharacters() throws {
    let segmenter = try Segmenter()
    let text = "😀👍🏽🇨🇳中国𠀀𪚥👨‍👩‍👧"
    let buffer = segmenter.segment(text)
    checkInvariants(buffer, length: text.utf8.count)
    let terms = (0..<buffer.count).map(buffer.termString)
    #expect(terms.contains("中国"))
    #expect(terms.contains("𠀀") || terms.contains("𠀀𪚥"))
    #expect(!terms.contains { $0.unicodeScalars.contains { $0.properties.isEmojiPresentation } })
  }

  @Test func severalMegabytesInOneCall() throws {
    let segmenter = try Segmenter()
    let sentence = "国务院关于2024年经济工作的通知：GDP增长5.2%，收入1,736亿元。"
    let text = String(repeating: sentence, count: 40_000)  // ~3.5 MB
    let perSentence = segmenter.segment(sentence)
    let buffer = segmenter.segment(text)
    #expect(text.utf8.count > 3_000_000)
    #expect(buffer.count == perSentence.count * 40_000)
    let last = buffer.tokens.last { !$0.isAlternative }!
    #expect(Int(last.end) == text.utf8.count - "。".utf8.count)
    // Positions are character offsets: the last copy starts 39,999 sentence lengths in.
    let single = perSentence.tokens.last { !$0.isAlternative }!.position
    #expect(Int(last.position) == 39_999 * sentence.utf16.count + Int(single))
  }

  @Test func bufferReuseAppendsAndRemoveAllKeepsCapacity() throws {
    let segmenter = try Segmenter()
    var buffer = TokenBuffer()
    let bytes = Array("中国人民".utf8)
    bytes.withUnsafeBytes { segmenter.segment($0, into: &buffer) }
    let once = buffer.count
    bytes.withUnsafeBytes { segmenter.segment($0, into: &buffer) }
    #expect(buffer.count == 2 * once)
    #expect(buffer.termString(once) == buffer.termString(0))
    let capacity = buffer.tokens.capacity
    buffer.removeAll()
    #expect(buffer.count == 0 && buffer.termBytes.isEmpty && buffer.tokens.capacity == capacity)
  }

  /// A `TokenBuffer` is a value: its term bytes live in a raw arena that a copy shares until one
  /// of them is written (`removeAll`, or segmenting into it), which then gets bytes of its own.
  @Test func copiesOfABufferKeepTheirTerms() throws {
    let segmenter = try Segmenter()
    var buffer = TokenBuffer()
    Array("中国农业发展银行".utf8).withUnsafeBytes { segmenter.segment($0, into: &buffer) }
    let copy = buffer
    let terms = (0..<copy.count).map { copy.termString($0) }
    // Long enough that the arena grows (a new allocation) while the copy still holds the old one.
    let long = Array(String(repeating: "全面推进乡村振兴，", count: 400).utf8)
    long.withUnsafeBytes { segmenter.segment($0, into: &buffer) }
    #expect((0..<copy.count).map { copy.termString($0) } == terms)
    #expect(buffer.count > copy.count && (0..<copy.count).map { buffer.termString($0) } == terms)
    var emptied = copy
    emptied.removeAll()
    Array("西湖".utf8).withUnsafeBytes { segmenter.segment($0, into: &emptied) }
    #expect((0..<copy.count).map { copy.termString($0) } == terms)
    #expect(emptied.termString(0) == "西湖" || emptied.termString(0) == "\u{1}西湖")
    copy.withTermArena { #expect($0.count == copy.termBytes.count) }
  }

  @Test func identityNamesVersionsAndOptions() throws {
    let identity = try Segmenter().identity
    #expect(identity.hasPrefix("zhengsou-segmenter/5 icu/"))
    #expect(identity.contains(" unicode/") && identity.contains("nfkc_cf t2s/1 lex/1 numunits/1 latinplus/1 subwords/1 grams/2"))
    var options = SegmenterOptions()
    options.traditionalToSimplified = false
    #expect(try Segmenter(options: options).identity != identity)
    #expect(try Segmenter(options: options).normalize("國務院") == "國務院")
  }

  @Test func rawBreakerCountsBoundaries() throws {
    let raw = try RawICUWordBreaker()
    let text = Array("中国人民 hello".utf8)
    let count = text.withUnsafeBytes { raw.countBoundaries($0) }
    #expect(count >= 4)
    #expect(raw.countBoundaries(UnsafeRawBufferPointer(start: nil, count: 0)) == 1)
  }
}

