import Foundation
import Testing
@testable import ZhengSouAnalysis

/// NFKC case folding + Traditional→Simplified, and the committed table against ICU.
struct NormalizationTests {
  @Test func foldsWidthCaseAndCompatibilityForms() throws {
    let segmenter = try Segmenter()
    #expect(segmenter.normalize("ＡＩ１９９８ GDP Ⅳ ﬁ ㎏") == "ai1998 gdp iv fi kg")
    #expect(segmenter.normalize("國務院關於") == "国务院关于")
    #expect(segmenter.normalize("\u{00AD}") == "")  // soft hyphen folds away
  }

  /// Composition across code points is deliberately not performed (see `CodePointNormalizer`).
  @Test func doesNotComposeAcrossCodePoints() throws {
    #expect(try Segmenter().normalize("e\u{0301}") == "e\u{0301}")
  }

  /// The fast path assumes NFKC_Casefold leaves CJK Unified Ideographs and Extension A alone.
  @Test func cjkFastPathMatchesICU() throws {
    var options = SegmenterOptions()
    options.traditionalToSimplified = false
    let normalizer = CodePointNormalizer(traditionalToSimplified: false)
    for value: UInt32 in Array(0x3400...0x4DBF) + Array(0x4E00...0x9FFF) {
      #expect(normalizer.icuReference(value) == [UInt16(value)], "U+\(String(value, radix: 16))")
    }
  }

  /// The lazily cached BMP path gives what ICU gives (then T→S), sampled across the BMP.
  @Test func bmpCacheMatchesICU() throws {
    let segmenter = try Segmenter()
    let reference = CodePointNormalizer(traditionalToSimplified: true)
    for value in stride(from: UInt32(0x80), through: 0xFFFD, by: 7) {
      guard let scalar = Unicode.Scalar(value) else { continue }
      let expected = String(decoding: reference.icuReference(value), as: UTF16.self)
      let simplified = String(String.UnicodeScalarView(expected.unicodeScalars.map {
        Unicode.Scalar(TraditionalToSimplifiedTable.shared.map($0.value))!
      }))
      #expect(segmenter.normalize(String(Character(scalar))) == simplified, "U+\(String(value, radix: 16))")
    }
  }

  /// The committed table equals ICU's "Traditional-Simplified" transliterator over every CJK block.
  @Test func committedTraditionalToSimplifiedTableEqualsICU() throws {
    let transliterator = try ICUTransliterator(id: "Traditional-Simplified")
    let generated = TraditionalToSimplifiedTable.generatePairs(using: transliterator)
    #expect(generated.oneToMany.isEmpty, "ICU maps some code points to several: \(generated.oneToMany)")
    let table = TraditionalToSimplifiedTable.shared
    let fresh = TraditionalToSimplifiedTable(pairs: generated.pairs)
    #expect(table.count == fresh.count)
    var mismatches: [String] = []
    for block in TraditionalToSimplifiedTable.cjkBlocks {
      for value in block where table.map(value) != fresh.map(value) {
        mismatches.append("U+\(String(value, radix: 16))")
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    #expect(table.map(0x570B) == 0x56FD)  // 國 → 国
    #expect(table.map(0x4E2D) == 0x4E2D)  // 中 unchanged
  }

  /// Set ZHENGSOU_REGENERATE_T2S=1 to rewrite `TraditionalToSimplifiedData.swift` from this ICU.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["ZHENGSOU_REGENERATE_T2S"] != nil))
  func regenerateTraditionalToSimplifiedData() throws {
    let transliterator = try ICUTransliterator(id: "Traditional-Simplified")
    let pairs = TraditionalToSimplifiedTable.generatePairs(using: transliterator).pairs
    let path = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Sources/ZhengSouAnalysis/TraditionalToSimplifiedData.swift")
    try TraditionalToSimplifiedTable.dataSource(pairs: pairs).write(to: path, atomically: true, encoding: .utf8)
  }
}
