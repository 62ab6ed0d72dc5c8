import ZhengSouAnalysis
import ZhengSouFormat
import ZhengSouIndex

/// Generates a reproducible latency query set from an index's own vocabulary: 1-, 2- and 3-word
/// queries from each document-frequency band, and quoted phrases from its stored text.
///
/// Why by bands: a search's cost follows the length of the postings lists it reads, so one blended
/// p50 hides that rare terms are nearly free and frequent ones are what pruning must speed up.
/// The bands are fractions of the documents, so they mean the same on 93 and on 75,000 documents:
///
/// - **rare**: df ≤ 0.1 % of the documents (at least df 1 on a small index),
/// - **medium**: above rare, up to 5 %,
/// - **frequent**: df > 5 % of the documents.
///
/// A term's df is its largest per-field document frequency (the derived `lead` is part of the
/// body and left out). Only words made of two or more CJK ideographs qualify: the queries people
/// type here. Numbers, Latin words and grams are left out, except that a bigram that spells a
/// dictionary word (`Segmenter.isDictionaryWord`) is that word: with grams the index keeps no
/// list of its own for a two-character word (`Segmenter.isBigramWord`). Multi-word
/// queries draw their words independently from one band (queries are OR-ed, so the words need
/// not co-occur). Phrases are 4–8 consecutive ideographs of a random stored body, in quotes, so
/// each one matches at least the document it came from.
///
/// The same index, seed and count give the same queries, in the same order (`SplitMix64` over
/// the dictionary's byte order), on every machine.
public struct BenchmarkQueryGenerator: Sendable {
  public enum Band: String, CaseIterable, Sendable {
    case rare, medium, frequent
  }

  /// Upper df fraction of the rare band, and lower (exclusive) df fraction of the frequent band.
  public static let rareMaximumFraction = 0.001
  public static let frequentMinimumFraction = 0.05
  /// Word counts of the word classes, and the length range of phrases (in characters).
  public static let wordCounts = [1, 2, 3]
  public static let phraseLengths = 4...8

  /// The band of a term found in `documentFrequency` of `documents` documents.
  public static func band(documentFrequency df: Int, documents n: Int) -> Band {
    let rareLimit = Swift.max(1.0, rareMaximumFraction * Double(n))
    if Double(df) <= rareLimit { return .rare }
    return Double(df) > frequentMinimumFraction * Double(n) ? .frequent : .medium
  }

  /// The class label of a word query: `2-word/rare`.
  public static func className(words: Int, band: Band) -> String { "\(words)-word/\(band.rawValue)" }
  public static let phraseClass = "phrase"

  /// Eligible words per band, in dictionary (byte) order.
  public private(set) var vocabulary: [Band: [String]]
  private let reader: IndexReader

  /// Reads the whole term dictionary once (about a second on a 75,000-document index).
  /// `segmenter` is the index's: it says which bigrams are words.
  public init(reader: IndexReader, segmenter: Segmenter) throws {
    self.reader = reader
    let fields = reader.fieldNames.indices.filter { reader.fieldNames[$0] != "lead" }
    let n = reader.documentCount
    var vocabulary: [Band: [String]] = [.rare: [], .medium: [], .frequent: []]
    do {
      try reader.dictionary.forEachTerm { term, infos in
        let word: String
        if term.first == Segmenter.gramPrefix {
          guard let text = String(validating: term.dropFirst(), as: UTF8.self), text.unicodeScalars.count == 2,
            text.unicodeScalars.allSatisfy(Self.isIdeograph), segmenter.isDictionaryWord(text)
          else { return true }
          word = text
        } else {
          // ≥ 2 ideographs = ≥ 6 bytes. With grams no two-character word has a list of its own
          // (`SearchIndex` refuses the `grams/1` indexes that had them), so none is counted twice.
          guard term.count >= 6, let text = String(validating: term, as: UTF8.self),
            text.unicodeScalars.allSatisfy(Self.isIdeograph)
          else { return true }
          word = text
        }
        let df = fields.map { infos[$0]?.docFrequency ?? 0 }.max() ?? 0
        guard df > 0 else { return true }
        vocabulary[Self.band(documentFrequency: df, documents: n)]!.append(word)
        return true
      }
    } catch let e as IndexError {
      throw ZhengSouError.index(e)
    } catch {
      throw ZhengSouError.index(.format(path: reader.path, error as? FormatError ?? .corrupt(region: "section TDIC", offset: 0, reason: "\(error)")))
    }
    // Bigram words came first (the 0x01 namespace sorts first): back into byte order.
    self.vocabulary = vocabulary.mapValues { $0.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
  }

  /// `perClass` queries of every class (1-, 2-, 3-word × rare, medium, frequent, and phrases),
  /// interleaved class by class so that no class runs only on a warm or a cold cache. A class
  /// whose band has too few words, or an index without stored CJK text for phrases, yields fewer.
  public func generate(perClass: Int, seed: UInt64) throws -> [BenchmarkQuery] {
    var rng = SplitMix64(seed: seed)
    var out: [BenchmarkQuery] = []
    for _ in 0..<Swift.max(0, perClass) {
      for words in Self.wordCounts {
        for band in Band.allCases {
          let pool = vocabulary[band]!
          guard pool.count >= words else { continue }
          var picked: [Int] = []
          while picked.count < words {
            let i = rng.below(pool.count)
            if !picked.contains(i) { picked.append(i) }
          }
          out.append(BenchmarkQuery(text: picked.map { pool[$0] }.joined(separator: " "), queryClass: Self.className(words: words, band: band)))
        }
      }
      if let phrase = try samplePhrase(&rng) {
        out.append(BenchmarkQuery(text: "\"\(phrase)\"", queryClass: Self.phraseClass))
      }
    }
    return out
  }

  /// A run of 4–8 ideographs from a random document's stored body (nil after 100 misses).
  private func samplePhrase(_ rng: inout SplitMix64) throws -> String? {
    let n = reader.documentCount
    guard n > 0 else { return nil }
    for _ in 0..<100 {
      let body: [Unicode.Scalar]
      do { body = Array(try reader.document(rng.below(n)).body.unicodeScalars) } catch { throw ZhengSouError.index(error) }
      let length = Self.phraseLengths.lowerBound + rng.below(Self.phraseLengths.count)
      guard body.count >= length else { continue }
      let start = rng.below(body.count - length + 1)
      let slice = body[start..<(start + length)]
      guard slice.allSatisfy(Self.isIdeograph) else { continue }
      var s = ""
      s.unicodeScalars.append(contentsOf: slice)
      return s
    }
    return nil
  }

  /// CJK unified ideographs (the BMP blocks, compatibility ideographs, and extensions B–H).
  static func isIdeograph(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x323AF: return true
    default: return false
    }
  }
}
