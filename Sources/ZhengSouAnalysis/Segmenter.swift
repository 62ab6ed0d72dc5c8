/// Turns text into index tokens: per-code-point normalization (`CodePointNormalizer`), ICU dictionary
/// word breaking over the normalized UTF-16, then token rules (`NumberUnits`).
///
/// Which segments become tokens, by ICU rule status: ideographic and kana words → `.ideographic`;
/// letter words (already lower-cased; letters with digits such as `5g` stay one token as ICU gives
/// them) → `.letter`; numbers → `.number`. Whitespace, punctuation, symbols and emoji are dropped.
/// With `cjkGrams`, every CJK run also yields `.gram` tokens (see `appendGrams`). Positions are
/// character offsets into the normalized text, shared by words and grams.
///
/// Limits: input beyond 1 GiB per call is ignored (offsets are `Int32`); a token cut out of one code
/// point's NFKC expansion (℃ → °c gives `c`) points at that whole code point; a unit that ICU's
/// dictionary glues to the next character is not merged (`3个人` → `3`, `个人`).
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
  private var boundaries: UnsafeMutablePointer<Int32>
  private var statuses: UnsafeMutablePointer<Int32>
  private var boundaryCapacity: Int
  /// Number of segments found by the last `prepare`.
  private var segmentCount = 0

  public init(options: SegmenterOptions = .init()) throws {
    self.options = options
    breaker = try ICUWordBreaker(locale: "zh")
    normalizer = CodePointNormalizer(traditionalToSimplified: options.traditionalToSimplified)
    boundaryCapacity = 1024
    boundaries = .allocate(capacity: boundaryCapacity)
    statuses = .allocate(capacity: boundaryCapacity)
    var parts = ["zhengsou-segmenter/3", "icu/\(ICU.versions.icu)", "unicode/\(ICU.versions.unicode)", "nfkc_cf"]
    if options.traditionalToSimplified { parts.append("t2s/1") }
    if options.mergeNumberUnits { parts.append("numunits/1") }
    if options.cjkGrams { parts.append("grams/1") }
    identity = parts.joined(separator: " ")
  }

  deinit {
    boundaries.deallocate()
    statuses.deallocate()
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
    }
    if grams { _ = appendGrams(from: gramFrom, before: text.count, into: &buffer) }
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

  /// UTF-16 width (1 or 2) of the CJK ideograph at `i`, or 0 if there is none.
  @inline(__always)
  static func cjkWidth(_ u: UnsafeMutablePointer<UInt16>, _ i: Int, _ count: Int) -> Int {
    guard i < count else { return 0 }
    let c = u[i]
    switch c {
    case 0x3007, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF: return 1
    case 0xD840...0xD87F:  // planes 2–3 (CJK extensions B–H) as surrogate pairs
      return i + 1 < count && u[i + 1] & 0xFC00 == 0xDC00 ? 2 : 0
    default: return 0
    }
  }

  public func segment(_ text: String) -> TokenBuffer {
    var buffer = TokenBuffer()
    var copy = text
    copy.withUTF8 { segment(UnsafeRawBufferPointer($0), into: &buffer) }
    return buffer
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

  /// Normalizes `utf8` into `text` and word-breaks it into `boundaries`/`statuses`.
  private func prepare(_ utf8: UnsafeRawBufferPointer) {
    normalizer.normalize(utf8, into: text)
    if boundaryCapacity < text.count {
      boundaries.deallocate()
      statuses.deallocate()
      boundaryCapacity = max(text.count, boundaryCapacity * 2)
      boundaries = .allocate(capacity: boundaryCapacity)
      statuses = .allocate(capacity: boundaryCapacity)
    }
    segmentCount = breaker.segment(
      text.units, length: Int32(text.count), boundaries: boundaries, statuses: statuses)
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
      } else {
        body(start, end, end, kind)
      }
    }
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
  /// `○`/`〇` (二 ○○ 一年 → 二○○一年) or the last ends in a unit (三十 一日 → 三十一日), plus a
  /// following unit. Returns nil when the rule does not apply.
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
    guard pieces >= 2, sawCircle || unitSuffix != nil else { return nil }
    if let unitSuffix { return (unitSuffix.end, numeralEnd, unitSuffix.next) }
    let suffix = mergeSuffix(numberEnd: numeralEnd, next: j)
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
