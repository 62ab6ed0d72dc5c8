/// One term's postings being assembled for `PostingsWriter` or a spilled run: doc ids, term
/// frequencies and the concatenated positions, in raw buffers.
///
/// The merge at the end of a build fills one of these for every term of every field (hundreds of
/// millions of entries for a large corpus); with `Array.append` a uniqueness check and a capacity
/// check per entry were a fifth of that phase. Callers `reserve` what a step can add, then append
/// unchecked.
struct PostingsScratch: ~Copyable {
  private(set) var docs: UnsafeMutablePointer<UInt32>
  private(set) var tfs: UnsafeMutablePointer<UInt32>
  private(set) var positions: UnsafeMutablePointer<UInt32>
  private(set) var docCount = 0
  private(set) var positionCount = 0
  private var docCapacity = 1 << 12
  private var positionCapacity = 1 << 14

  init() {
    docs = .allocate(capacity: docCapacity)
    tfs = .allocate(capacity: docCapacity)
    positions = .allocate(capacity: positionCapacity)
  }

  deinit {
    docs.deallocate()
    tfs.deallocate()
    positions.deallocate()
  }

  mutating func removeAll() {
    docCount = 0
    positionCount = 0
  }

  /// Makes room for `docs` more documents and `positions` more positions.
  @inline(__always)
  mutating func reserve(docs extraDocs: Int, positions extraPositions: Int) {
    if docCount + extraDocs > docCapacity { growDocs(to: docCount + extraDocs) }
    if positionCount + extraPositions > positionCapacity { growPositions(to: positionCount + extraPositions) }
  }

  private mutating func growDocs(to needed: Int) {
    while docCapacity < needed { docCapacity *= 2 }
    docs = reallocated(docs, count: docCount, capacity: docCapacity)
    tfs = reallocated(tfs, count: docCount, capacity: docCapacity)
  }

  private mutating func growPositions(to needed: Int) {
    while positionCapacity < needed { positionCapacity *= 2 }
    positions = reallocated(positions, count: positionCount, capacity: positionCapacity)
  }

  /// Appends a document with tf 1 (room reserved).
  @inline(__always) mutating func appendDocument(_ doc: UInt32, tf: UInt32 = 1) {
    docs[docCount] = doc
    tfs[docCount] = tf
    docCount += 1
  }

  /// Counts one more position for the last document (room reserved by the caller's `reserve`).
  @inline(__always) mutating func incrementLastTermFrequency() { tfs[docCount - 1] += 1 }

  @inline(__always) mutating func appendPosition(_ p: UInt32) {
    positions[positionCount] = p
    positionCount += 1
  }

  var isEmpty: Bool { docCount == 0 }

  var documentBuffer: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: docs, count: docCount) }
  var frequencyBuffer: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: tfs, count: docCount) }
  var positionBuffer: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: positions, count: positionCount) }
}
