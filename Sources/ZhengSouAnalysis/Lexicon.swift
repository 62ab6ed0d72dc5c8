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
/// shared by every `Segmenter` (`Lexicon.shared` holds the shipped `LexiconData`).
final class Lexicon: @unchecked Sendable {
  struct Slot {
    var hash: UInt32 = 0
    var keyOffset: Int32 = 0
    var length: UInt16 = 0  // 0 = empty slot
    var isWord: Bool = false
    var score: Float = 0
  }

  private let slots: UnsafeMutablePointer<Slot>
  private let mask: Int
  private let keys: UnsafeMutablePointer<UInt16>
  let keyCount: Int
  /// Number of words (not counting prefix-only entries).
  let wordCount: Int
  /// Longest word in UTF-16 units.
  let maxLength: Int
  /// Score of a single character the table does not hold.
  let unknownScore: Float

  static let seed: UInt64 = 0xcbf2_9ce4_8422_2325

  @inline(__always)
  static func step(_ hash: UInt64, _ unit: UInt16) -> UInt64 {
    (hash ^ UInt64(unit)) &* 0x0000_0100_0000_01B3
  }

  @inline(__always)
  static func slotIndex(_ hash: UInt64, mask: Int) -> Int {
    Int(truncatingIfNeeded: (hash ^ (hash >> 31)) &* 0xbf58_476d_1ce4_e5b9 >> 20) & mask
  }

  /// `words`: UTF-16 units and score of each word (of duplicates, the larger score wins).
  convenience init(words: [(units: [UInt16], score: Float)], unknownScore: Float) {
    let total = words.reduce(0) { $0 + $1.units.count }
    var builder = Builder(keyCapacity: total, expectedEntries: total)
    for (units, score) in words {
      units.withUnsafeBufferPointer { builder.add($0, value: Double(score), merge: .maximum) }
    }
    self.init(builder, unknownScore: unknownScore, scoreOf: { $0 })
  }

  /// Takes over `builder`'s buffers; `scoreOf` turns each word's accumulated value into its score.
  private init(_ builder: consuming Builder, unknownScore: Float, scoreOf: (Double) -> Double) {
    let b = builder.finish()
    slots = b.slots
    mask = b.mask
    keys = b.keys
    keyCount = b.keyCount
    wordCount = b.wordCount
    maxLength = b.maxLength
    self.unknownScore = unknownScore
    for i in 0...mask where slots[i].length != 0 && slots[i].isWord {
      slots[i].score = Float(scoreOf(b.values[i]))
    }
    b.values.deallocate()
  }

  /// Fills the open-addressing table straight from word spans, with no allocation per word: a word
  /// and every proper prefix of it share the word's stored units. Loading the shipped lexicon this
  /// way takes a few milliseconds (a dictionary keyed by arrays plus a sort took about 130 ms, paid
  /// by every cold `zhengsou search`).
  private struct Builder: ~Copyable {
    enum Merge { case add, maximum }
    struct Built {
      var slots: UnsafeMutablePointer<Slot>
      var mask: Int
      var keys: UnsafeMutablePointer<UInt16>
      var keyCount: Int
      var wordCount: Int
      var maxLength: Int
      var values: UnsafeMutablePointer<Double>
    }

    var keys: UnsafeMutablePointer<UInt16>
    var keyCount = 0
    let keyCapacity: Int
    var slots: UnsafeMutablePointer<Slot>
    var values: UnsafeMutablePointer<Double>
    var mask: Int
    var entries = 0
    var wordCount = 0
    var maxLength = 0

    /// Room for words totalling `keyCapacity` UTF-16 units (longer input is dropped) and a table
    /// sized for about `expectedEntries` entries (words and prefixes); the table doubles whenever
    /// it would become more than half full.
    init(keyCapacity: Int, expectedEntries: Int) {
      self.keyCapacity = max(keyCapacity, 1)
      keys = .allocate(capacity: self.keyCapacity)
      (slots, values, mask) = Self.emptyTable(entries: expectedEntries, atLeast: 16)
    }

    /// Empty slots and values for `entries` entries at most half full (a power of two ≥ `atLeast`).
    private static func emptyTable(entries: Int, atLeast minimum: Int) -> (UnsafeMutablePointer<Slot>, UnsafeMutablePointer<Double>, Int) {
      var capacity = minimum
      while capacity < entries * 2 { capacity <<= 1 }
      let slots = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
      slots.initialize(repeating: Slot(), count: capacity)
      let values = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
      values.initialize(repeating: 0, count: capacity)
      return (slots, values, capacity - 1)
    }

    /// Adds a word (ignored when empty, too long or beyond the key budget); a word already present
    /// merges its value. Its proper prefixes are added as prefix-only entries.
    mutating func add(_ units: UnsafeBufferPointer<UInt16>, value: Double, merge: Merge) {
      let length = units.count
      guard length > 0, length < Int(UInt16.max), keyCount + length <= keyCapacity else { return }
      if (entries + length) * 2 > mask + 1 { grow(toFit: entries + length) }
      let offset = keyCount
      for k in 0..<length { keys[offset + k] = units[k] }
      var stored = false
      // Longest first: once a prefix is present, all shorter ones are too.
      var end = length
      while end >= 1 {
        var hash = Lexicon.seed
        for k in 0..<end { hash = Lexicon.step(hash, keys[offset + k]) }
        let i = probe(hash: hash, keyAt: keys + offset, length: end)
        if slots[i].length != 0 {
          if end == length {
            if slots[i].isWord {
              values[i] = merge == .add ? values[i] + value : max(values[i], value)
            } else {
              slots[i].isWord = true
              values[i] = value
              wordCount += 1
              maxLength = max(maxLength, length)
            }
          }
          break
        }
        slots[i] = Slot(
          hash: UInt32(truncatingIfNeeded: hash), keyOffset: Int32(offset), length: UInt16(end),
          isWord: end == length, score: 0)
        entries += 1
        stored = true
        if end == length {
          values[i] = value
          wordCount += 1
          maxLength = max(maxLength, length)
        }
        end -= 1
      }
      if stored { keyCount += length }
    }

    /// The slot holding the `length` units at `key`, or the empty slot where they belong.
    private func probe(hash: UInt64, keyAt key: UnsafePointer<UInt16>, length: Int) -> Int {
      Lexicon.probe(slots: slots, mask: mask, keys: keys, hash: hash, units: key, length: length)
    }

    /// Rehashes into a table at most half full with `needed` entries.
    private mutating func grow(toFit needed: Int) {
      let oldSlots = slots, oldValues = values, oldCapacity = mask + 1
      (slots, values, mask) = Self.emptyTable(entries: needed, atLeast: oldCapacity)
      for j in 0..<oldCapacity where oldSlots[j].length != 0 {
        let slot = oldSlots[j]
        var hash = Lexicon.seed
        for k in 0..<Int(slot.length) { hash = Lexicon.step(hash, keys[Int(slot.keyOffset) + k]) }
        var i = Lexicon.slotIndex(hash, mask: mask)
        while slots[i].length != 0 { i = (i + 1) & mask }
        slots[i] = slot
        values[i] = oldValues[j]
      }
      oldSlots.deallocate()
      oldValues.deallocate()
    }

    consuming func finish() -> Built {
      Built(slots: slots, mask: mask, keys: keys, keyCount: keyCount, wordCount: wordCount, maxLength: maxLength, values: values)
    }
  }

  deinit {
    slots.deallocate()
    keys.deallocate()
  }

  /// The slot for the `length` units at `units` whose incremental hash is `hash`, or nil if the
  /// table holds neither that word nor a word starting with it.
  @inline(__always)
  func find(hash: UInt64, units: UnsafePointer<UInt16>, length: Int) -> Slot? {
    let i = Self.probe(slots: slots, mask: mask, keys: keys, hash: hash, units: units, length: length)
    return slots[i].length == 0 ? nil : slots[i]
  }

  /// Linear probing shared by lookups and the builder: the slot holding these `length` units, or
  /// the empty slot that ends their probe sequence. Probes compare the stored units, so a hash
  /// collision never matches.
  @inline(__always)
  static func probe(
    slots: UnsafeMutablePointer<Slot>, mask: Int, keys: UnsafeMutablePointer<UInt16>, hash: UInt64,
    units: UnsafePointer<UInt16>, length: Int
  ) -> Int {
    let check = UInt32(truncatingIfNeeded: hash)
    var i = slotIndex(hash, mask: mask)
    while true {
      let slot = slots[i]
      if slot.length == 0 { return i }
      if slot.hash == check && Int(slot.length) == length {
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
    var hash = Self.seed
    var length = 0
    let end = min(limit, maxLength)
    while length < end {
      hash = Self.step(hash, units[length])
      length += 1
      guard let slot = find(hash: hash, units: units, length: length) else { return }
      if slot.isWord { body(length, slot.score) }
    }
  }

  /// Score of the word spelled by `string`'s UTF-16 units, or nil (tests and tools).
  func score(of string: String) -> Float? {
    let units = Array(string.utf16)
    var hash = Self.seed
    for u in units { hash = Self.step(hash, u) }
    return units.withUnsafeBufferPointer { buffer -> Float? in
      guard let base = buffer.baseAddress, let slot = find(hash: hash, units: base, length: units.count),
        slot.isWord
      else { return nil }
      return slot.score
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
      // the data (69,840 for 602,728 bytes at lex/1); a table sized for twice that had to be
      // zeroed and faulted in by every cold `zhengsou search` (9% of its time), and the table
      // grows if a future lexicon needs more.
      var builder = Builder(keyCapacity: bytes.count, expectedEntries: bytes.count / 8)
      var total = 0.0
      var lineStart = 0
      let n = bytes.count
      while lineStart < n {
        var lineEnd = lineStart
        while lineEnd < n && bytes[lineEnd] != 0x0A { lineEnd += 1 }
        var tab = lineStart
        while tab < lineEnd && bytes[tab] != 0x09 { tab += 1 }
        var count = 0
        for k in min(tab + 1, lineEnd)..<lineEnd where bytes[k] >= 0x30 && bytes[k] <= 0x39 {
          count = count * 10 + Int(bytes[k] - 0x30)
        }
        if tab < lineEnd && count > 0 {
          normalizer.normalize(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[lineStart..<tab]), into: scratch)
          if scratch.count > 0 {
            builder.add(UnsafeBufferPointer(start: scratch.units, count: scratch.count), value: Double(count), merge: .add)
            total += Double(count)
          }
        }
        lineStart = lineEnd + 1
      }
      let logTotal = log(total)
      return Lexicon(builder, unknownScore: Float(log(0.5) - logTotal), scoreOf: { log($0) - logTotal })
    }
  }
}
