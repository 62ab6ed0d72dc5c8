import Testing
import ZhengSouAnalysis

/// The number rules documented on `NumberUnits`, one by one.
struct NumberRulesTests {
  /// Word-level terms (grams are off here: `GramTests` covers them).
  func terms(_ text: String, options: SegmenterOptions = .init()) throws -> [String] {
    var options = options
    options.cjkGrams = false
    let buffer = try Segmenter(options: options).segment(text)
    return (0..<buffer.count).map { (buffer.tokens[$0].isAlternative ? "+" : "") + buffer.termString($0) }
  }

  @Test func separatorsStayInsideNumbers() throws {
    #expect(try terms("1,736和5.4") == ["1,736", "和", "5.4"])
  }

  @Test func percentJoinsNumberAndBareNumberIsAlternative() throws {
    #expect(try terms("5.4%") == ["5.4%", "+5.4"])
    #expect(try terms("５．４％") == ["5.4%", "+5.4"])
    #expect(try terms("3‰") == ["3‰", "+3"])
  }

  @Test func percentMustBeAdjacent() throws {
    #expect(try terms("5 %") == ["5"])
  }

  @Test func compoundUnitsJoinWhetherIcuSplitsThemOrNot() throws {
    #expect(try terms("1736亿元") == ["1736亿元", "+1736"])
    #expect(try terms("3.5万亿元") == ["3.5万亿元", "+3.5"])
    #expect(try terms("100平方公里") == ["100平方公里", "+100"])
  }

  @Test func datesSplitIntoYearMonthDay() throws {
    #expect(try terms("2024年3月18日") == ["2024年", "+2024", "3月", "+3", "18日", "+18"])
  }

  @Test func nonUnitWordsAreNotMerged() throws {
    #expect(try terms("2024年会议") == ["2024年", "+2024", "会议"])
    #expect(try terms("5g手机") == ["5g", "手机"])
  }

  @Test func chineseNumeralsWithCircleZeroAreJoined() throws {
    #expect(try terms("二○○一年") == ["二○○一年", "+二○○一"])
  }

  @Test func mergingCanBeTurnedOff() throws {
    var options = SegmenterOptions()
    options.mergeNumberUnits = false
    #expect(try terms("2024年增长5.4%", options: options) == ["2024", "年", "增长", "5.4"])
  }

  @Test func alternativeSharesPositionAndHasItsOwnRange() throws {
    let buffer = try wordSegmenter().segment("在2024年")
    #expect(buffer.count == 3)
    let (primary, alternative) = (buffer.tokens[1], buffer.tokens[2])
    #expect(!primary.isAlternative && alternative.isAlternative)
    #expect(primary.position == 1 && alternative.position == 1)
    #expect(primary.start == 3 && primary.end == 10)
    #expect(alternative.start == 3 && alternative.end == 7)
    #expect(alternative.kind == .number && primary.kind == .number)
  }
}
