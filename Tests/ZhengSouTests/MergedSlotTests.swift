import Testing
@testable import ZhengSou
@testable import ZhengSouQuery
import ZhengSouTestSupport

/// A quoted phrase that ends in a lone CJK character ("年", "2024年", "5G网") matches that
/// character's unigram or any bigram it starts: one slot of many lists, which the searcher merges
/// into one list first (`IndexReader.unionCursor`). Over the bundled Corpus, merged and unmerged
/// slots must give the same hits with the same scores and the same match counts, pruned and
/// exhaustive.
@Suite struct MergedSlotTests {
  @Test func mergedSlotsEqualUnmergedOnCorpusPhrases() throws {
    let path = try CorpusFixture.path()
    let merged = try SearchIndex(path: path)
    let unmerged = try SearchIndex(path: path)
    unmerged.searcher.unionMinimum = .max
    var rng = ZhengSouTestSupport.SplitMix64(seed: 404)
    func random(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    func isHan(_ c: Character) -> Bool { c.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) } }
    func isLatinOrDigit(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
    // From the stored texts: single Han characters, and ASCII letters or digits followed by one
    // Han character (2024年, 5G网).
    var singles: [String] = [], mixed: [String] = []
    let reader = merged.reader
    for _ in 0..<200 {
      let doc = try reader.document(random(reader.documentCount))
      let text = Array(doc.title + "\n" + doc.body.prefix(3000))
      for (i, c) in text.enumerated() where isHan(c) {
        if random(40) == 0 { singles.append(String(c)) }
        var j = i
        while j > 0 && isLatinOrDigit(text[j - 1]) && i - j < 6 { j -= 1 }
        if j < i && random(4) == 0 { mixed.append(String(text[j...i])) }
      }
    }
    #expect(singles.count > 100 && mixed.count > 100)
    var queries = 0
    for q in 0..<400 {
      var text = "\"\(q % 2 == 0 ? singles[random(singles.count)] : mixed[random(mixed.count)])\""
      // Some with an optional word beside the phrase, some with two phrases.
      if q % 5 == 1 { text += " " + singles[random(singles.count)] + singles[random(singles.count)] }
      if q % 7 == 3 { text += " \"\(mixed[random(mixed.count)])\"" }
      for exhaustive in [false, true] {
        var options = SearchOptions(limit: [1, 10, 50][random(3)])
        options.exhaustive = exhaustive
        let a = try merged.searchOrdinals(text, options: options)
        let b = try unmerged.searchOrdinals(text, options: options)
        #expect(a.hits == b.hits, "\(text), k = \(options.limit), exhaustive \(exhaustive)")
        if exhaustive { #expect(a.matches == b.matches && a.matches.isExact, "\(text)") }
      }
      queries += 1
    }
    #expect(queries == 400)
    #expect(merged.searcher.mergedSlots > 400, "slots were merged")
    #expect(unmerged.searcher.mergedSlots == 0)
  }
}
