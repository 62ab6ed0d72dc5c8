import Testing
@testable import ZhengSouAnalysis

/// CJK grams: every bigram of a run plus the unigram of its last character, at character positions,
/// in their own term namespace.
struct GramTests {
  func grams(_ text: String) throws -> [String] {
    let buffer = try Segmenter().segment(text)
    return (0..<buffer.count).filter { buffer.tokens[$0].kind == .gram }.map {
      let t = buffer.termString($0)
      #expect(t.utf8.first == Segmenter.gramPrefix)
      #expect(buffer.tokens[$0].isAlternative)
      return "\(t.dropFirst())@\(buffer.tokens[$0].position)"
    }
  }

  @Test func everyBigramOfARunAndTheLastCharacter() throws {
    #expect(try grams("中国农业") == ["中国@0", "国农@1", "农业@2", "业@3"])
  }

  @Test func runsEndAtNonCJKAndOneCharacterRunsAreUnigrams() throws {
    #expect(try grams("发展，GDP增长5%年") == ["发展@0", "展@1", "增长@6", "长@7", "年@10"])
    #expect(try grams("國務院") == ["国务@0", "务院@1", "院@2"], "grams are normalized like words")
    #expect(try grams("二〇三五年") == ["二〇@0", "〇三@1", "三五@2", "五年@3", "年@4"])
  }

  @Test func supplementaryIdeographsAreWholeCharacters() throws {
    #expect(try grams("𠀀中") == ["𠀀中@0", "中@2"])
  }

  @Test func gramsAreSortedInAmongWordsByPosition() throws {
    let buffer = try Segmenter().segment("我们的中国农业发展银行")
    let positions = buffer.tokens.map(\.position)
    #expect(positions == positions.sorted())
  }

  @Test func aBigramIsNotTheWordSpelledTheSame() throws {
    let buffer = try Segmenter().segment("中国")
    let terms = (0..<buffer.count).map(buffer.termString)
    #expect(terms.contains("中国") && terms.contains("\u{1}中国"))
  }

  /// `gramCoveredLength` decodes gram characters itself; it must agree with a decode by the
  /// standard library on the edges of every gram range, on ill-formed UTF-8 (overlong forms,
  /// surrogates, stray or missing continuation bytes) and on random bytes.
  @Test func gramCoveredLengthAgreesWithStandardDecoding() {
    func reference(_ bytes: [UInt8]) -> Int {
      guard let first = bytes.first, first != Segmenter.gramPrefix else { return 0 }
      var it = bytes.makeIterator()
      var utf8 = Unicode.UTF8()
      var count = 0
      while true {
        switch utf8.decode(&it) {
        case .scalarValue(let scalar):
          guard Segmenter.isGramCharacter(scalar.value) else { return 0 }
          count += 1
        case .emptyInput: return count
        case .error: return 0
        }
      }
    }
    func length(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBytes { Segmenter.gramCoveredLength($0) } }
    let edges: [UInt32] = [
      0x41, 0x7FF, 0x3006, 0x3007, 0x3008, 0x33FF, 0x3400, 0x4DBF, 0x4DC0, 0x4DFF, 0x4E00, 0x9FFF, 0xA000, 0xF8FF,
      0xF900, 0xFAFF, 0xFB00, 0xFFFF, 0x1FFFF, 0x20000, 0x2A6D6, 0x2FFFF, 0x30000, 0x10FFFF,
    ]
    let pieces: [[UInt8]] =
      edges.map { Array(String(Character(Unicode.Scalar($0)!)).utf8) } + [
        [0xE0, 0x80, 0x87], [0xE0, 0x83, 0x87], [0xED, 0xA0, 0x80], [0xF0, 0x82, 0x80, 0x87], [0xF4, 0x90, 0x80, 0x80],
        [0xE4, 0xB8], [0xB8, 0xAD], [0xF0, 0xA0, 0x80], [0xC0, 0x80], [0xFF], [0x01], [0xE4, 0x3F, 0xAD],
        [0xF1, 0xA0, 0x80, 0x80], [0xF2, 0xA0, 0x80, 0x80], [0xF0, 0x85, 0x8C, 0x8E], [0xF0, 0x80, 0x80, 0x80],
      ]
    for a in pieces {
      #expect(length(a) == reference(a), "\(a)")
      for b in pieces { #expect(length(a + b) == reference(a + b), "\(a + b)") }
    }
    var rng = SystemRandomNumberGenerator()
    let likely: [UInt8] = [0xE3, 0xE4, 0xE9, 0xEF, 0xF0, 0xA0, 0x80, 0xAD, 0xBF, 0x3F, 0x01, 0xC2]
    for _ in 0..<20_000 {
      let bytes = (0..<Int.random(in: 1...9, using: &rng)).map { _ in
        Bool.random(using: &rng) ? likely.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
      }
      #expect(length(bytes) == reference(bytes), "\(bytes)")
    }
  }

  /// `isGramCoveredWord` (the index drops such words' positions) says yes exactly for the words
  /// whose every character starts a gram: what a phrase over the word is matched with.
  @Test func gramCoveredWordsAreExactlyTheWordsGramsSpell() throws {
    func covered(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { Segmenter.isGramCoveredWord($0) } }
    #expect(covered(Array("中国".utf8)) && covered(Array("二〇三五年".utf8)) && covered(Array("𠀀中".utf8)))
    #expect(!covered([]) && !covered(Array("\u{1}中国".utf8)) && !covered(Array("gdp".utf8)) && !covered(Array("2024年".utf8)))
    #expect(!covered(Array("5.4%".utf8)) && !covered(Array("ｶﾅ".utf8)) && !covered(Array("中国a".utf8)))
    #expect(!covered(Array("𰀀".utf8)), "plane 3 has no grams (Segmenter.cjkWidth)")
    #expect(!covered([0xE4, 0xB8]) && !covered([0xE4, 0xB8, 0xAD, 0xF0, 0xA0]), "truncated UTF-8")
    let segmenter = try Segmenter()
    let text = "2024年国内生产总值（GDP）增长5.2%。國務院关于二〇三五年远景目标𠀀中的纲要，AI和5G手机、中国农业发展银行"
    let buffer = segmenter.segment(text)
    let gramStarts = Set((0..<buffer.count).filter { buffer.tokens[$0].kind == .gram }.map { buffer.tokens[$0].position })
    var words = 0
    for i in 0..<buffer.count where buffer.tokens[i].kind != .gram {
      let term = buffer.termString(i)
      var spelled = true
      var position = buffer.tokens[i].position
      for scalar in term.unicodeScalars {
        spelled = spelled && gramStarts.contains(position)
        position += Int32(scalar.utf16.count)
      }
      #expect(covered(Array(term.utf8)) == spelled, "\(term)")
      words += 1
    }
    #expect(words > 15)
  }

  @Test func gramsCanBeTurnedOff() throws {
    #expect(try wordSegmenter().segment("中国农业").tokens.allSatisfy { $0.kind != .gram })
    #expect(try wordSegmenter().identity != (try Segmenter().identity))
  }
}
