import CPrefetch
import ZhengSouFormat

/// Iterates one term's postings in one field, document by document, straight from the mapped file.
///
/// Decodes one block of 128 doc ids and term frequencies at a time into buffers owned by the cursor
/// (no allocation per posting), skips whole blocks with the skip entries' last doc ids, and decodes
/// positions only when asked (phrase checks, highlighting). Corrupt bytes never trap: the cursor
/// stops (`doc == exhausted`) and records `failure`, which the searcher turns into an error.
public final class PostingsCursor {
  public static let exhausted = UInt32.max

  public let info: TermFieldInfo
  @usableFromInline let post: UnsafeRawBufferPointer
  let posn: UnsafeRawBufferPointer
  @usableFromInline let documentCount: UInt32
  /// Number of postings blocks (the last may be partial).
  public let blockCount: Int
  @usableFromInline let skipStart: Int
  let dataStart: Int

  // The state the hot path touches is visible to inlined callers (`doc`, `freq`, `next`,
  // `advance`), and it is exempt from dynamic exclusivity checks: a cursor is never accessed
  // from two places at once, and the per-access check cost more than the decoding in profiles.
  @usableFromInline let docs: UnsafeMutablePointer<UInt32>
  @usableFromInline let freqs: UnsafeMutablePointer<UInt32>
  @usableFromInline @exclusivity(unchecked) var block = -1
  @usableFromInline @exclusivity(unchecked) var blockLength = 0
  @usableFromInline @exclusivity(unchecked) var index = 0
  @exclusivity(unchecked) private var positionsBlockStart = 0
  @exclusivity(unchecked) private var positionsOffset = 0
  @exclusivity(unchecked) private var positionsDocIndex = 0
  /// How the current block's positions are stored: −2 not read yet, −1 varints (fewer than
  /// `IndexFormat.packedPositionsMinimum`), else the width they are bit-packed at.
  @exclusivity(unchecked) private var positionsWidth = -2
  /// With packed positions: the index of document `positionsDocIndex`'s first value.
  @exclusivity(unchecked) private var positionsValueIndex = 0
  @usableFromInline @exclusivity(unchecked) var shallowBlock = 0

  @usableFromInline @exclusivity(unchecked) var currentDoc: UInt32 = 0
  /// Where the current full block's packed frequencies start (−1: `freqs` holds them already).
  /// They are unpacked on the first `freq` of the block: skipping past a block's documents, as
  /// probes of a pruned search do, needs only the doc ids.
  @usableFromInline @exclusivity(unchecked) var pendingFreqs = -1
  @exclusivity(unchecked) private var pendingFreqBits = 0
  /// The current document, or `exhausted`.
  @inlinable public var doc: UInt32 { currentDoc }
  /// Why the cursor stopped early, if it did.
  public private(set) var failure: FormatError?
  /// What owns `post` and `posn` when they are not the mapped file's (a merged list, `PostingsUnion`).
  private let storage: AnyObject?

  init(info: TermFieldInfo, post: UnsafeRawBufferPointer, posn: UnsafeRawBufferPointer, documentCount: Int, storage: AnyObject? = nil) {
    self.storage = storage
    self.info = info
    self.post = post
    self.posn = posn
    self.documentCount = UInt32(clamping: documentCount)
    blockCount = info.blockCount
    skipStart = info.postingsOffset
    dataStart = Self.dataStart(of: info)
    // One allocation for both (a query makes a cursor per term and field).
    docs = .allocate(capacity: 2 * IndexFormat.blockSize)
    freqs = docs + IndexFormat.blockSize
    if info.postingsOffset < 0 || dataStart > post.count || info.positionsOffset > posn.count || info.docFrequency > documentCount {
      fail("postings of \(info.docFrequency) documents at \(info.postingsOffset) do not fit the section", region: "section POST", at: info.postingsOffset)
      return
    }
    loadBlock(0)
  }

  deinit { docs.deallocate() }

  /// Where the list's first block starts: after its skip entries (a one-block list has none).
  static func dataStart(of info: TermFieldInfo) -> Int {
    info.postingsOffset + (info.blockCount > 1 ? info.blockCount * IndexFormat.skipEntrySize : 0)
  }

  /// Asks for the lines a new cursor over `info` reads first (its first skip entry and the start
  /// of its first block) to be brought into the cache; a hint that reads nothing and never faults.
  /// A query's lists lie far apart in the file, so each cursor's first block was a cache miss of
  /// its own, one after another, when the cursors were made; asked for together, they overlap.
  static func prefetchStart(of info: TermFieldInfo, in post: UnsafeRawBufferPointer) {
    guard let base = post.baseAddress, info.postingsOffset >= 0, info.postingsOffset < post.count else { return }
    zs_prefetch(base + info.postingsOffset)
    let start = dataStart(of: info)
    let end = min(post.count, start + 256)  // a block of small gaps and frequencies; the rest streams in
    var o = start
    while o < end {
      zs_prefetch(base + o)
      o += 64
    }
  }

  private func fail(_ reason: String, region: String = "section POST", at offset: Int) {
    if failure == nil { failure = .corrupt(region: region, offset: offset, reason: reason) }
    currentDoc = Self.exhausted
    blockLength = 0
  }

  // MARK: - Skip entries

  @inlinable @inline(__always) func skipField(_ b: Int, _ k: Int) -> UInt32 {
    UInt32(littleEndian: post.loadUnaligned(fromByteOffset: skipStart &+ b &* IndexFormat.skipEntrySize &+ k &* 4, as: UInt32.self))
  }

  /// Last doc id of block `b` (for a single-block list: the largest possible doc id).
  /// `b` must be in `0..<blockCount`.
  @inlinable @inline(__always) public func lastDoc(ofBlock b: Int) -> UInt32 { blockCount > 1 ? skipField(b, 0) : documentCount &- 1 }

  /// Block `b`'s upper-bound pair (largest tf, smallest norm code), read from its skip entry without
  /// decoding the block; a single-block list has no skip entry and uses the term-level pair.
  /// `b` must be in `0..<blockCount`.
  @inlinable @inline(__always) public func maxTermFrequency(ofBlock b: Int) -> UInt32 { blockCount > 1 ? skipField(b, 3) : info.maxTermFrequency }
  @inlinable @inline(__always) public func minNormCode(ofBlock b: Int) -> UInt8 {
    blockCount > 1 ? post.load(fromByteOffset: skipStart &+ b &* IndexFormat.skipEntrySize &+ 16, as: UInt8.self) : info.minNormCode
  }

  /// Bytes 17..<20 of block `b`'s skip entry, which must be zero (`verify` checks them); 0 for a
  /// single-block list, which has no skip entry. `b` must be in `0..<blockCount`.
  func skipEntryZeroBytes(ofBlock b: Int) -> UInt32 { blockCount > 1 ? skipField(b, 4) >> 8 : 0 }

  /// Where block `b`'s positions end, relative to the list's positions offset (its skip entry's
  /// positionsEnd; 0 for a single-block list, which has no skip entry). `b` must be in `0..<blockCount`.
  func positionsEnd(ofBlock b: Int) -> UInt32 { blockCount > 1 ? skipField(b, 2) : 0 }

  /// Shallow advance, for block-max pruning: the first block whose last doc is ≥ `target`
  /// (`blockCount` when there is none), found from the skip entries alone. Nothing is decoded and the
  /// current document does not move. The search resumes from the block found last time, so targets
  /// must not decrease and should be ≥ `doc` (a smaller target may answer a later block than the
  /// first one that qualifies, which is still the block holding every document ≥ `doc`).
  @inlinable @inline(__always)
  public func shallowAdvance(to target: UInt32) -> Int {
    var b = max(shallowBlock, block, 0)
    while b < blockCount && lastDoc(ofBlock: b) < target { b += 1 }
    shallowBlock = b
    return b
  }

  /// The block holding this cursor's first document at or after `target` (from its current
  /// document on, if that is later), found by `shallowAdvance`; nil when it has none left. What
  /// block-max pruning reads its bounds and block ends from.
  @inlinable @inline(__always)
  public func nextBlock(from target: UInt32) -> Int? {
    let d = currentDoc
    guard d != Self.exhausted else { return nil }
    let b = shallowAdvance(to: max(target, d))
    return b < blockCount ? b : nil
  }

  /// The current block's upper-bound pair: largest tf and smallest norm code in it.
  public var blockMaxTermFrequency: UInt32 { blockCount > 1 && block >= 0 ? skipField(block, 3) : info.maxTermFrequency }
  public var blockMinNormCode: UInt8 {
    blockCount > 1 && block >= 0 ? post[skipStart + block * IndexFormat.skipEntrySize + 16] : info.minNormCode
  }
  /// The last doc id of the current block.
  public var blockLastDoc: UInt32 { block >= 0 && block < blockCount ? lastDoc(ofBlock: block) : Self.exhausted }

  // MARK: - Decoding

  @usableFromInline func loadBlock(_ b: Int) {
    guard b < blockCount else {
      currentDoc = Self.exhausted
      blockLength = 0
      return
    }
    block = b
    index = 0
    pendingFreqs = -1
    let n = b == blockCount - 1 ? info.docFrequency - b * IndexFormat.blockSize : IndexFormat.blockSize
    let start = dataStart + (b == 0 ? 0 : Int(skipField(b - 1, 1)))
    let end = blockCount > 1 ? dataStart + Int(skipField(b, 1)) : post.count
    guard start <= end, end <= post.count else { return fail("block \(b) spans \(start)..<\(end) outside the section", at: skipStart) }
    let base = post.baseAddress!
    // The list's first delta is document 0's ordinal itself and may be 0.
    let first = b == 0 ? 1 : 0
    let before = b == 0 ? 0 : skipField(b - 1, 0)
    // The deltas' sum and smallest one, once a SIMD path has turned them into ids.
    var summed: (total: UInt32, smallestDelta: UInt32)? = nil
    if n == IndexFormat.blockSize {
      guard end - start >= 2 else { return fail("block \(b) header missing", at: start) }
      let db = Int(post[start]), tb = Int(post[start + 1])
      guard db <= 32, tb <= 32 else { return fail("bit widths \(db)/\(tb) exceed 32", at: start) }
      let dBytes = BitPacker.packedByteCount(count: n, bitWidth: db), tBytes = BitPacker.packedByteCount(count: n, bitWidth: tb)
      guard 2 + dBytes + tBytes <= end - start else { return fail("block \(b) is shorter than its bit widths need", at: start) }
      let readable = post.count - (start + 2)
      summed = BitPacker.unpackPrefixSums128(base + start + 2, bitWidth: db, readable: readable, base: before, first: first, into: docs)
      if summed == nil {
        BitPacker.unpack128(base + start + 2, bitWidth: db, readable: readable, into: docs)
        // Deltas of at most `BitPacker.maximumSIMDWidth` bits sum to less than 2³². Without AVX2
        // the fused path always declines, and so would this one: the deltas are summed below.
        if BitPacker.hasSIMD && db <= BitPacker.maximumSIMDWidth {
          summed = BitPacker.prefixSums128(docs, base: before, first: first)
        }
      }
      pendingFreqs = start + 2 + dBytes
      pendingFreqBits = tb
    } else {
      pendingFreqs = -1
      var o = start
      for i in 0..<n {
        guard let v = VarInt.readUInt32(base, &o, end: end) else { return fail("bad varint in block \(b)", at: o) }
        docs[i] = v >> 1
        if v & 1 == 1 {
          freqs[i] = 1
        } else {
          guard let tf = VarInt.readUInt32(base, &o, end: end), tf > 1 else { return fail("bad term frequency in block \(b)", at: o) }
          freqs[i] = tf
        }
      }
    }
    // Deltas to doc ids. Checked once per block rather than per document: every delta but the
    // list's first is ≥ 1 and the sum (in 64 bits, so it cannot overflow) ends below the document
    // count, hence every id increases and is in range; no frequency is 0 (a packed tf − 1 of
    // 2³² − 1 wraps to 0).
    var sum: UInt64
    var smallestDelta: UInt32
    if let (total, smallest) = summed {
      // The deltas sum to less than 2³², so the ids are exact once the sum passes the check below.
      sum = UInt64(before) + UInt64(total)
      smallestDelta = smallest
    } else {
      sum = b == 0 ? UInt64(docs[0]) : UInt64(before)
      smallestDelta = UInt32.max
      for i in first..<n {
        let d = docs[i]
        smallestDelta = min(smallestDelta, d)
        sum &+= UInt64(d)
        docs[i] = UInt32(truncatingIfNeeded: sum)
      }
    }
    if smallestDelta == 0 { return fail("doc ids do not increase in block \(b)", at: start) }
    guard sum < UInt64(documentCount) else { return fail("doc id out of range in block \(b)", at: start) }
    let prev = UInt32(sum)
    if blockCount > 1 && prev != skipField(b, 0) { return fail("block \(b) ends at doc \(prev), its skip entry says \(skipField(b, 0))", at: start) }
    blockLength = n
    positionsBlockStart = info.positionsOffset + (b == 0 ? 0 : Int(skipField(b - 1, 2)))
    positionsOffset = positionsBlockStart
    positionsDocIndex = 0
    positionsWidth = -2
    positionsValueIndex = 0
    currentDoc = docs[0]
  }

  /// Term frequency in the current document.
  @inlinable @inline(__always) public var freq: UInt32 {
    if pendingFreqs >= 0 { unpackFreqs() }
    return freqs[index]
  }

  /// Unpacks the current full block's frequencies (bounds were checked with the block). A packed
  /// tf − 1 of 2³² − 1 would wrap to 0: the cursor then fails and its frequencies read as 1.
  @usableFromInline func unpackFreqs() {
    let at = pendingFreqs
    pendingFreqs = -1
    BitPacker.unpack128(post.baseAddress! + at, bitWidth: pendingFreqBits, readable: post.count - at, into: freqs)
    var smallest = UInt32.max
    if blockLength == IndexFormat.blockSize, let s = BitPacker.addOneReturningMinimum128(freqs) {
      smallest = s
    } else {
      for i in 0..<blockLength {
        freqs[i] &+= 1
        smallest = min(smallest, freqs[i])
      }
    }
    if smallest == 0 {
      fail("term frequency out of range in block \(block)", at: at)
      freqs.update(repeating: 1, count: IndexFormat.blockSize)
    }
  }

  /// Moves to the next document and returns it (or `exhausted`).
  @discardableResult @inlinable @inline(__always)
  public func next() -> UInt32 {
    guard currentDoc != Self.exhausted else { return currentDoc }
    index += 1
    if index < blockLength {
      currentDoc = docs[index]
    } else {
      loadBlock(block + 1)
    }
    return currentDoc
  }

  /// Calls `body(doc, tf)` for the current document and the following ones of the current block
  /// while they are ≤ `last`, then stops on the first document after them (loading the next block
  /// if the block ran out). Returns whether that document is ≤ `last` too, so that a loop of calls
  /// visits every document up to `last`. Term at a time, a cursor read this way keeps its position
  /// in registers for a whole block instead of storing it back for every document.
  @inlinable @inline(__always)
  public func forEachInBlock(through last: UInt32, _ body: (UInt32, UInt32) -> Void) -> Bool {
    guard currentDoc <= last else { return false }
    if pendingFreqs >= 0 { unpackFreqs() }
    let n = blockLength
    var i = index
    while i < n {
      let d = docs[i]
      if d > last { break }
      body(d, freqs[i])
      i &+= 1
    }
    if i < n {
      index = i
      currentDoc = docs[i]
      return false
    }
    loadBlock(block &+ 1)
    return currentDoc <= last
  }

  /// Moves to the first document ≥ `target` and returns it, skipping whole blocks by their skip entries.
  @discardableResult @inlinable @inline(__always)
  public func advance(to target: UInt32) -> UInt32 {
    if currentDoc >= target { return currentDoc }
    return seek(to: target)
  }

  @usableFromInline func seek(to target: UInt32) -> UInt32 {
    if target > lastDoc(ofBlock: block) {
      var b = block + 1
      while b < blockCount && lastDoc(ofBlock: b) < target { b += 1 }
      loadBlock(b)
      if doc == Self.exhausted { return doc }
    }
    // Scan with local copies and store once: writing `index` and `currentDoc` back at every step
    // made this loop a chain of store-to-load dependencies (a tenth of a query's time).
    while true {
      let n = blockLength
      var i = index
      // The next id or two are checked here (a probe's target is often near); a longer scan goes
      // eight ids a step (`BitPacker.firstIndex`).
      if i < n && docs[i] < target {
        i &+= 1
        if i < n && docs[i] < target { i = BitPacker.firstIndex(in: docs, atLeast: target, from: i &+ 1, count: n) }
      }
      if i < n {
        index = i
        currentDoc = docs[i]
        return currentDoc
      }
      // Past the block's end: only a one-block list, whose bound is the document count, gets here.
      loadBlock(block + 1)
      if doc == Self.exhausted { return doc }
    }
  }

  /// Reads how the current block's positions are stored (`positionsWidth`): packed when the block
  /// has at least `IndexFormat.packedPositionsMinimum` of them, and then whether the width is at
  /// most 32 and the packed bytes are in the section. False (the cursor failed) if not.
  private func readPositionsMode() -> Bool {
    var n = 0
    for i in 0..<blockLength { n += Int(freqs[i]) }
    guard n >= IndexFormat.packedPositionsMinimum else {
      positionsWidth = -1
      return true
    }
    let start = positionsBlockStart
    guard start >= 0 && start < posn.count else {
      fail("positions of block \(block) start past the section", region: "section POSN", at: start)
      return false
    }
    let width = Int(posn[start])
    guard width <= 32 else {
      fail("positions of block \(block) are \(width) bits wide", region: "section POSN", at: start)
      return false
    }
    guard BitPacker.packedByteCount(count: n, bitWidth: width) <= posn.count - start - 1 else {
      fail("\(n) packed positions of block \(block) run past the section", region: "section POSN", at: start)
      return false
    }
    positionsWidth = width
    return true
  }

  /// Appends the positions of the current document (ascending) to `out`; false if they are corrupt
  /// or the list has none (`TermFieldInfo.hasPositions`; asking is then an error too).
  @discardableResult
  public func positions(into out: inout [UInt32]) -> Bool {
    guard doc != Self.exhausted else { return false }
    guard info.hasPositions else {
      fail("positions asked of a list that has none", region: "section TDIC", at: info.postingsOffset)
      return false
    }
    if pendingFreqs >= 0 { unpackFreqs() }
    if positionsWidth == -2 && !readPositionsMode() { return false }
    if positionsDocIndex > index {
      positionsOffset = positionsBlockStart
      positionsDocIndex = 0
      positionsValueIndex = 0
    }
    if positionsWidth >= 0 {
      // Packed: the document's values start after its block predecessors' (whose tfs are known).
      while positionsDocIndex < index {
        positionsValueIndex += Int(freqs[positionsDocIndex])
        positionsDocIndex += 1
      }
      let values = UnsafeRawPointer(posn.baseAddress!) + positionsBlockStart + 1
      var p: UInt32 = 0
      for k in 0..<Int(freqs[index]) {
        let d = BitPacker.value(at: positionsValueIndex + k, bitWidth: positionsWidth, in: values)
        guard k == 0 || d > 0 else {
          fail("positions do not increase in block \(block)", region: "section POSN", at: positionsBlockStart)
          return false
        }
        p &+= d
        out.append(p)
      }
      positionsValueIndex += Int(freqs[index])
      positionsDocIndex = index + 1
      return true
    }
    let base = posn.baseAddress!
    var o = positionsOffset
    while positionsDocIndex < index {
      for _ in 0..<freqs[positionsDocIndex] {
        guard VarInt.readUInt32(base, &o, end: posn.count) != nil else {
          fail("bad position varint", region: "section POSN", at: o)
          return false
        }
      }
      positionsDocIndex += 1
    }
    var p: UInt32 = 0
    for k in 0..<freqs[index] {
      guard let d = VarInt.readUInt32(base, &o, end: posn.count), k == 0 || d > 0 else {
        fail("bad position delta", region: "section POSN", at: o)
        return false
      }
      p &+= d
      out.append(p)
    }
    positionsOffset = o
    positionsDocIndex = index + 1
    return true
  }
}
