#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A word → score table for segmenting runs of CJK characters, looked up one UTF-16 unit at a time.
///
/// Every word is stored with its score (the natural log of its unigram probability, or a bonus for
/// user words), and every proper prefix of a word is stored too (flagged), so a walk from one
/// position stops as soon as the characters read so far begin no word (jieba's prefix dictionary).
/// Keys are hashed incrementally (FNV-1a over the units), so extending a candidate by one character
/// costs one multiply and one probe; probes verify the units, so a hash collision never matches.
///
/// Open addressing with linear probing over raw buffers; immutable after `init`, so one table is
/// shared by every `Segmenter` (`Lexicon.shared` holds the shipped `LexiconData`). Every cold
/// `zhengsou search` builds the table, and inserting into it is bound by cache misses, so it is
/// kept small: 12-byte slots, 1.5 MB for the shipped lexicon's 69,840 entries. With 16-byte slots
/// in a table half as full (6 MB), building took about 25 ms of CPU per search; now about 15
/// (`perf` over 30 searches).
///
/// A Viterbi step (`forEachWord`) was three cache misses a probe: the slot, the key's units and the
/// score. Now a one-unit key in the CJK block is read from a dense 108 KB table, a key of one or
/// two units is compared inside its slot, and the score sits in the slot: on 2.9 MB of news text
/// (`bench segment`, cachegrind) L1 read misses fell from 14.4 to 10.8 million.
final class Lexicon: @unchecked Sendable {
  /// One entry: a word or a proper prefix of one. `length == 0` marks an empty slot.
  struct Slot {
    /// High bits of the key's hash: most probes of another key stop here without reading units.
    var check: UInt16 = 0
    /// The key's length in UTF-16 units, shifted left by one; the low bit says it is a word.
    var lengthAndWord: UInt16 = 0
    /// Where the key's units start in `keys`, or for a key of one or two units the units
    /// themselves (`Lexicon.inlineKey`): a probe then compares them without reading `keys`, a
    /// cache miss of its own (a Viterbi step's probes are mostly of one or two units).
    var keyOffset: UInt32 = 0
    /// The word's score (its accumulated value while building); unused for prefix-only entries.
    /// Beside the key, not in an array apart: a Viterbi step reads it right after the probe that
    /// found the word, and a second array was a second cache miss (a fifth of `cutRun`'s time).
    var score: Float = 0

    @inline(__always) var length: Int { Int(lengthAndWord >> 1) }
    @inline(__always) var isWord: Bool { lengthAndWord & 1 != 0 }
  }

  private let slots: UnsafeMutablePointer<Slot>
  /// The entries of one unit in `denseRange` (U+3400–9FFF: CJK Extension A, the Yijing
  /// hexagrams between the blocks, and the unified ideographs), indexed by unit: the
  /// word's score, `-infinity` for a prefix that is not a word, NaN for neither. Every Viterbi step
  /// starts with the one-unit key, and this 108 KB table stays in cache where a probe of the
  /// 1.5 MB slot table does not.
  private let dense: UnsafeMutablePointer<Float>
  static let denseRange: Range<UInt16> = 0x3400..<0xA000
  private let mask: Int
  private let keys: UnsafeMutablePointer<UInt16>
  let keyCount: Int
  /// Number of words (not counting prefix-only entries).
  let wordCount: Int
  /// Longest word in UTF-16 units.
  let maxLength: Int
  /// Score of a single character the table does not hold.
  let unknownScore: Float

  /// Longest key the table stores (the length shares 16 bits with the word flag).
  static let maximumKeyLength = Int(UInt16.max >> 1)

  static let seed: UInt64 = 0xcbf2_9ce4_8422_2325

  @inline(__always)
  static func step(_ hash: UInt64, _ unit: UInt16) -> UInt64 {
    (hash ^ UInt64(unit)) &* 0x0000_0100_0000_01B3
  }

  @inline(__always)
  static func slotIndex(_ hash: UInt64, mask: Int) -> Int {
    Int(truncatingIfNeeded: (hash ^ (hash >> 31)) &* 0xbf58_476d_1ce4_e5b9 >> 20) & mask
  }

  /// The units of a key of one or two units, packed as `Slot.keyOffset` holds them.
  @inline(__always)
  static func inlineKey(_ units: UnsafePointer<UInt16>, length: Int) -> UInt32 {
    UInt32(units[0]) | (length == 2 ? UInt32(units[1]) << 16 : 0)
  }

  /// The hash of a key's units, as a probe for it starts.
  @inline(__always)
  static func hash(_ units: UnsafePointer<UInt16>, length: Int) -> UInt64 {
    var hash = seed
    for k in 0..<length { hash = step(hash, units[k]) }
    return hash
  }

  /// The hash of the key a slot holds: its units are in `keys`, or in the slot itself for a key of
  /// one or two units (`inlineKey`).
  @inline(__always)
  static func hash(of slot: Slot, keys: UnsafePointer<UInt16>) -> UInt64 {
    guard slot.length <= 2 else { return hash(keys + Int(slot.keyOffset), length: slot.length) }
    var units = (UInt16(truncatingIfNeeded: slot.keyOffset), UInt16(truncatingIfNeeded: slot.keyOffset >> 16))
    return withUnsafePointer(to: &units) {
      $0.withMemoryRebound(to: UInt16.self, capacity: 2) { hash($0, length: slot.length) }
    }
  }

  @inline(__always)
  static func check(_ hash: UInt64) -> UInt16 {
    UInt16(truncatingIfNeeded: hash >> 48)
  }

  /// `words`: UTF-16 units and score of each word (of duplicates, the larger score wins).
  /// `expectedEntries` sizes the first table (tests make it tiny, so that the table grows).
  convenience init(words: [(units: [UInt16], score: Float)], unknownScore: Float, expectedEntries: Int? = nil) {
    let total = words.reduce(0) { $0 + $1.units.count }
    var builder = Builder(keyCapacity: total, expectedEntries: expectedEntries ?? total)
    for (units, score) in words {
      units.withUnsafeBufferPointer { builder.add($0, value: score, merge: .maximum) }
    }
    self.init(builder, unknownScore: unknownScore, scoreOf: { $0 })
  }

  /// Takes over `builder`'s buffers; `scoreOf` turns each word's accumulated value into its score.
  private init(_ builder: consuming Builder, unknownScore: Float, scoreOf: (Float) -> Float) {
    let b = builder.finish()
    slots = b.slots
    mask = b.mask
    keys = b.keys
    keyCount = b.keyCount
    wordCount = b.wordCount
    maxLength = b.maxLength
    self.unknownScore = unknownScore
    let base = Self.denseRange.lowerBound
    dense = .allocate(capacity: Self.denseRange.count)
    dense.initialize(repeating: .nan, count: Self.denseRange.count)
    // One pass over the slots (every cold search makes it): final scores, and the dense table.
    for i in 0...mask where slots[i].lengthAndWord != 0 {
      if slots[i].isWord { slots[i].score = scoreOf(slots[i].score) }
      guard slots[i].length == 1 else { continue }
      let unit = UInt16(truncatingIfNeeded: slots[i].keyOffset)
      guard Self.denseRange.contains(unit) else { continue }
      // A word's score is finite; -infinity (never chosen, as no cut beats a finite one) is kept
      // apart from the prefix mark.
      dense[Int(unit - base)] = slots[i].isWord ? max(slots[i].score, -.greatestFiniteMagnitude) : -.infinity
    }
  }

  /// Fills the open-addressing table straight from word spans, with no allocation per word: a word
  /// and every proper prefix of it share the word's stored units. Loading the shipped lexicon this
  /// way takes a few milliseconds (a dictionary keyed by arrays plus a sort took about 130 ms, paid
  /// by every cold `zhengsou search`).
  ///
  /// Values accumulate as `Float`, in the array that becomes the scores: word counts add up exactly
  /// while their sums stay below 2^24 (the shipped lexicon's largest is 的's 1,147,324).
  private struct Builder: ~Copyable {
    enum Merge { case add, maximum }
    struct Built {
      var slots: UnsafeMutablePointer<Slot>
      var mask: Int
      var keys: UnsafeMutablePointer<UInt16>
      var keyCount: Int
      var wordCount: Int
      var maxLength: Int
    }

    var keys: UnsafeMutablePointer<UInt16>
    var keyCount = 0
    let keyCapacity: Int
    var slots: UnsafeMutablePointer<Slot>
    var mask: Int
    var entries = 0
    var wordCount = 0
    var maxLength = 0
    /// Where the units of the word added last are in `keys` (still there when it was not stored:
    /// nothing writes past `keyCount` until the next word is compared with them).
    private var previousOffset = 0
    private var previousLength = 0

    /// Room for words totalling `keyCapacity` UTF-16 units (longer input is dropped) and a table
    /// sized for about `expectedEntries` entries (words and prefixes); the table doubles whenever
    /// it would become more than 5/8 full.
    init(keyCapacity: Int, expectedEntries: Int) {
      self.keyCapacity = max(keyCapacity, 1)
      keys = .allocate(capacity: self.keyCapacity)
      (slots, mask) = Self.emptyTable(entries: expectedEntries, atLeast: 16)
    }

    /// Whether `entries` entries would fill more than 5/8 of a table of `capacity` slots. Linear
    /// probing stays short at that load (about 1.5 probes to find a key, 4 to miss one).
    @inline(__always)
    private static func tooFull(_ entries: Int, capacity: Int) -> Bool { entries * 8 > capacity * 5 }

    /// Empty slots for `entries` entries (a power of two ≥ `atLeast`, at most 5/8 full).
    private static func emptyTable(entries: Int, atLeast minimum: Int) -> (UnsafeMutablePointer<Slot>, Int) {
      var capacity = minimum
      while tooFull(entries, capacity: capacity) { capacity <<= 1 }
      let slots = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
      slots.initialize(repeating: Slot(), count: capacity)
      return (slots, capacity - 1)
    }

    /// Adds a word (ignored when empty, too long or beyond the key budget); a word already present
    /// merges its value. Its proper prefixes are added as prefix-only entries.
    ///
    /// The prefixes it shares with the word added before it are in the table already and are not
    /// probed for: sorted input shares most of them, and this saves 39% of the probes (115,293 →
    /// 69,841 for lex/1).
    mutating func add(_ units: UnsafeBufferPointer<UInt16>, value: Float, merge: Merge) {
      let length = units.count
      guard length > 0, length <= Lexicon.maximumKeyLength, keyCount + length <= keyCapacity else { return }
      if Self.tooFull(entries + length, capacity: mask + 1) { grow(toFit: entries + length) }
      var knownPrefix = 0
      while knownPrefix < min(length, previousLength) && keys[previousOffset + knownPrefix] == units[knownPrefix] { knownPrefix += 1 }
      let offset = keyCount
      for k in 0..<length { keys[offset + k] = units[k] }
      (previousOffset, previousLength) = (offset, length)
      var stored = false
      // Longest first: once a prefix is present, all shorter ones are too.
      var end = length
      while end >= 1 && (end == length || end > knownPrefix) {
        let hash = Lexicon.hash(keys + offset, length: end)
        let i = Lexicon.probe(slots: slots, mask: mask, keys: keys, hash: hash, units: keys + offset, length: end)
        if slots[i].lengthAndWord != 0 {
          if end == length {
            if slots[i].isWord {
              slots[i].score = merge == .add ? slots[i].score + value : max(slots[i].score, value)
            } else {
              slots[i].lengthAndWord |= 1
              slots[i].score = value
              wordCount += 1
              maxLength = max(maxLength, length)
            }
          }
          break
        }
        let isWord = end == length
        slots[i] = Slot(
          check: Lexicon.check(hash), lengthAndWord: UInt16(end) << 1 | (isWord ? 1 : 0),
          keyOffset: end <= 2 ? Lexicon.inlineKey(keys + offset, length: end) : UInt32(offset))
        entries += 1
        stored = true
        if isWord {
          slots[i].score = value
          wordCount += 1
          maxLength = max(maxLength, length)
        }
        end -= 1
      }
      if stored { keyCount += length }
    }

    /// Rehashes into a table at most 5/8 full with `needed` entries.
    private mutating func grow(toFit needed: Int) {
      let oldSlots = slots, oldCapacity = mask + 1
      (slots, mask) = Self.emptyTable(entries: needed, atLeast: oldCapacity)
      for j in 0..<oldCapacity where oldSlots[j].lengthAndWord != 0 {
        let slot = oldSlots[j]
        var i = Lexicon.slotIndex(Lexicon.hash(of: slot, keys: keys), mask: mask)
        while slots[i].lengthAndWord != 0 { i = (i + 1) & mask }
        slots[i] = slot
      }
      oldSlots.deallocate()
    }

    consuming func finish() -> Built {
      Built(slots: slots, mask: mask, keys: keys, keyCount: keyCount, wordCount: wordCount, maxLength: maxLength)
    }
  }

  deinit {
    slots.deallocate()
    keys.deallocate()
    dense.deallocate()
  }

  /// The slot index for the `length` units at `units` whose incremental hash is `hash`, or nil if
  /// the table holds neither that word nor a word starting with it.
  @inline(__always)
  func find(hash: UInt64, units: UnsafePointer<UInt16>, length: Int) -> Int? {
    let i = Self.probe(slots: slots, mask: mask, keys: keys, hash: hash, units: units, length: length)
    return slots[i].lengthAndWord == 0 ? nil : i
  }

  /// Linear probing shared by lookups and the builder: the slot holding these `length` units, or
  /// the empty slot that ends their probe sequence. Probes compare the stored units, so a hash
  /// collision never matches.
  @inline(__always)
  static func probe(
    slots: UnsafeMutablePointer<Slot>, mask: Int, keys: UnsafeMutablePointer<UInt16>, hash: UInt64,
    units: UnsafePointer<UInt16>, length: Int
  ) -> Int {
    let check = check(hash)
    var i = slotIndex(hash, mask: mask)
    if length <= 2 {
      let key = inlineKey(units, length: length)
      while true {
        let slot = slots[i]
        if slot.lengthAndWord == 0 || (slot.keyOffset == key && slot.length == length) { return i }
        i = (i + 1) & mask
      }
    }
    while true {
      let slot = slots[i]
      if slot.lengthAndWord == 0 { return i }
      if slot.check == check && slot.length == length {
        let key = keys + Int(slot.keyOffset)
        var k = 0
        while k < length && key[k] == units[k] { k += 1 }
        if k == length { return i }
      }
      i = (i + 1) & mask
    }
  }

  /// Calls `body(length, score)` for every word that the units at `units` begin with, shortest
  /// first, looking at most `limit` units ahead: the walk a Viterbi step and a sub-word scan share.
  /// It stops as soon as the units read so far begin no word.
  @inline(__always)
  func forEachWord(startingAt units: UnsafePointer<UInt16>, limit: Int, _ body: (Int, Float) -> Void) {
    let end = min(limit, maxLength)
    guard end > 0 else { return }
    let first = units[0]
    var hash = Self.step(Self.seed, first)
    if Self.denseRange.contains(first) {
      let e = dense[Int(first &- Self.denseRange.lowerBound)]
      if e.isNaN { return }
      if e != -.infinity { body(1, e) }
    } else {
      guard let i = find(hash: hash, units: units, length: 1) else { return }
      if slots[i].isWord { body(1, slots[i].score) }
    }
    var length = 1
    while length < end {
      hash = Self.step(hash, units[length])
      length += 1
      guard let i = find(hash: hash, units: units, length: length) else { return }
      if slots[i].isWord { body(length, slots[i].score) }
    }
  }

  /// Score of the word spelled by `string`'s UTF-16 units, or nil (tests and tools).
  func score(of string: String) -> Float? {
    let units = Array(string.utf16)
    return units.withUnsafeBufferPointer { buffer -> Float? in
      guard let base = buffer.baseAddress, let i = find(hash: Self.hash(base, length: units.count), units: base, length: units.count),
        slots[i].isWord
      else { return nil }
      return slots[i].score
    }
  }

  // MARK: The shipped lexicon

  /// Version of `LexiconData`, part of `Segmenter.identity` (` lex/<n>`).
  static var version: Int { LexiconData.version }

  /// The shipped lexicon, parsed once: score = ln(count / total). Words are normalized like the text
  /// they are matched against (the corpora are Simplified already, but ICU's Traditional→Simplified
  /// table also rewrites a few Simplified characters, e.g. 著 → 着), so there is one table per
  /// `traditionalToSimplified` setting; words that normalize alike pool their counts.
  static let shared = load(traditionalToSimplified: true)
  static let sharedWithoutT2S = load(traditionalToSimplified: false)

  static func shared(traditionalToSimplified: Bool) -> Lexicon {
    traditionalToSimplified ? shared : sharedWithoutT2S
  }

  private static func load(traditionalToSimplified: Bool) -> Lexicon {
    let normalizer = CodePointNormalizer(traditionalToSimplified: traditionalToSimplified)
    let scratch = NormalizedText()
    var data = LexiconData.entries
    return data.withUTF8 { bytes -> Lexicon in
      // A word's UTF-16 units number at most its UTF-8 bytes (barring rare NFKC expansions, which
      // the budget's slack absorbs). Entries (words and prefixes) are about one per 8.6 bytes of
      // the data (69,840 for 602,728 bytes at lex/1), so this estimate gives 131,072 slots (53%
      // full); a table sized for twice that had to be zeroed and faulted in by every cold
      // `zhengsou search` (9% of its time), and the table grows if a future lexicon needs more.
      var builder = Builder(keyCapacity: bytes.count, expectedEntries: bytes.count / 8)
      var total = 0.0
      var lineStart = 0
      let n = bytes.count
      while lineStart < n {
        let base = UnsafeRawPointer(bytes.baseAddress!)  // not nil: the data is not empty here
        let lineEnd = memchr(base + lineStart, 0x0A, n - lineStart).map { UnsafeRawPointer($0) - base } ?? n
        let tab = memchr(base + lineStart, 0x09, lineEnd - lineStart).map { UnsafeRawPointer($0) - base } ?? lineEnd
        var count = 0
        for k in min(tab + 1, lineEnd)..<lineEnd where bytes[k] >= 0x30 && bytes[k] <= 0x39 {
          count = count * 10 + Int(bytes[k] - 0x30)
        }
        if tab < lineEnd && count > 0 {
          normalizer.normalize(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[lineStart..<tab]), into: scratch)
          if scratch.count > 0 {
            builder.add(UnsafeBufferPointer(start: scratch.units, count: scratch.count), value: Float(count), merge: .add)
            total += Double(count)
          }
        }
        lineStart = lineEnd + 1
      }
      let logTotal = log(total)
      return Lexicon(builder, unknownScore: Float(log(0.5) - logTotal), scoreOf: { Float(log(Double($0)) - logTotal) })
    }
  }
}
