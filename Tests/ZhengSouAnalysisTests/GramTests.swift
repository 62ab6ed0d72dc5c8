import Testing
import ZhengSouAnalysis

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

  @Test func gramsCanBeTurnedOff() throws {
    #expect(try wordSegmenter().segment("中国农业").tokens.allSatisfy { $0.kind != .gram })
    #expect(try wordSegmenter().identity != (try Segmenter().identity))
  }
}
