import ZhengSouFormat

/// A sorted run: the postings of a contiguous range of documents, spilled to a `SpillFile` when the
/// builder reached its memory budget, to be merged into the final lists by `IndexBuilder.finish()`.
///
/// It is a build-time scratch format, never part of an index file. Per field, records in term
/// byte order (the order of the final term dictionary, so a merge is a walk in step):
///
///     record := termID:varint docCount:varint (docDelta:varint tf:varint posDelta:varint×tf)×docCount
///
/// `termID` is the builder's interner id; the first `docDelta` is the absolute doc id and each
/// later one is against the previous doc; positions are ascending per doc, deltas from 0.
/// Runs cover ascending, disjoint document ranges, so concatenating a term's records in run order
/// gives its postings in doc order, the same as if nothing had been spilled.
struct PostingsRun {
  /// Per field: where its records lie in the runs file.
  var fieldRanges: [Range<Int>]
}

/// Encodes `PostingsRun` records into a raw buffer with one capacity check per record (a spill
/// writes every posting of the run, so per-byte `Array.append` checks would cost a large part of it).
struct PostingsRunEncoder: ~Copyable {
  private var base: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private(set) var count = 0

  init() {
    capacity = 2 << 20
    base = .allocate(capacity: capacity)
  }

  deinit { base.deallocate() }

  var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  mutating func removeAll() { count = 0 }

  /// Appends one record: term `term`'s postings within the run.
  mutating func append(term: UInt32, _ postings: borrowing PostingsScratch) {
    let docs = postings.documentBuffer, tfs = postings.frequencyBuffer, positions = postings.positionBuffer
    let worst = 5 * (2 + 2 * docs.count + positions.count)
    if count + worst > capacity {
      while count + worst > capacity { capacity *= 2 }
      let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
      grown.update(from: base, count: count)
      base.deallocate()
      base = grown
    }
    var out = base + count
    @inline(__always) func put(_ value: UInt32) { out += VarInt.writeUInt32(value, to: out) }
    put(term)
    put(UInt32(docs.count))
    var previousDoc: UInt32 = 0
    var p = 0
    for k in docs.indices {
      let doc = docs[k], tf = tfs[k]
      put(doc &- previousDoc)
      previousDoc = doc
      put(tf)
      var previousPosition: UInt32 = 0
      for _ in 0..<Int(tf) {
        put(positions[p] &- previousPosition)
        previousPosition = positions[p]
        p += 1
      }
    }
    count = out - base
  }
}

/// Reads one field's records of a `PostingsRun` in order, through a buffer (1 MiB, less when
/// many runs share a small budget).
final class PostingsRunCursor {
  /// The term of the record under the cursor, or `UInt32.max` past the last record.
  private(set) var term: UInt32 = .max
  private let file: SpillFile
  private var next: Int
  private let end: Int
  private let buffer: UnsafeMutableRawBufferPointer
  private var i = 0
  private var n = 0

  init(file: SpillFile, range: Range<Int>, bufferSize: Int = 1 << 20) throws {
    self.file = file
    next = range.lowerBound
    end = range.upperBound
    buffer = .allocate(byteCount: max(64, bufferSize), alignment: 16)
    try advanceTerm()
  }

  deinit { buffer.deallocate() }

  /// Appends the current record's postings to `out` and moves to the next record.
  func read(into out: inout PostingsScratch) throws {
    let count = Int(try varint())
    out.reserve(docs: count, positions: 0)
    var doc: UInt32 = 0
    for _ in 0..<count {
      doc &+= try varint()
      let tf = try varint()
      out.appendDocument(doc, tf: tf)
      out.reserve(docs: 0, positions: Int(tf))
      var position: UInt32 = 0
      for _ in 0..<Int(tf) {
        position &+= try varint()
        out.appendPosition(position)
      }
    }
    try advanceTerm()
  }

  private func advanceTerm() throws {
    try fill()
    term = i < n ? try varint() : .max
  }

  /// Tops the buffer up so that a whole varint (≤ 5 bytes; it keeps 10) is available unless the run
  /// ends first.
  @inline(__always)
  private func fill() throws {
    guard n - i < 10, next < end else { return }
    let keep = n - i
    if keep > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + i, byteCount: keep) }
    let want = min(buffer.count - keep, end - next)
    let got = try file.read(at: next, into: UnsafeMutableRawBufferPointer(rebasing: buffer[keep..<(keep + want)]))
    guard got == want else { throw IndexError.io(path: file.directory, operation: "read back a spill file in", errno: 5) }
    next += got
    i = 0
    n = keep + got
  }

  /// The next value of the record (every value in a run is 32-bit: term ids, counts, deltas).
  @inline(__always)
  private func varint() throws -> UInt32 {
    try fill()
    guard let value = VarInt.readUInt32(UnsafeRawPointer(buffer.baseAddress!), &i, end: n) else {
      throw IndexError.io(path: file.directory, operation: "read back a spill file (truncated record) in", errno: 5)
    }
    return value
  }
}
