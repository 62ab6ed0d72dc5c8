import Foundation
import Testing
import ZhengSou
import ZhengSouAnalysis
import ZhengSouIndex
import ZhengSouTestSupport

/// The derived `lead` field holds the words of the body's start, not its grams: each of its terms
/// is a word the segmenter cut there (a two-character word as its bigram, the term queries score
/// it through), counted as often as it was cut.
struct LeadFieldTests {
  static let bodies = [
    "中国农业发展银行支持春耕生产，农业贷款增长明显。",
    "十四五规划提出，GDP年均增长保持在合理区间，两会代表热议。",
    "国务院常务会议部署稳就业举措，推动中国家庭服务业发展。",
  ]

  /// Builds an index of `bodies` (title and body) and returns its reader.
  static func build(_ bodies: [String], name: String) throws -> IndexReader {
    let dir = makeTemporaryDirectory(name)
    let input = dir.appendingPathComponent("docs.jsonl")
    let lines = try bodies.enumerated().map { d, body in
      String(decoding: try JSONSerialization.data(withJSONObject: ["id": "d\(d)", "title": "标题", "body": body]), as: UTF8.self)
    }
    try lines.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
    let output = dir.appendingPathComponent("lead.zsx").path
    var options = IndexBuildOptions()
    options.fields = ["title", "body"]
    _ = try IndexingPipeline.build(paths: [input.path], output: output, options: options)
    return try IndexReader(path: output)
  }

  /// The term frequency of `term` in `field` for each document that holds it.
  static func frequencies(_ reader: IndexReader, _ term: [UInt8], field: Int) throws -> [UInt32: UInt32] {
    guard let info = try reader.lookup(term)?[field] else { return [:] }
    let c = reader.cursor(info)
    var out: [UInt32: UInt32] = [:]
    while c.doc != PostingsCursor.exhausted {
      out[c.doc] = c.freq
      c.next()
    }
    #expect(c.failure == nil)
    return out
  }

  /// Bodies shorter than the lead (200 characters) are leads whole: the lead's lists are exactly
  /// the body's words, per document and with their counts; no list of it is a gram's alone.
  @Test func theLeadHoldsTheBodysWordsAndNoGrams() throws {
    let reader = try Self.build(Self.bodies, name: "lead-words")
    let lead = try #require(reader.fieldNames.firstIndex(of: "lead"))
    let body = try #require(reader.fieldNames.firstIndex(of: "body"))
    let segmenter = try Segmenter()
    // term → doc → count, from the segmenter's words (a two-character word as its bigram).
    var expected: [[UInt8]: [UInt32: UInt32]] = [:]
    for (d, text) in Self.bodies.enumerated() {
      let buffer = segmenter.segment(text)
      for (i, t) in buffer.tokens.enumerated() where t.kind != .gram {
        var term = buffer.withTermBytes(i) { Array($0) }
        if term.withUnsafeBytes({ Segmenter.isBigramWord($0) }) { term = [Segmenter.gramPrefix] + term }
        expected[term, default: [:]][UInt32(d), default: 0] += 1
      }
    }
    #expect(expected.count > 20)
    for (term, docs) in expected {
      #expect(try Self.frequencies(reader, term, field: lead) == docs, "\(String(decoding: term, as: UTF8.self))")
    }
    var leadTerms = 0, bodyOnlyGrams = 0
    try reader.dictionary.forEachTerm { term, infos in
      if infos[lead] != nil {
        leadTerms += 1
        #expect(expected[Array(term)] != nil, "the lead holds \(String(decoding: term, as: UTF8.self)), which is no word of the body")
      } else if infos[body] != nil && term.first == Segmenter.gramPrefix {
        bodyOnlyGrams += 1
      }
      return true
    }
    #expect(leadTerms == expected.count)
    #expect(bodyOnlyGrams > 10, "grams such as 业发 are the body's only")
    // A bigram that is a word in one place and spans two words in another: the lead counts the word.
    let guojia = [Segmenter.gramPrefix] + Array("国家".utf8)
    let bodyCounts = try Self.frequencies(reader, guojia, field: body)
    #expect(bodyCounts[2] == 1, "中国家庭 holds the bigram 国家")
    #expect(try Self.frequencies(reader, guojia, field: lead)[2] == nil, "but not the word")
  }

  /// In a long body only the words that start in its first 200 characters are the lead's.
  @Test func theLeadEndsAfterTwoHundredCharacters() throws {
    let filler = String(repeating: "经济运行总体平稳。", count: 30)  // 270 characters
    let reader = try Self.build(["春耕生产" + filler + "保障粮食安全"], name: "lead-end")
    let lead = try #require(reader.fieldNames.firstIndex(of: "lead"))
    let body = try #require(reader.fieldNames.firstIndex(of: "body"))
    let gram = { (word: String) in [Segmenter.gramPrefix] + Array(word.utf8) }
    #expect(try Self.frequencies(reader, gram("春耕"), field: lead) == [0: 1])
    #expect(try Self.frequencies(reader, gram("粮食"), field: body) == [0: 1])
    #expect(try Self.frequencies(reader, gram("粮食"), field: lead).isEmpty)
    // 经济 repeats every nine characters: (200 − 4) / 9 of them start in the lead.
    #expect(try Self.frequencies(reader, gram("经济"), field: lead) == [0: 22])
  }

  /// The lead weighs in for text typed as one piece of five or more grams, not for the same words
  /// typed apart: their scores equal those of a search that gives the lead no weight.
  @Test func theLeadCountsForTextTypedAsOnePiece() throws {
    let index = try SearchIndex(path: try Self.build(Self.bodies, name: "lead-active").path)
    var noLead = SearchOptions()
    noLead.fieldWeights["lead"] = 0
    let together = "中国农业发展银行"  // seven grams
    let apart = "中国农业 发展银行"  // three and three
    #expect(try index.parse(together).longestChunkGrams >= SearchOptions().leadMinimumQueryGrams)
    #expect(try index.parse(apart).gramTerms.count >= SearchOptions().leadMinimumQueryGrams, "as many grams in all")
    let withLead = try index.searchOrdinals(together).hits.map(\.score)
    let withoutLead = try index.searchOrdinals(together, options: noLead).hits.map(\.score)
    #expect(!withLead.isEmpty && withLead != withoutLead)
    let apartHits = try index.searchOrdinals(apart).hits
    let apartWithoutLead = try index.searchOrdinals(apart, options: noLead).hits
    #expect(!apartHits.isEmpty && apartHits == apartWithoutLead)
  }
}
