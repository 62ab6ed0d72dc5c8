/// Per-code-point Traditional → Simplified map (國 → 国, 務 → 务).
///
/// Why a table: ICU's "Traditional-Simplified" transliterator maps characters one to one but runs at
/// ~5 MB/s, so the mapping is derived from it ONCE (`generatePairs`), committed as data
/// (`TraditionalToSimplifiedData.pairs`) and looked up in O(1). A test checks that the committed data
/// still equals ICU's answer for every code point in the CJK blocks.
struct TraditionalToSimplifiedTable: Sendable {
  /// The committed table, parsed on first use.
  static let shared = TraditionalToSimplifiedTable(pairs: TraditionalToSimplifiedData.pairs)

  /// Identity except where a BMP code point has a Simplified form (which may itself be supplementary,
  /// in which case `supplementary` holds it).
  private var bmp: [UInt16]
  private var supplementary: [UInt32: UInt32]
  /// Number of mapped code points.
  private(set) var count: Int

  /// Parses pairs of scalars "TSTS…" (traditional then simplified); whitespace is ignored so the data
  /// can be wrapped over lines. A malformed trailing scalar is ignored.
  init(pairs: String) {
    bmp = (0...0xFFFF).map { UInt16($0) }
    supplementary = [:]
    count = 0
    var pending: UInt32?
    for scalar in pairs.unicodeScalars where !scalar.properties.isWhitespace {
      guard let from = pending else {
        pending = scalar.value
        continue
      }
      pending = nil
      let to = scalar.value
      if from <= 0xFFFF && to <= 0xFFFF {
        bmp[Int(from)] = UInt16(to)
      } else {
        supplementary[from] = to
      }
      count += 1
    }
  }

  /// The Simplified form of `codePoint`, or `codePoint` itself.
  @inline(__always)
  func map(_ codePoint: UInt32) -> UInt32 {
    if codePoint <= 0xFFFF {
      let mapped = UInt32(bmp[Int(codePoint)])
      if mapped != codePoint || supplementary.isEmpty { return mapped }
    }
    return supplementary[codePoint] ?? codePoint
  }

  /// Fast path for BMP input whose mapping is known to be BMP (true for every pair ICU produces today;
  /// callers fall back to `map` otherwise).
  @inline(__always)
  func mapBMP(_ unit: UInt16) -> UInt16 { bmp[Int(unit)] }

  /// Whether every mapping stays in the BMP, which lets the hot path use `mapBMP`.
  var isBMPOnly: Bool { supplementary.isEmpty }

  /// The blocks scanned when generating and verifying the table (Unicode 15.0 CJK blocks).
  static let cjkBlocks: [ClosedRange<UInt32>] = [
    0x2E80...0x2EFF,  // CJK Radicals Supplement
    0x2F00...0x2FDF,  // Kangxi Radicals
    0x3000...0x303F,  // CJK Symbols and Punctuation
    0x31C0...0x31EF,  // CJK Strokes
    0x3200...0x32FF,  // Enclosed CJK Letters and Months
    0x3300...0x33FF,  // CJK Compatibility
    0x3400...0x4DBF,  // Extension A
    0x4E00...0x9FFF,  // CJK Unified Ideographs
    0xF900...0xFAFF,  // CJK Compatibility Ideographs
    0xFE30...0xFE4F,  // CJK Compatibility Forms
    0x20000...0x2A6DF,  // Extension B
    0x2A700...0x2EBEF,  // Extensions C–F
    0x2F800...0x2FA1F,  // Compatibility Ideographs Supplement
    0x30000...0x323AF,  // Extensions G–H
  ]

  /// Regenerates the pairs from ICU: every code point in `cjkBlocks` that the transliterator maps to
  /// a single different scalar. `oneToMany` lists code points ICU maps to several scalars (none in
  /// ICU 72); the table cannot express those, and the verification test reports them.
  static func generatePairs(using transliterator: ICUTransliterator) -> (pairs: String, oneToMany: [UInt32]) {
    var pairs = String.UnicodeScalarView()
    var oneToMany: [UInt32] = []
    for block in cjkBlocks {
      for value in block {
        guard let scalar = Unicode.Scalar(value) else { continue }
        let input = String(Character(scalar))
        guard let output = transliterator.transliterate(input), output != input else { continue }
        let scalars = Array(output.unicodeScalars)
        if scalars.count == 1 {
          pairs.append(scalar)
          pairs.append(scalars[0])
        } else {
          oneToMany.append(value)
        }
      }
    }
    return (String(pairs), oneToMany)
  }

  /// Swift source for `TraditionalToSimplifiedData.swift`, wrapped at `pairsPerLine` pairs.
  static func dataSource(pairs: String, pairsPerLine: Int = 40) -> String {
    var lines: [String] = []
    var line = ""
    var n = 0
    var scalars = pairs.unicodeScalars.makeIterator()
    while let a = scalars.next(), let b = scalars.next() {
      line.unicodeScalars.append(a)
      line.unicodeScalars.append(b)
      n += 1
      if n % pairsPerLine == 0 {
        lines.append(line)
        line = ""
      }
    }
    if !line.isEmpty { lines.append(line) }
    return """
      // GENERATED from ICU \(ICU.versions.icu) "Traditional-Simplified" by
      // `ZHENGSOU_REGENERATE_T2S=1 swift test --filter ZhengSouAnalysisTests` (see TraditionalToSimplifiedTableTests).
      // Do not edit by hand; a test checks it against ICU.

      /// Traditional → Simplified pairs (traditional scalar, then simplified scalar), \(n) pairs.
      /// A string literal rather than an array literal because big array literals compile slowly.
      enum TraditionalToSimplifiedData {
        static let pairs = \"\"\"
      \(lines.map { "    " + $0 }.joined(separator: "\n"))
          \"\"\"
      }

      """
  }
}
