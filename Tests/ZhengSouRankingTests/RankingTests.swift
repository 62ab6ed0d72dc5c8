import Foundation
import Testing
import ZhengSouRanking

@Suite struct RankingTests {
  /// Values computed independently from Lucene's SmallFloat.intToByte4/byte4ToInt definitions.
  @Test(arguments: [(0, 0, 0), (1, 1, 1), (23, 23, 23), (24, 24, 24), (40, 40, 40), (100, 57, 96), (1000, 87, 984), (100_000, 140, 98328)])
  func fieldNormsFollowLucene(length: Int, code: Int, decoded: Int) {
    #expect(FieldNorm.encode(length: length) == UInt8(code))
    #expect(FieldNorm.decode(UInt8(code)) == decoded)
  }

  @Test func fieldNormCodesAreMonotonicAndDecodeBelowTheLength() {
    var previous: UInt8 = 0
    for n in stride(from: 0, to: 3_000_000, by: 997) {
      let c = FieldNorm.encode(length: n)
      #expect(c >= previous)
      #expect(FieldNorm.decode(c) <= n)
      previous = c
    }
    #expect(FieldNorm.decode(255) == 2_013_265_944)
    #expect(FieldNorm.encode(length: Int.max) == 255)
  }

  @Test func idfIsLucenes() {
    #expect(abs(BM25.idf(docFrequency: 1, documentCount: 10) - log(1 + 9.5 / 1.5)) < 1e-12)
    #expect(BM25.idf(docFrequency: 10, documentCount: 10) > 0, "never negative, even for a term in every document")
    #expect(BM25.idf(docFrequency: 1, documentCount: 100) > BM25.idf(docFrequency: 2, documentCount: 100))
  }

  @Test func scoreSaturatesWithFrequencyAndFallsWithLength() {
    func s(_ tf: Int, _ len: Int) -> Double {
      BM25.score(termFrequency: tf, fieldLength: len, averageFieldLength: 10, docFrequency: 3, documentCount: 100)
    }
    #expect(s(2, 10) > s(1, 10))
    #expect(s(2, 10) - s(1, 10) > s(20, 10) - s(19, 10))
    #expect(s(1, 5) > s(1, 50))
    // tf = 1 at average length scores exactly idf (the (k1 + 1) factor's purpose).
    #expect(abs(s(1, 10) - BM25.idf(docFrequency: 3, documentCount: 100)) < 1e-12)
    let table = LengthNormTable(parameters: .default, averageFieldLength: 10)
    #expect(abs(table[FieldNorm.encode(length: 10)] - 1.2) < 1e-12)
  }

  /// Block-max pruning bounds a block's scores with its smallest norm code, which is sound only if
  /// the length part never falls as the code grows: decoded lengths increase with the code, and
  /// `lowerBounds` (the suffix minimum used for bounds) is the table itself for b in 0…1.
  @Test func lengthPartGrowsWithTheNormCode() {
    #expect(zip(FieldNorm.decodedLengths, FieldNorm.decodedLengths.dropFirst()).allSatisfy { $0 < $1 })
    for b in [0.0, 0.3, 0.75, 1.0] {
      let table = LengthNormTable(parameters: BM25Parameters(k1: 1.2, b: b), averageFieldLength: 37.5)
      #expect(table.lowerBounds == table.values)
    }
    // b > 1 makes short fields' length part negative but still increasing; a negative k1 reverses it.
    let reversed = LengthNormTable(parameters: BM25Parameters(k1: -1, b: 0.75), averageFieldLength: 10)
    #expect(reversed.lowerBounds.allSatisfy { $0 == reversed.values[255] })
  }
}
