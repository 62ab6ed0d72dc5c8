import Foundation
import Testing
import ZhengSouAnalysis

struct UserDictionaryTests {
  func words(_ segmenter: Segmenter, _ text: String) -> [String] {
    let buffer = segmenter.segment(text)
    return (0..<buffer.count).filter { !buffer.tokens[$0].isAlternative }.map { buffer.termString($0) }
  }

  func segmenter(_ dictionary: UserDictionary?) throws -> Segmenter {
    var options = SegmenterOptions()
    options.cjkGrams = false
    options.userDictionary = dictionary
    return try Segmenter(options: options)
  }

  @Test func parsesWordsWeightsAndComments() throws {
    let dictionary = try UserDictionary(text: """
      # 西湖区用语
      六六行动
      科教文创\t5   # trailing comment
        之江   2.5

      C#
      六六行动 3
      """)
    #expect(dictionary.entries.map(\.word) == ["c#".uppercased(), "之江", "六六行动", "科教文创"])
    #expect(dictionary.entries.map(\.weight) == [nil, 2.5, 3, 5])
  }

  @Test func serializedRoundTripsAndDigestIsStable() throws {
    let a = try UserDictionary(text: "科教文创 5\n六六行动\n")
    let b = try UserDictionary(text: "# same words, other order\n六六行动\n\n科教文创\t5.0\n")
    #expect(a == b)
    #expect(a.serialized == "六六行动\n科教文创\t5.0\n")
    #expect(try UserDictionary(text: a.serialized) == a)
    #expect(a.digest == b.digest)
    #expect(a.digest.count == 16)
    #expect(a.digest != (try UserDictionary(text: "六六行动\n")).digest)
  }

  @Test func errorsNameTheLine() throws {
    #expect(throws: UserDictionaryError(source: "<text>", line: 2, message: "bad weight \"abc\" (want a positive number)")) {
      try UserDictionary(text: "六六行动\n科教文创 abc\n")
    }
    #expect(throws: UserDictionaryError.self) { try UserDictionary(text: "科教文创 -1") }
    #expect(throws: UserDictionaryError.self) { try UserDictionary(text: "科教文创 nan") }
    do {
      _ = try UserDictionary(text: "a 1 2")
      Issue.record("three fields accepted")
    } catch let error as UserDictionaryError {
      #expect(error.line == 1)
    }
  }

  @Test func fileErrorsNameFileAndLine() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("zs-dict-\(getpid()).txt").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data([0xE5, 0x85, 0xAD, 0x0A, 0x41, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
    do {
      _ = try UserDictionary(contentsOf: path)
      Issue.record("invalid UTF-8 accepted")
    } catch let error as UserDictionaryError {
      #expect(error.description == "\(path):2: invalid UTF-8")
    }
    try Data("六六行动\n科教文创 5\n".utf8).write(to: URL(fileURLWithPath: path))
    #expect(try UserDictionary(contentsOf: path) == UserDictionary(text: "科教文创 5\n六六行动"))
    #expect(throws: UserDictionaryError.self) { try UserDictionary(contentsOf: path + ".missing") }
  }

  @Test func userWordsAreKeptWholeOnlyWithTheDictionary() throws {
    let plain = try segmenter(nil)
    let text = "在全面深化六六行动中打造科教文创高地"
    #expect(!words(plain, text).contains("六六行动"))
    #expect(!words(plain, text).contains("科教文创"))
    let dictionary = try UserDictionary(text: "六六行动\n科教文創\n")  // Traditional 創 is normalized too
    let custom = try segmenter(dictionary)
    let cut = words(custom, text)
    #expect(cut.contains("六六行动"))
    #expect(cut.contains("科教文创"))
    #expect(cut.joined() == text)
    // Queries go through the same segmenter: a query of the word is the word.
    #expect(words(custom, "六六行动") == ["六六行动"])
  }

  @Test func longerUserWordWins() throws {
    let custom = try segmenter(try UserDictionary(text: "甲乙\n乙丙丁\n"))
    #expect(words(custom, "甲乙丙丁") == ["甲", "乙丙丁"])
  }

  @Test func identityNamesTheDictionary() throws {
    let dictionary = try UserDictionary(text: "六六行动")
    let plain = try Segmenter().identity
    var options = SegmenterOptions()
    options.userDictionary = dictionary
    let custom = try Segmenter(options: options).identity
    #expect(custom == plain + " user/\(dictionary.digest)")
  }
}
