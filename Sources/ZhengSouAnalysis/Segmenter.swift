#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns text into index tokens: per-code-point normalization (`CodePointNormalizer`), ICU word
/// breaking over the normalized UTF-16 for everything but CJK ideographs, a lexicon Viterbi for runs
/// of CJK ideographs, then token rules (`NumberUnits`).
///
/// CJK runs: ICU sees the text with every CJK ideograph masked as U+3000 (so its rule-based pass
/// runs without the slow dictionary engine and breaks exactly where the runs start and end). Each
/// run is then cut by a unigram Viterbi over the words of `Lexicon.shared` (counts from the project's
/// corpora, see Tools/build_lexicon.py) and of the user dictionary, if any: the cut that maximizes the
/// sum of the words' log-probabilities, single characters the lexicon lacks scoring as count 0.5.
/// User words score far above any lexicon word, so they are always kept whole.
///
/// Which segments become tokens, by ICU rule status: ideographic and kana words → `.ideographic`;
/// letter words (already lower-cased; letters with digits such as `5g` stay one token as ICU gives
/// them, and `+` signs right after a letter word join it: `ai+`, `c++`) → `.letter`; numbers →
/// `.number`. Whitespace, punctuation, symbols and emoji are dropped.
/// With `cjkGrams`, every CJK run also yields `.gram` tokens (see `appendGrams`). Positions are
/// character offsets into the normalized text, shared by words and grams.
///
/// Limits: input beyond 1 GiB per call is ignored (offsets are `Int32`); a token cut out of one code
/// point's NFKC expansion (℃ → °c gives `c`) points at that whole code point.
///
/// Not thread-safe: one per thread (owns an ICU break iterator and scratch buffers, reused across
/// calls so that steady-state segmenting allocates nothing per token).
public final class Segmenter {
  public let options: SegmenterOptions
  /// Stable text stored in every index; a different value means the index must be rebuilt.
  public let identity: String

  private let breaker: ICUWordBreaker
  private let normalizer: CodePointNormalizer
  private let text = NormalizedText()
  private let lexicon: Lexicon
  /// The user dictionary's words (normalized), or nil.
  private let userLexicon: Lexicon?
  /// Segments after CJK refinement: what `walk` reads.
  private var boundaries: UnsafeMutablePointer<Int32>
  private var statuses: UnsafeMutablePointer<Int32>
  /// ICU's segments of the masked text, and the masked text itself.
  private var icuBoundaries: UnsafeMutablePointer<Int32>
  private var icuStatuses: UnsafeMutablePointer<Int32>
  private var masked: UnsafeMutablePointer<UInt16>
  /// Viterbi scratch, per unit of a CJK run: best score of the suffix, and the first word's length.
  private var best: UnsafeMutablePointer<Double>
  private var choice: UnsafeMutablePointer<Int32>
  private var boundaryCapacity: Int
  /// Number of segments found by the last `prepare`.
  private var segmentCount = 0

  /// Builds the shared lexicon table for `options` now (it is built once per process, on first
  /// use). A process that will segment soon can call this on another thread first, so that the
  /// table (about a third of a cold `zhengsou search`) is built while it parses arguments and
  /// opens the index; a segmenter made meanwhile waits for the same table.
  public static func prepareSharedData(for options: SegmenterOptions = .init()) {
    _ = Lexicon.shared(traditionalToSimplified: options.traditionalToSimplified)
  }

  public init(options: SegmenterOptions = .init()) throws {
    self.options = options
    breaker = try ICUWordBreaker(locale: "zh")
    let normalizer = CodePointNormalizer(traditionalToSimplified: options.traditionalToSimplified)
    self.normalizer = normalizer
    lexicon = Lexicon.shared(traditionalToSimplified: options.traditionalToSimplified)
    boundaryCapacity = 1024
    (boundaries, statuses, icuBoundaries, icuStatuses, masked, best, choice) = Self.scratch(capacity: boundaryCapacity)
    userLexicon = options.userDictionary.map { Self.userLexicon($0, normalizer: normalizer) }
    var parts = ["zhengsou-segmenter/5", "icu/\(ICU.versions.icu)", "unicode/\(ICU.versions.unicode)", "nfkc_cf"]
    if options.traditionalToSimplified { parts.append("t2s/1") }
    parts.append("lex/\(Lexicon.version)")
    if options.mergeNumberUnits { parts.append("numunits/1") }
    parts.append("latinplus/1")
    if options.subwords { parts.append("subwords/1") }
    if options.cjkGrams { parts.append("grams/2") }
    if let dictionary = options.userDictionary { parts.append("user/\(dictionary.digest)") }
    identity = parts.joined(separator: " ")
  }

  deinit { freeScratch() }

  /// The per-unit scratch buffers of `prepare`, for texts of up to `capacity` UTF-16 units.
  private static func scratch(capacity: Int) -> (
    UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>,
    UnsafeMutablePointer<UInt16>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Int32>
  ) {
    (.allocate(capacity: capacity), .allocate(capacity: capacity), .allocate(capacity: capacity), .allocate(capacity: capacity),
     .allocate(capacity: capacity), .allocate(capacity: capacity + 1), .allocate(capacity: capacity + 1))
  }

  private func freeScratch() {
    boundaries.deallocate()
    statuses.deallocate()
    icuBoundaries.deallocate()
    icuStatuses.deallocate()
    masked.deallocate()
    best.deallocate()
    choice.deallocate()
  }

  /// The user dictionary's all-CJK words, normalized like the text, as a lexicon.
  private static func userLexicon(_ dictionary: UserDictionary, normalizer: CodePointNormalizer) -> Lexicon {
    let scratch = NormalizedText()
    var words: [(units: [UInt16], score: Float)] = []
    for entry in dictionary.entries {
      Array(entry.word.utf8).withUnsafeBytes { normalizer.normalize($0, into: scratch) }
      var k = 0
      while k < scratch.count {
        let w = cjkWidth(scratch.units, k, scratch.count)
        if w == 0 { break }
        k += w
      }
      // Only an all-CJK word can match inside a CJK run.
      guard scratch.count > 0, k == scratch.count else { continue }
      let units = Array(UnsafeBufferPointer(start: scratch.units, count: scratch.count))
      words.append((units, userScore(length: units.count, weight: entry.weight ?? 1)))
    }
    return Lexicon(words: words, unknownScore: 0)
  }

  /// A user word's score: 40 per UTF-16 unit (far above any lexicon word's log-probability, so the
  /// word is always kept whole; longer user words beat shorter overlapping ones), plus a small
  /// tie-breaker from its weight.
  static func userScore(length: Int, weight: Double) -> Float {
    Float(length) * 40 + Float(max(-10, min(10, log(weight)))) * 0.01
  }

  // MARK: Public API

  /// The first byte of every gram term: a control character no normalized word can contain, so a
  /// bigram never collides with the word spelled the same (中国 the word vs 中国 inside 发展中国家).
  public static let gramPrefix: UInt8 = 0x01

  /// Appends the tokens of `utf8` (offsets relative to its start) to `buffer`, ordered by position.
  ///
  /// A token's position is the offset of its first character in the normalized text (UTF-16 units),
  /// so positions describe the text itself: two tokens are adjacent exactly when their characters
  /// are, and punctuation or spaces between them show up as a gap. Never traps, even on invalid
  /// UTF-8 (bad bytes are treated as U+FFFD, i.e. dropped).
  public func segment(_ utf8: UnsafeRawBufferPointer, into buffer: inout TokenBuffer) {
    prepare(utf8)
    let units = text.units
    let grams = options.cjkGrams
    let subwords = options.subwords
    buffer.reserveAdditional(tokens: segmentCount * (grams ? 3 : 1) + 16, bytes: text.count * (grams ? 12 : 3) + 16)
    var gramFrom = 0
    walk(includeNonWords: false) { start, end, bareEnd, kind in
      guard let kind else { return }
      if grams && gramFrom < start { gramFrom = self.appendGrams(from: gramFrom, before: start, into: &buffer) }
      let term = buffer.appendTerm(units + start, count: end - start)
      let originalStart = text.starts[start]
      buffer.append(
        Token(
          termOffset: term.offset, termLength: term.length, start: originalStart, end: text.ends[end - 1],
          position: Int32(start), kind: kind, isAlternative: false))
      if bareEnd < end {
        buffer.append(
          Token(
            termOffset: term.offset, termLength: Int32(Self.utf8Length(units + start, count: bareEnd - start)),
            start: originalStart, end: text.ends[bareEnd - 1], position: Int32(start), kind: .number,
            isAlternative: true))
      }
      if subwords && kind == .ideographic && end - start >= 3 { self.appendSubwords(from: start, to: end, into: &buffer) }
    }
    if grams { _ = appendGrams(from: gramFrom, before: text.count, into: &buffer) }
  }

  /// The lexicon words strictly inside the word `from..<to` (see `SegmenterOptions.subwords`), as
  /// alternatives, by start and then length. Only words of BMP ideographs are expanded.
  private func appendSubwords(from: Int, to: Int, into buffer: inout TokenBuffer) {
    let units = text.units
    for k in from..<to where units[k] & 0xF800 == 0xD800 { return }
    for i in from..<(to - 1) {
      // Strictly shorter than the word itself: at most `to - from - 1` units from `from`.
      lexicon.forEachWord(startingAt: units + i, limit: min(to - i, to - from - 1)) { length, _ in
        guard length >= 2 else { return }
        let term = buffer.appendTerm(units + i, count: length)
        buffer.append(
          Token(
            termOffset: term.offset, termLength: term.length, start: text.starts[i], end: text.ends[i + length - 1],
            position: Int32(i), kind: .ideographic, isAlternative: true))
      }
    }
  }

  /// Appends the grams of the CJK characters starting in `from..<before`: each character's bigram
  /// with the next character when that is CJK too, else its unigram. Returns where it stopped (a
  /// character is never split, so a surrogate pair straddling `before` is finished).
  private func appendGrams(from: Int, before: Int, into buffer: inout TokenBuffer) -> Int {
    let units = text.units
    let count = text.count
    var i = from
    while i < before {
      let w = Self.cjkWidth(units, i, count)
      guard w > 0 else {
        i += 1
        continue
      }
      let next = Self.cjkWidth(units, i + w, count)
      let term = buffer.appendTerm(prefix: Self.gramPrefix, units + i, count: w + next)
      buffer.append(
        Token(
          termOffset: term.offset, termLength: term.length, start: text.starts[i], end: text.ends[i + w + next - 1],
          position: Int32(i), kind: .gram, isAlternative: true))
      i += w
    }
    return i
  }

  /// Whether `term` (a term's UTF-8 bytes) is a word made only of the characters that grams cover
  /// (`isGramCharacter`): with `SegmenterOptions.cjkGrams`, every phrase over such a word is matched
  /// by the grams, so the index needs no positions for it. Gram terms themselves (prefix `0x01`),
  /// empty terms, invalid UTF-8 and anything with another character are not.
  public static func isGramCoveredWord(_ term: UnsafeRawBufferPointer) -> Bool {
    gramCoveredLength(term) > 0
  }

  /// Whether `term` is a gram-covered word (`isGramCoveredWord`) of exactly two characters: with
  /// `SegmenterOptions.cjkGrams` such a word is the same text, at the same position, as the bigram
  /// it spells (`中国` and `\u{01}中国`), so the index keeps the bigram alone (the facade's
  /// `IndexingPipeline.indexes` drops the word) and a query scores the word through it
  /// (`Searcher.weightedTerms`).
  public static func isBigramWord(_ term: UnsafeRawBufferPointer) -> Bool {
    term.count >= 6 && term.count <= 8 && gramCoveredLength(term) == 2
  }

  /// Whether `text` (normalized) is a word of the lexicon or of the user dictionary: which bigrams
  /// of an index stand for words (`BenchmarkQueryGenerator`).
  public func isDictionaryWord(_ text: String) -> Bool {
    lexicon.score(of: text) != nil || userLexicon?.score(of: text) != nil
  }

  /// The number of characters of a gram-covered word, or 0 for anything else (also for bytes that
  /// are not UTF-8).
  ///
  /// It runs for every token an index build adds (`IndexingPipeline.indexes`), so it decodes the
  /// only shapes a gram character has itself: three bytes (U+3007 to U+FAFF) or four (plane 2).
  /// Anything else is no gram character, and no ill-formed sequence decodes to one: the smallest
  /// gram character, U+3007, is past every overlong three-byte form (below U+0800), the
  /// surrogates (U+D800–DFFF) are outside the ranges, plane 2 needs a lead byte of F0, and a
  /// four-byte form below U+10000 (overlong) is refused.
  /// (The generic `Unicode.UTF8` decoder took 2.5% of a news build.)
  @inline(__always)
  static func gramCoveredLength(_ term: UnsafeRawBufferPointer) -> Int {
    let n = term.count
    guard n > 0, term[0] != gramPrefix else { return 0 }
    var i = 0
    var count = 0
    while i < n {
      let b0 = UInt32(term[i])
      let scalar: UInt32
      if b0 & 0xF0 == 0xE0 {
        guard i + 2 < n else { return 0 }
        let b1 = UInt32(term[i + 1]), b2 = UInt32(term[i + 2])
        guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 else { return 0 }
        scalar = (b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b2 & 0x3F)
        i += 3
      } else if b0 == 0xF0 {
        guard i + 3 < n else { return 0 }
        let b1 = UInt32(term[i + 1]), b2 = UInt32(term[i + 2]), b3 = UInt32(term[i + 3])
        guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { return 0 }
        scalar = (b1 & 0x3F) << 12 | (b2 & 0x3F) << 6 | (b3 & 0x3F)
        // An overlong form (F0 80–8F …) spells a BMP scalar, maybe an ideograph: not a character.
        guard scalar >= 0x10000 else { return 0 }
        i += 4
      } else {
        return 0
      }
      guard isGramCharacter(scalar) else { return 0 }
      count += 1
    }
    return count
  }

  /// The characters that start grams: CJK ideographs of the BMP blocks and plane 2 (extensions
  /// B–F), and 〇.
  @inline(__always)
  static func isGramCharacter(_ scalar: UInt32) -> Bool {
    switch scalar {
    case 0x3007, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FFFF: return true
    default: return false
    }
  }

  /// UTF-16 width (1 or 2) of the CJK ideograph at `i` (`isGramCharacter`), or 0 if there is none.
  @inline(__always)
  static func cjkWidth(_ u: UnsafeMutablePointer<UInt16>, _ i: Int, _ count: Int) -> Int {
    guard i < count else { return 0 }
    let c = u[i]
    if c & 0xFC00 == 0xD800 {  // a high surrogate: a supplementary character if a low one follows
      guard i + 1 < count, u[i + 1] & 0xFC00 == 0xDC00 else { return 0 }
      let scalar = 0x10000 + (UInt32(c & 0x3FF) << 10 | UInt32(u[i + 1] & 0x3FF))
      return isGramCharacter(scalar) ? 2 : 0
    }
    return isGramCharacter(UInt32(c)) ? 1 : 0
  }

  public func segment(_ text: String) -> TokenBuffer {
    var buffer = TokenBuffer()
    var copy = text
    copy.withUTF8 { segment(UnsafeRawBufferPointer($0), into: &buffer) }
    return buffer
  }

  /// `segment(_:)` and the text as `normalize` returns it, the text the tokens' positions count
  /// in, from the one pass: the query parser needs both for a phrase, and normalizing the text
  /// again cost a third as much as segmenting it.
  public func segmentAndNormalize(_ text: String) -> (tokens: TokenBuffer, normalizedText: String) {
    let tokens = segment(text)
    return (tokens, self.text.string)
  }

  /// The byte ranges (into the original UTF-8) of EVERY segment in order, including punctuation and
  /// symbol segments that indexing drops, but excluding whitespace; primary tokens only (merged
  /// numbers appear merged, no alternatives). Used by `zhengsou segment` for the SIGHAN format.
  public func surfaceSegments(_ text: String) -> [Range<Int>] {
    var copy = text
    var ranges: [Range<Int>] = []
    var previousPunctuation: (range: Range<Int>, unit: Int)? = nil
    copy.withUTF8 { prepare(UnsafeRawBufferPointer($0)) }
    walk(includeNonWords: true) { start, end, _, kind in
      let lower = Int(self.text.starts[start])
      let upper = Int(self.text.ends[end - 1])
      // Several segments can come from one expanded code point (e.g. ㍻ → 平成); report it once.
      if let last = ranges.last, last.upperBound > lower {
        if upper > last.upperBound { ranges[ranges.count - 1] = last.lowerBound..<upper }
        return
      }
      // A run of one repeated punctuation mark (——, ……) is one segment, as in SIGHAN's standards;
      // ICU breaks between each.
      if kind == nil, end - start == 1, let previous = previousPunctuation, previous.range.upperBound == lower,
        self.text.units[previous.unit] == self.text.units[start]
      {
        ranges[ranges.count - 1] = previous.range.lowerBound..<upper
        previousPunctuation = (ranges[ranges.count - 1], start)
        return
      }
      previousPunctuation = kind == nil && end - start == 1 ? (lower..<upper, start) : nil
      ranges.append(lower..<upper)
    }
    return ranges
  }

  /// The text as indexing sees it (NFKC case-folded per code point, Traditional→Simplified), for
  /// substring checks and query normalization.
  public func normalize(_ text: String) -> String {
    var copy = text
    copy.withUTF8 { normalizer.normalize(UnsafeRawBufferPointer($0), into: self.text) }
    return self.text.string
  }

  // MARK: Internals

  /// Normalizes `utf8` into `text` and word-breaks it into `boundaries`/`statuses`: ICU over the
  /// text with CJK ideographs masked, then the lexicon Viterbi over each CJK run.
  private func prepare(_ utf8: UnsafeRawBufferPointer) {
    normalizer.normalize(utf8, into: text)
    let count = text.count
    if boundaryCapacity < count {
      freeScratch()
      boundaryCapacity = max(count, boundaryCapacity * 2)
      (boundaries, statuses, icuBoundaries, icuStatuses, masked, best, choice) = Self.scratch(capacity: boundaryCapacity)
    }
    let units = text.units
    var sawCJK = false
    var i = 0
    while i < count {
      let w = Self.cjkWidth(units, i, count)
      if w == 0 {
        masked[i] = units[i]
        i += 1
      } else {
        masked[i] = Self.mask
        if w == 2 { masked[i + 1] = Self.mask }
        sawCJK = true
        i += w
      }
    }
    guard sawCJK else {
      segmentCount = breaker.segment(units, length: Int32(count), boundaries: boundaries, statuses: statuses)
      return
    }
    let icuCount = breaker.segment(masked, length: Int32(count), boundaries: icuBoundaries, statuses: icuStatuses)
    var n = 0
    var start = 0
    for s in 0..<icuCount {
      let end = Int(icuBoundaries[s])
      let status = icuStatuses[s]
      if status != 0 || !Self.containsMask(masked, start, end) {
        boundaries[n] = Int32(end)
        statuses[n] = status
        n += 1
        start = end
        continue
      }
      // A masked segment: CJK runs go through the Viterbi, anything else between them stays a
      // status-0 (non-word) segment.
      var k = start
      while k < end {
        var r = k
        if masked[k] == Self.mask {
          while r < end && masked[r] == Self.mask { r += 1 }
          var from = k
          // Right after a number, a unit keeps its own segment (31日晚 → 31日 晚, not 31 日晚), so
          // the number rules see it as ICU's dictionary would give it.
          if n > 0, Int(boundaries[n - 1]) == k, statuses[n - 1] >= 100, statuses[n - 1] < 200 {
            let unitEnd = longestUnit(from: k, to: r)
            if unitEnd > k {
              boundaries[n] = Int32(unitEnd)
              statuses[n] = Self.ideographicStatus
              n += 1
              from = unitEnd
            }
          }
          if from < r { n = cutRunKeepingOrdinals(from: from, to: r, into: n) }
        } else {
          while r < end && masked[r] != Self.mask { r += 1 }
          boundaries[n] = Int32(r)
          statuses[n] = 0
          n += 1
        }
        k = r
      }
      start = end
    }
    segmentCount = n
  }

  /// What CJK ideographs become in the text ICU sees: IDEOGRAPHIC SPACE, a word-break space
  /// (WSegSpace) that NFKC never leaves in normalized text, so every masked unit is a CJK one.
  static let mask: UInt16 = 0x3000

  @inline(__always)
  private static func containsMask(_ u: UnsafeMutablePointer<UInt16>, _ from: Int, _ to: Int) -> Bool {
    for k in from..<to where u[k] == mask { return true }
    return false
  }

  /// End of the longest `NumberUnits` unit starting at `from` (before `to`), or `from` if none.
  private func longestUnit(from: Int, to: Int) -> Int {
    var key: UInt64 = 0
    var best = from
    var k = from
    while k < to && k < from + NumberUnits.maxUnitLength {
      key = key << 16 | UInt64(text.units[k])
      k += 1
      if NumberUnits.keys.contains(key) { best = k }
    }
    return best
  }

  /// Cuts a CJK run like `cutRun`, except that an ordinal, 第 followed by Chinese numerals, is one
  /// segment and a unit right after it another (第十四届 → 第十四 届, 第三次会议 → 第三 次 会议),
  /// as PKU's guidelines cut them. Left to the lexicon, frequent pieces win (第十 四 届, 第三 次会议),
  /// and the rare, telling word 第十四 would be lost to ranking.
  private func cutRunKeepingOrdinals(from: Int, to: Int, into n: Int) -> Int {
    let units = text.units
    var n = n
    var start = from
    var k = from
    while k + 1 < to {
      guard units[k] == 0x7B2C, NumberUnits.isChineseNumeral(units[k + 1]), units[k + 1] != 0x4E24 else {
        k += 1
        continue
      }
      var end = k + 1
      while end < to && NumberUnits.isChineseNumeral(units[end]) { end += 1 }
      if start < k { n = cutRun(from: start, to: k, into: n) }
      boundaries[n] = Int32(end)
      statuses[n] = Self.ideographicStatus
      n += 1
      let unitEnd = longestUnit(from: end, to: to)
      if unitEnd > end {
        boundaries[n] = Int32(unitEnd)
        statuses[n] = Self.ideographicStatus
        n += 1
      }
      start = max(end, unitEnd)
      k = start
    }
    if start < to { n = cutRun(from: start, to: to, into: n) }
    return n
  }

  /// Status of the words the Viterbi cuts (ICU's UBRK_WORD_IDEO).
  static let ideographicStatus: Int32 = 400

  /// One Viterbi step: every word of `table` that starts at `i` (and ends by `runEnd`) competes with
  /// the best cut found so far for the suffix from `i`.
  @inline(__always)
  private func improve(
    _ bestScore: inout Double, _ bestLength: inout Int, with table: Lexicon, at i: Int, runStart: Int, runEnd: Int
  ) {
    table.forEachWord(startingAt: text.units + i, limit: runEnd - i) { length, score in
      let v = Double(score) + best[i + length - runStart]
      if v > bestScore {
        bestScore = v
        bestLength = length
      }
    }
  }

  /// Cuts the CJK run `from..<to` (whole characters) into the words of the best lexicon path,
  /// writing them to `boundaries`/`statuses` from index `n`; returns the new count.
  private func cutRun(from: Int, to: Int, into n: Int) -> Int {
    let units = text.units
    let lexicon = self.lexicon
    let unknown = Double(lexicon.unknownScore)
    best[to - from] = 0
    var i = to - 1
    while i >= from {
      // The second unit of a surrogate pair never starts a word.
      if units[i] & 0xFC00 == 0xDC00 && i > from {
        best[i - from] = -.infinity
        i -= 1
        continue
      }
      let width = units[i] & 0xFC00 == 0xD800 ? 2 : 1
      var bestScore = unknown + best[i + width - from]
      var bestLength = width
      improve(&bestScore, &bestLength, with: lexicon, at: i, runStart: from, runEnd: to)
      if let user = userLexicon { improve(&bestScore, &bestLength, with: user, at: i, runStart: from, runEnd: to) }
      best[i - from] = bestScore
      choice[i - from] = Int32(bestLength)
      i -= 1
    }
    var n = n
    i = from
    while i < to {
      i += Int(choice[i - from])
      boundaries[n] = Int32(i)
      statuses[n] = Self.ideographicStatus
      n += 1
    }
    return n
  }

  /// The token kind for an ICU rule status, or nil for whitespace/punctuation/symbols.
  @inline(__always)
  static func kind(ofStatus status: Int32) -> TokenKind? {
    if status < 100 { return nil }
    if status < 200 { return .number }
    if status < 300 { return .letter }
    if status < 500 { return .ideographic }
    return nil
  }

  @inline(__always)
  private func isWhitespace(from start: Int, to end: Int) -> Bool {
    for k in start..<end {
      switch text.units[k] {
      case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
        0xFEFF:
        continue
      default:
        return false
      }
    }
    return true
  }

  /// Calls `body(start, end, bareEnd, kind)` with normalized-unit ranges of the primary segments after
  /// number merging. `bareEnd < end` when a number was merged with a suffix (`bareEnd` ends the bare
  /// number). `kind` is nil for non-word segments, which are only reported when `includeNonWords`
  /// (whitespace never is).
  @inline(__always)
  private func walk(includeNonWords: Bool, _ body: (Int, Int, Int, TokenKind?) -> Void) {
    let n = segmentCount
    let merge = options.mergeNumberUnits
    var i = 0
    while i < n {
      let start = i == 0 ? 0 : Int(boundaries[i - 1])
      let end = Int(boundaries[i])
      let kind = Self.kind(ofStatus: statuses[i])
      i += 1
      if merge, kind != .letter, let merged = mergeChineseNumeral(at: i - 1) {
        i = merged.next
        body(start, merged.end, merged.bareEnd, .number)
        continue
      }
      guard let kind else {
        if includeNonWords && !isWhitespace(from: start, to: end) { body(start, end, end, nil) }
        continue
      }
      if merge && kind == .number {
        let merged = mergeSuffix(numberEnd: end, next: i)
        i = merged.next
        body(start, merged.end, end, .number)
      } else if kind == .letter, i < n, text.units[end] == 0x2B, let plus = plusSuffix(wordEnd: end, next: i) {
        i = plus.next
        body(start, plus.end, plus.end, .letter)
      } else {
        body(start, end, end, kind)
      }
    }
  }

  /// `ai+`, `c++`: a letter word keeps the `+` signs right after it, unless a letter or number word
  /// follows them directly (`a+b` stays three segments).
  private func plusSuffix(wordEnd: Int, next: Int) -> (end: Int, next: Int)? {
    let n = segmentCount
    var end = wordEnd
    var j = next
    while j < n, Int(boundaries[j]) == end + 1, text.units[end] == 0x2B {
      end += 1
      j += 1
    }
    if end == wordEnd { return nil }
    if j < n, let kind = Self.kind(ofStatus: statuses[j]), kind == .letter || kind == .number { return nil }
    return (end, j)
  }

  /// Rules 2 and 3 of `NumberUnits`: a `%`/`‰`, or the longest unit made of following segments.
  @inline(__always)
  private func mergeSuffix(numberEnd: Int, next: Int) -> (end: Int, next: Int) {
    let n = segmentCount
    guard next < n else { return (numberEnd, next) }
    let units = text.units
    if Int(boundaries[next]) == numberEnd + 1 && NumberUnits.isPercent(units[numberEnd]) {
      return (numberEnd + 1, next + 1)
    }
    var best = (end: numberEnd, next: next)
    var key: UInt64 = 0
    var length = 0
    var j = next
    var pieceStart = numberEnd
    while j < n, j < next + NumberUnits.maxUnitLength {
      guard let kind = Self.kind(ofStatus: statuses[j]), kind == .ideographic else { break }
      let pieceEnd = Int(boundaries[j])
      length += pieceEnd - pieceStart
      if length > NumberUnits.maxUnitLength { break }
      for k in pieceStart..<pieceEnd { key = key << 16 | UInt64(units[k]) }
      j += 1
      if NumberUnits.keys.contains(key) { best = (pieceEnd, j) }
      pieceStart = pieceEnd
    }
    return best
  }

  /// Rule 4 of `NumberUnits`: joins two or more adjacent all-Chinese-numeral segments when they contain
  /// `○`/`〇` (二 ○○ 一年 → 二○○一年) or the last ends in a unit (三十 一日 → 三十一日) or a unit
  /// follows them (三 十一 日 → 三十一日), plus a following unit. Returns nil when the rule does not apply.
  private func mergeChineseNumeral(at first: Int) -> (end: Int, bareEnd: Int, next: Int)? {
    let units = text.units
    let n = segmentCount
    var j = first
    var sawCircle = false
    var pieces = 0
    var numeralEnd = first == 0 ? 0 : Int(boundaries[first - 1])
    var unitSuffix: (end: Int, next: Int)? = nil
    while j < n {
      let start = j == 0 ? 0 : Int(boundaries[j - 1])
      let end = Int(boundaries[j])
      var k = start
      while k < end, NumberUnits.isChineseNumeral(units[k]) {
        if NumberUnits.isCircleZero(units[k]) { sawCircle = true }
        k += 1
      }
      if k == start { break }
      pieces += 1
      numeralEnd = k
      j += 1
      if k < end {
        // Numerals then something else: accept only "numerals + unit" as the last piece (一年).
        var key: UInt64 = 0
        let suffixLength = end - k
        if suffixLength <= NumberUnits.maxUnitLength {
          for m in k..<end { key = key << 16 | UInt64(units[m]) }
          if NumberUnits.keys.contains(key) { unitSuffix = (end, j) }
        }
        if unitSuffix == nil { return nil }
        break
      }
    }
    guard pieces >= 2 else { return nil }
    if let unitSuffix { return (unitSuffix.end, numeralEnd, unitSuffix.next) }
    let suffix = mergeSuffix(numberEnd: numeralEnd, next: j)
    guard sawCircle || suffix.end > numeralEnd else { return nil }
    return (suffix.end, numeralEnd, suffix.next)
  }

  /// UTF-8 length of well-formed UTF-16 `units`.
  @inline(__always)
  static func utf8Length(_ units: UnsafePointer<UInt16>, count: Int) -> Int {
    var total = 0
    for k in 0..<count {
      let u = units[k]
      if u < 0x80 { total += 1 } else if u < 0x800 { total += 2 } else if u & 0xF800 == 0xD800 { total += 2 } else { total += 3 }
    }
    return total
  }
}
