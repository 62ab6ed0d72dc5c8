import ZhengSouFormat

/// Finds a term's per-field postings info in O(log n) without loading the dictionary.
///
/// Binary search over the block key table (each block's first 8 bytes, one contiguous array)
/// finds the block; only where keys tie is a block's first term read. Then one block of at most
/// 32 front-coded entries is scanned.
public struct TermDictionaryReader {
  let section: UnsafeRawBufferPointer
  public let termCount: Int
  let blockCount: Int
  let fieldCount: Int
  /// Where the block key table starts (8 bytes a block), the offset table (4 a block), and the
  /// blocks.
  static let keysStart = 16
  let offsetsStart: Int
  let blocksStart: Int

  init(_ section: UnsafeRawBufferPointer, fieldCount expected: Int) throws(FormatError) {
    self.section = section
    var r = ByteReader(section, region: "section TDIC")
    termCount = Int(try r.readUInt32())
    blockCount = Int(try r.readUInt32())
    fieldCount = Int(try r.readUInt32())
    guard try r.readUInt32() == 0 else { throw r.corrupt("reserved field is not zero", at: 12) }
    guard fieldCount == expected else { throw r.corrupt("field count \(fieldCount) differs from META's \(expected)", at: 8) }
    let per = IndexFormat.termsPerDictionaryBlock
    guard blockCount == (termCount + per - 1) / per else {
      throw r.corrupt("\(blockCount) blocks cannot hold \(termCount) terms", at: 4)
    }
    offsetsStart = Self.keysStart + blockCount * 8
    blocksStart = offsetsStart + blockCount * 4
    guard blocksStart <= section.count else { throw r.corrupt("block tables run past the end", at: 16) }
  }

  private func blockOffset(_ b: Int) -> Int {
    blocksStart + Int(UInt32(littleEndian: section.loadUnaligned(fromByteOffset: offsetsStart + b * 4, as: UInt32.self)))
  }

  /// Block `b`'s key as a number that orders like the bytes: its 8 bytes read big-endian.
  @inline(__always)
  private func key(ofBlock b: Int) -> UInt64 {
    UInt64(bigEndian: section.loadUnaligned(fromByteOffset: Self.keysStart + b * 8, as: UInt64.self))
  }

  /// A term's first 8 bytes, zero-padded, read big-endian: a block key for it. Keys order like
  /// the terms, except that terms sharing their first 8 bytes (or differing only by trailing zero
  /// bytes) have equal keys: `a < b` gives `key(a) ≤ key(b)`, so unequal keys decide.
  @inline(__always)
  static func key(of term: UnsafeRawBufferPointer) -> UInt64 {
    if term.count >= 8 { return UInt64(bigEndian: term.loadUnaligned(as: UInt64.self)) }
    var k: UInt64 = 0
    for i in 0..<8 { k = k << 8 | UInt64(i < term.count ? term[i] : 0) }
    return k
  }

  /// Compares `term` with the first term of block `b` (-1, 0, 1).
  private func compareWithFirst(_ term: UnsafeRawBufferPointer, block b: Int) throws(FormatError) -> Int {
    var r = ByteReader(section, region: "section TDIC", offset: blockOffset(b))
    guard try r.readVarUInt() == 0 else { throw r.corrupt("block \(b) does not start with a whole term") }
    let n = try r.readVarInt(max: r.remaining, "term length")
    let first = try r.readBytes(n)
    return compareBytes(term, first)
  }

  /// The last block whose first term is ≤ `key` (block 0 when none is): where `key` or the first
  /// term after it must be. Binary search over the key table: a probe reads 8 bytes of one
  /// contiguous array, and a block's first term only when its key equals the term's. (Reading the
  /// first term of every probed block, scattered over the section, was most of a lookup's time.)
  private func candidateBlock(for term: UnsafeRawBufferPointer) throws -> Int {
    let k = Self.key(of: term)
    var lo = 0, hi = blockCount - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      let m = key(ofBlock: mid)
      let order = k < m ? -1 : (k > m ? 1 : try compareWithFirst(term, block: mid))
      if order >= 0 { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// Per-field infos of `key` (nil entries: absent from that field), or nil if the term is unknown.
  ///
  /// Walks the candidate block's front-coded entries without rebuilding them: it keeps how many
  /// leading bytes the current entry shares with the key, so each entry costs a comparison of its
  /// suffix at most, and only the matching entry's infos are built. (Assembling every entry's term
  /// and infos, as `scanBlock` does, was a tenth of a short query's time.)
  ///
  /// `checkedSkips` reads the entries before the key with `readInfos` instead of `skipInfos`: the
  /// reference that tests compare the fast path with.
  public func lookup(_ key: UnsafeRawBufferPointer) throws -> [TermFieldInfo?]? { try lookup(key, checkedSkips: false) }

  func lookup(_ key: UnsafeRawBufferPointer, checkedSkips: Bool) throws -> [TermFieldInfo?]? {
    guard blockCount > 0 else { return nil }
    let b = try candidateBlock(for: key)
    var r = try blockReader(b)
    let count = min(IndexFormat.termsPerDictionaryBlock, termCount - b * IndexFormat.termsPerDictionaryBlock)
    // `last`: the block's running offsets (two per field), then room for an entry's deltas.
    return try withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * max(fieldCount, 1)) { last throws -> [TermFieldInfo?]? in
      last.initialize(repeating: 0)
      var termLength = 0
      // The previous entry's first `matched` bytes equal the key's, and (when it is not the key)
      // it sorts before the key.
      var matched = 0
      for _ in 0..<count {
        let prefix = try r.readVarInt(max: termLength, "shared prefix")
        let suffixLength = try r.readVarInt(max: r.remaining, "suffix length")
        let suffix = try r.readBytes(suffixLength)
        termLength = prefix + suffixLength
        // -1: this entry sorts before the key, 0: it is the key, 1: after it.
        var order = -1
        if prefix <= matched {
          // Its first `prefix` bytes are the key's: the suffix decides.
          let rest = UnsafeRawBufferPointer(rebasing: key[min(prefix, key.count)...])
          var l = 0
          let n = min(suffix.count, rest.count)
          while l < n && suffix[l] == rest[l] { l += 1 }
          matched = prefix + l
          if l < n {
            order = suffix[l] < rest[l] ? -1 : 1
          } else {
            order = suffix.count == rest.count ? 0 : (suffix.count < rest.count ? -1 : 1)
          }
        }
        // (With prefix > matched it shares the previous entry's byte where that one fell below the
        // key, so it sorts before the key too.)
        if order > 0 { return nil }
        if order == 0 {
          var infos: [TermFieldInfo?] = []
          infos.reserveCapacity(fieldCount)
          try readInfos(&r, last: last.baseAddress!, into: &infos)
          return infos
        }
        if checkedSkips {
          try readInfos(&r, last: last.baseAddress!, into: nil)
        } else {
          try skipInfos(&r, last: last.baseAddress!)
        }
      }
      return nil
    }
  }

  /// Reads one entry's per-field infos, adding its offset deltas to `last` (the block's running
  /// postings and positions offsets, two per field), and appends them to `infos` unless it is nil
  /// (an entry read only to get past it).
  @inline(__always)
  private func readInfos(_ r: inout ByteReader, last: UnsafeMutablePointer<Int>, into infos: UnsafeMutablePointer<[TermFieldInfo?]>?) throws {
    for f in 0..<fieldCount {
      let df = try r.readVarInt(max: Int(UInt32.max), "document frequency")
      if df == 0 {
        infos?.pointee.append(nil)
        continue
      }
      let maxTf = try r.readVarInt(max: Int(UInt32.max), "max term frequency")
      let minNorm = try r.readUInt8()
      last[2 * f] += try r.readVarInt(max: Int(Int32.max) * 64, "postings offset")
      // `delta << 1 | 1` for a list with positions, 0 for a list without (docs/FORMAT.md, TDIC).
      let positionsCode = try r.readVarInt(max: Int(Int32.max) * 128, "positions offset")
      last[2 * f + 1] += positionsCode >> 1
      guard positionsCode & 1 == 1 || positionsCode == 0 else { throw r.corrupt("positions code \(positionsCode) is even but not 0") }
      infos?.pointee.append(TermFieldInfo(
        docFrequency: df, maxTermFrequency: UInt32(maxTf), minNormCode: minNorm, postingsOffset: last[2 * f], positionsOffset: last[2 * f + 1],
        hasPositions: positionsCode != 0))
    }
  }

  /// Gets past one entry's infos: what `readInfos(_:last:into: nil)` does, decoded straight from
  /// the bytes (`VarInt.readUInt64`, the rules of `ByteReader.readVarUInt`) with the same limits
  /// checked. A lookup passes 16 entries on average, and the checked reads cost about 120
  /// instructions a field. The deltas are added to `last` only once the whole entry has passed
  /// (`last[2 × fieldCount...]` holds them meanwhile); anything refused, or running out of the
  /// block, is read again by `readInfos`, which throws the error that names it.
  @inline(__always)
  private func skipInfos(_ r: inout ByteReader, last: UnsafeMutablePointer<Int>) throws {
    guard r.offset >= 0, let base = r.buffer.baseAddress else { return try readInfos(&r, last: last, into: nil) }
    let end = r.buffer.count
    var o = r.offset
    let pending = last + 2 * fieldCount
    var passed = true
    for f in 0..<fieldCount {
      pending[2 * f] = 0
      pending[2 * f + 1] = 0
      guard let df = VarInt.readUInt64(base, &o, end: end), df <= UInt64(UInt32.max) else {
        passed = false
        break
      }
      if df == 0 { continue }
      guard let maxTf = VarInt.readUInt64(base, &o, end: end), maxTf <= UInt64(UInt32.max), o < end else {
        passed = false
        break
      }
      o += 1  // the norm byte
      guard let delta = VarInt.readUInt64(base, &o, end: end), delta <= UInt64(Int32.max) * 64,
        let code = VarInt.readUInt64(base, &o, end: end), code <= UInt64(Int32.max) * 128, code & 1 == 1 || code == 0
      else {
        passed = false
        break
      }
      pending[2 * f] = Int(delta)
      pending[2 * f + 1] = Int(code >> 1)
    }
    guard passed else { return try readInfos(&r, last: last, into: nil) }
    for i in 0..<(2 * fieldCount) { last[i] += pending[i] }
    r.offset = o
  }

  /// A reader over block `b`'s bytes, after checking that its range lies in the section.
  private func blockReader(_ b: Int) throws -> ByteReader {
    let start = blockOffset(b)
    let end = b + 1 < blockCount ? blockOffset(b + 1) : section.count
    guard start >= blocksStart, start <= end, end <= section.count else {
      throw FormatError.corrupt(region: "section TDIC", offset: offsetsStart + b * 4, reason: "block \(b) spans \(start)..<\(end) outside the section")
    }
    return ByteReader(UnsafeRawBufferPointer(rebasing: section[..<end]), region: "section TDIC", offset: start)
  }

  public func terms(withPrefix prefix: UnsafeRawBufferPointer) throws -> [(term: [UInt8], infos: [TermFieldInfo?])] {
    guard blockCount > 0 else { return [] }
    var out: [(term: [UInt8], infos: [TermFieldInfo?])] = []
    var done = false
    for b in try candidateBlock(for: prefix)..<blockCount where !done {
      try scanBlock(b) { term, infos in
        if term.count >= prefix.count && compareBytes(UnsafeRawBufferPointer(rebasing: term[..<prefix.count]), prefix) == 0 {
          out.append((Array(term), infos))
          return true
        }
        if compareBytes(term, prefix) > 0 {
          done = true
          return false
        }
        return true
      }
    }
    return out
  }

  /// Calls `body` for every term in order (stats, `verify`); `body` returns false to stop. Checks
  /// what a lookup takes on trust: that every term follows the one before it, across blocks too
  /// (a lookup's binary search and its scan of a block would miss terms out of order).
  public func forEachTerm(_ body: (UnsafeRawBufferPointer, [TermFieldInfo?]) throws -> Bool) throws {
    var last: [UInt8] = []
    for b in 0..<blockCount {
      var go = true
      last = try scanBlock(b, after: b == 0 ? nil : last) { t, i in
        go = try body(t, i)
        return go
      }
      if !go { return }
    }
  }

  /// Decodes the entries of block `b`, handing each whole term and its infos to `visit` while it
  /// returns true, and returns the last term decoded. Every term must come after the one before
  /// it (after `previous` for the block's first, when given) and occur in some field (df > 0):
  /// docs/FORMAT.md's rules for TDIC.
  @discardableResult
  func scanBlock(_ b: Int, after previous: [UInt8]? = nil, _ visit: (UnsafeRawBufferPointer, [TermFieldInfo?]) throws -> Bool) throws -> [UInt8] {
    var r = try blockReader(b)
    let end = r.offset + r.remaining
    var term: [UInt8] = []
    var last = [Int](repeating: 0, count: 2 * max(fieldCount, 1))
    let count = min(IndexFormat.termsPerDictionaryBlock, termCount - b * IndexFormat.termsPerDictionaryBlock)
    // One infos array for the whole block (refilled per entry; a visitor that keeps it gets its
    // own copy on the next write), not an array per entry.
    var infos: [TermFieldInfo?] = []
    infos.reserveCapacity(fieldCount)
    term.reserveCapacity(32)
    for i in 0..<count {
      let entry = r.offset
      let prefix = try r.readVarInt(max: term.count, "shared prefix")
      let suffixLength = try r.readVarInt(max: r.remaining, "suffix length")
      let suffix = try r.readBytes(suffixLength)
      // The entry follows the term before it iff its suffix follows that term's bytes past the
      // shared prefix (both terms hold that prefix).
      if i > 0, term.withUnsafeBytes({ compareBytes(suffix, UnsafeRawBufferPointer(rebasing: $0[prefix...])) }) <= 0 {
        throw FormatError.corrupt(region: "section TDIC", offset: entry, reason: "term \(i) of block \(b) does not come after the term before it")
      }
      term.removeSubrange(prefix...)
      term.append(contentsOf: suffix)
      if i == 0 {
        guard term.withUnsafeBytes({ Self.key(of: $0) }) == key(ofBlock: b) else {
          throw FormatError.corrupt(region: "section TDIC", offset: Self.keysStart + b * 8, reason: "block \(b)'s key is not its first term's first 8 bytes")
        }
        if let previous, term.withUnsafeBytes({ t in previous.withUnsafeBytes { compareBytes(t, $0) } }) <= 0 {
          throw FormatError.corrupt(region: "section TDIC", offset: entry, reason: "block \(b)'s first term does not come after block \(b - 1)'s last")
        }
      }
      infos.removeAll(keepingCapacity: true)
      try last.withUnsafeMutableBufferPointer { last in try readInfos(&r, last: last.baseAddress!, into: &infos) }
      guard infos.contains(where: { $0 != nil }) else {
        throw FormatError.corrupt(region: "section TDIC", offset: entry, reason: "term \(i) of block \(b) occurs in no field (df = 0 in every field)")
      }
      let go = try term.withUnsafeBytes { try visit($0, infos) }
      if !go { return term }
    }
    guard r.offset == end else { throw r.corrupt("block \(b) has \(end - r.offset) unexpected trailing bytes") }
    return term
  }
}

/// Unsigned lexicographic byte comparison.
@inline(__always)
func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
  let n = min(a.count, b.count)
  if n > 0 {
    let c = memcmp(a.baseAddress!, b.baseAddress!, n)
    if c != 0 { return c < 0 ? -1 : 1 }
  }
  return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
