import ZhengSouIndex
import ZhengSouQuery

/// Checks that searching finds literal Chinese text exactly: for CJK strings sampled from the
/// index's own stored documents, a phrase search must return exactly the documents whose normalized
/// field text contains the string (no more, no fewer), and a plain search must include them all.
///
/// The expected sets come from a direct scan of the stored texts, independent of the index's
/// postings: one pass over every field, looking up each 2–6 character window in a hash set of the
/// samples, so the cost does not grow with the number of samples.
public enum LiteralRecallCheck {
  public struct Failure: Sendable {
    public var text: String
    public var missing: [String]  // document ids the phrase search did not return
    public var extra: [String]  // document ids returned that do not contain the text
    public var plainMissing: [String]
  }

  public struct Report: Sendable {
    public var samples: Int
    /// Σ expected documents, Σ of them the phrase search found, Σ documents it returned.
    public var expected = 0
    public var phraseFound = 0
    public var phraseReturned = 0
    public var plainFound = 0
    public var failures: [Failure] = []
    public var phraseRecall: Double { expected == 0 ? 1 : Double(phraseFound) / Double(expected) }
    public var phrasePrecision: Double { phraseReturned == 0 ? 1 : Double(phraseFound) / Double(phraseReturned) }
    public var plainRecall: Double { expected == 0 ? 1 : Double(plainFound) / Double(expected) }
  }

  /// A sampled string as BMP code units (2–6 CJK characters).
  struct Key: Hashable {
    var high: UInt64
    var low: UInt32
    var count: UInt8
    init(_ units: ArraySlice<UInt16>) {
      var h: UInt64 = 0, l: UInt32 = 0
      for (k, u) in units.enumerated() {
        if k < 4 { h |= UInt64(u) << UInt64(16 * k) } else { l |= UInt32(u) << UInt32(16 * (k - 4)) }
      }
      high = h
      low = l
      count = UInt8(units.count)
    }
  }

  static func isCJK(_ u: UInt16) -> Bool { (0x3400...0x4DBF).contains(u) || (0x4E00...0x9FFF).contains(u) }

  public static func run(index: SearchIndex, samples count: Int, seed: UInt64, lengths: ClosedRange<Int> = 2...6) throws -> Report {
    let reader = index.reader
    guard index.storesText else {
      throw ZhengSouError.setup("\(reader.path) stores document ids only (built with --store ids): there is no text to sample strings from")
    }
    let fields = reader.fieldNames
    let n = reader.documentCount
    // Normalized texts of every indexed field of every document, as UTF-16 units.
    var texts: [[[UInt16]]] = []
    texts.reserveCapacity(n)
    try reader.forEachDocument { _, doc in
      // The lead is a prefix of the body: scanning the whole body finds the same documents.
      texts.append(fields.map { Array(index.segmenter.normalize(IndexBuildOptions.text(ofField: $0, title: doc.title, body: doc.body)).utf16) })
    }
    // Sample: a random document and field, a random start, a random length; all-CJK only.
    var rng = SplitMix64(seed: seed)
    var samples: [[UInt16]] = []
    var seen = Set<Key>()
    var attempts = 0
    while samples.count < count && attempts < count * 200 && n > 0 {
      attempts += 1
      let t = texts[Int(rng.next() % UInt64(n))][Int(rng.next() % UInt64(fields.count))]
      let length = lengths.lowerBound + Int(rng.next() % UInt64(lengths.count))
      guard t.count >= length else { continue }
      let start = Int(rng.next() % UInt64(t.count - length + 1))
      let s = Array(t[start..<(start + length)])
      guard s.allSatisfy(isCJK), seen.insert(Key(s[...])).inserted else { continue }
      samples.append(s)
    }
    // Expected: every document with a field containing a sample, found in one pass.
    let sampleIndex = Dictionary(uniqueKeysWithValues: samples.enumerated().map { (Key($1[...]), $0) })
    var expected = Array(repeating: Set<Int>(), count: samples.count)
    for d in 0..<n {
      for t in texts[d] {
        var i = 0
        while i < t.count {
          guard isCJK(t[i]) else {
            i += 1
            continue
          }
          for length in lengths where i + length <= t.count {
            if let s = sampleIndex[Key(t[i..<(i + length)])] { expected[s].insert(d) }
          }
          i += 1
        }
      }
    }
    texts = []
    var report = Report(samples: samples.count)
    func id(_ d: Int) throws -> String { try reader.documentID(d) }
    for (k, s) in samples.enumerated() {
      let text = String(decoding: s, as: UTF16.self)
      let all = SearchOptions(limit: max(1, n))
      let phrase = Set(try index.searchOrdinals("\"\(text)\"", options: all).hits.map(\.document))
      let plain = Set(try index.searchOrdinals(text, options: all).hits.map(\.document))
      let want = expected[k]
      report.expected += want.count
      report.phraseReturned += phrase.count
      report.phraseFound += want.intersection(phrase).count
      report.plainFound += want.intersection(plain).count
      if phrase != want || !want.isSubset(of: plain) {
        report.failures.append(Failure(
          text: text, missing: try want.subtracting(phrase).sorted().map(id), extra: try phrase.subtracting(want).sorted().map(id),
          plainMissing: try want.subtracting(plain).sorted().map(id)))
      }
    }
    return report
  }
}
