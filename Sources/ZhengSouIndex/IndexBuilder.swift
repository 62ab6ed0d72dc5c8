import CPrefetch
import Dispatch
import Synchronization
import ZhengSouFormat
import ZhengSouRanking

/// Hands a value to `DispatchQueue.concurrentPerform` workers that each touch a different part.
private struct UncheckedSendable<T>: @unchecked Sendable {
  var value: T
  init(_ value: T) { self.value = value }
}

/// Builds an index from stored documents and the terms of their fields, within a memory budget.
///
/// It knows nothing of segmentation: the caller feeds, per document and field, each token's term
/// bytes and position (several tokens may share a position). Occurrences are appended to compact
/// streams (no allocation per token or per posting). They are grouped by term with a stable
/// counting sort, so each term's occurrences come out in (doc, position) order.
///
/// With a `memoryBudget`, the build keeps its memory bounded: when the streams plus the scratch
/// their sort needs would pass the budget, the documents so far are sorted and written as a run
/// (`PostingsRun`) to a spill file, and `finish()` merges the runs with the last, in-memory one,
/// term by term in byte order. Stored blocks and the final POST and POSN bytes also go to spill
/// files. The index file is the same byte for byte whatever the budget and however many runs were
/// spilled (a test checks it): runs cover ascending document ranges and are concatenated.
/// Without a budget everything stays in memory (tests, small indexes).
public final class IndexBuilder {
  public let fieldNames: [String]
  public let segmenterIdentity: String
  public let userDictionary: String?
  public var metadataPairs: [(key: String, value: String)]

  private var interner = TermInterner()
  private var occurrences: [FieldOccurrences]
  /// Where `add(_:documents:)` encodes a field's tokens before appending them to its stream.
  private var scratch: [UInt8] = []
  private var stored: StoredFieldsWriter
  private var currentDoc: UInt32 = 0
  private var inDocument = false
  private var totalTokens: UInt64 = 0

  /// Bytes the build may hold before it spills a run (`Int.max`: no budget).
  public let memoryBudget: Int
  private let spillDirectory: String?
  /// Which lists keep positions: called once per term and field at `finish()` with the field
  /// index and the term's bytes (nil: every list). Positions are only for phrase checks, so the
  /// caller drops them where no phrase will read them (about a fifth of news.jsonl's index).
  private let keepsPositions: (@Sendable (Int, UnsafeRawBufferPointer) -> Bool)?
  private var runsFile: SpillFile?
  private var runs: [PostingsRun] = []
  /// The first document of the run held in memory.
  private var runFirstDoc: UInt32 = 0
  /// The ids `0..<orderedIDs.count` in term byte order, extended at every spill and at `finish()`.
  private var orderedIDs: [UInt32] = []

  /// A field's occurrences in arrival order, compactly: per token a varint term id and a zigzag
  /// varint position delta (from the previous token of the same document), with the start in the
  /// stream of each document of the current run. About 3–4 bytes a token instead of 12 for three `UInt32` arrays, which
  /// keeps a 100-million-token build well inside its memory budget.
  private struct FieldOccurrences {
    var stream: [UInt8] = []
    var documentStarts: [Int] = []
    var tokenCount = 0
    /// Occurrences of each term id in the run, counted as they arrive so that the sort at a spill
    /// or at `finish()` (the serial tail of a build) needs one pass over the stream, not two.
    var termCounts: [UInt32] = []
    var previousPosition: Int64 = 0
    var norms: [UInt8] = []
    var totalLength: UInt64 = 0
    var documentsWithField: UInt32 = 0
  }

  /// `userDictionary`: the canonical text of the segmenter's user dictionary, if it has one; it is
  /// stored (section USER) so that queries are analysed with the same words.
  /// `memoryBudget`: bytes the build may hold (its own estimate: streams, sort scratch, terms,
  /// stored text) before it spills to anonymous files in `spillDirectory`; nil keeps everything
  /// in memory. `keepsPositions(field, term)`: whether that list keeps its positions (nil: all do).
  public init(
    fieldNames: [String], segmenterIdentity: String, userDictionary: String? = nil, metadata: [(key: String, value: String)] = [],
    memoryBudget: Int? = nil, spillDirectory: String = ".", keepsPositions: (@Sendable (Int, UnsafeRawBufferPointer) -> Bool)? = nil
  ) throws {
    self.keepsPositions = keepsPositions
    precondition(!fieldNames.isEmpty && fieldNames.count <= 16)
    self.fieldNames = fieldNames
    self.segmenterIdentity = segmenterIdentity
    self.userDictionary = userDictionary
    self.metadataPairs = metadata
    occurrences = Array(repeating: FieldOccurrences(), count: fieldNames.count)
    self.memoryBudget = memoryBudget ?? .max
    self.spillDirectory = memoryBudget == nil ? nil : spillDirectory
    stored = StoredFieldsWriter(spill: memoryBudget == nil ? nil : try SpillFile(directory: spillDirectory))
  }

  /// Runs spilled so far.
  public var spilledRuns: Int { runs.count }

  public private(set) var documentCount = 0
  public var tokenCount: UInt64 { totalTokens }

  /// Starts a document; returns its ordinal (documents are numbered in the order added).
  @discardableResult
  public func beginDocument(_ document: StoredDocument) throws -> Int {
    precondition(!inDocument, "endDocument() was not called")
    // Doc ids must stay below 2^31 so a partial block's `(delta << 1) | flag` fits 32 bits.
    try stored.add(document)
    return startDocument()
  }

  /// Starts the next document whose stored fields were already added.
  private func startDocument() -> Int {
    precondition(documentCount < Int(Int32.max), "too many documents for one index (limit 2^31 - 1)")
    inDocument = true
    currentDoc = UInt32(documentCount)
    documentCount += 1
    for f in occurrences.indices {
      occurrences[f].norms.append(0)
      occurrences[f].documentStarts.append(occurrences[f].stream.count)  // index: currentDoc - runFirstDoc
      occurrences[f].previousPosition = 0
    }
    return Int(currentDoc)
  }

  /// Adds one token of `field` of the current document. Tokens need not come in position order
  /// (the segmenter adds a compound's sub-words and grams after it), but each term's positions in
  /// a document must not decrease (`finish()` throws `IndexError.positionsNotIncreasing`); the
  /// same term twice at one position counts once.
  @inline(__always)
  public func addToken(field: Int, term: UnsafeRawBufferPointer, position: Int) {
    addToken(field: field, id: interner.intern(term), position: UInt32(clamping: position))
  }

  /// Adds every document of `batch` (whose fields were tokenized in `fieldNames` order), with
  /// `documents` as their stored fields; field lengths are the last position + 1.
  public func add(_ batch: TermBatch, documents: [StoredDocument]) throws {
    let state = batch.state
    precondition(state.pointee.fieldEnds.count == documents.count * fieldNames.count, "a batch must hold every field of every document")
    var global = [UInt32](repeating: 0, count: state.pointee.interner.count)
    global.withUnsafeMutableBufferPointer { global in
      if let ids = global.baseAddress { interner.intern(allOf: state.pointee.interner, into: ids) }
    }
    for f in occurrences.indices { Self.growCounts(&occurrences[f].termCounts, to: interner.count) }
    // Stored fields: the blocks the worker compressed, when they line up with ours.
    var storedBefore = 0
    if stored.isAtBlockBoundary && !state.pointee.storedBlocks.isEmpty {
      let per = IndexFormat.storedBlockDocuments
      for (k, block) in state.pointee.storedBlocks.enumerated() {
        try stored.add(block: block, ids: documents[(k * per)..<((k + 1) * per)].map(\.id))
      }
      storedBefore = state.pointee.storedBlocks.count * per
    }
    var t = 0
    var fieldIndex = 0
    var k = 0
    let ids = UnsafeBufferPointer(start: state.pointee.ids, count: state.pointee.tokenCount)
    let positions = UnsafeBufferPointer(start: state.pointee.positions, count: state.pointee.tokenCount)
    try global.withUnsafeBufferPointer { global in
      for document in documents {
        if k < storedBefore { _ = startDocument() } else { try beginDocument(document) }
        k += 1
        for f in fieldNames.indices {
          let end = state.pointee.fieldEnds[fieldIndex]
          fieldIndex += 1
          var length = 0
          // The field's occurrences are moved out for the loop, so appends need no access
          // checks on the builder and the stream stays uniquely referenced.
          var occ = FieldOccurrences()
          swap(&occ, &occurrences[f])
          var counts: [UInt32] = []
          swap(&counts, &occ.termCounts)
          totalTokens += UInt64(end - t)
          occ.tokenCount += end - t
          // The field's varints are encoded into scratch, up to `scratchTokens` tokens at a time,
          // and appended to the stream in one call (appending byte by byte checked the array's
          // uniqueness and capacity for every byte).
          if scratch.isEmpty { scratch = [UInt8](repeating: 0, count: Self.scratchTokens * Self.maxTokenBytes) }
          while t < end {
            let chunkEnd = min(end, t + Self.scratchTokens)
            let written = counts.withUnsafeMutableBufferPointer { counts in
              scratch.withUnsafeMutableBufferPointer { scratch in
                guard let countsBase = counts.baseAddress, let out = scratch.baseAddress else { preconditionFailure("no term counts for tokens") }
                var n = 0
                var previous = occ.previousPosition
                while t < chunkEnd {
                  // Each count is a random access into a table of a million terms.
                  if t + 16 < end { zs_prefetch(countsBase + Int(global[Int(ids[t + 16])])) }
                  let id = global[Int(ids[t])]
                  n = Self.writeToken(id: id, position: positions[t], previous: &previous, to: out, at: n)
                  counts[Int(id)] += 1
                  length = max(length, Int(positions[t]) + 1)
                  t += 1
                }
                occ.previousPosition = previous
                return n
              }
            }
            occ.stream.append(contentsOf: scratch[..<written])
          }
          swap(&counts, &occ.termCounts)
          swap(&occ, &occurrences[f])
          setFieldLength(field: f, length)
        }
        try endDocument()
      }
    }
  }

  @inline(__always)
  private func addToken(field: Int, id: UInt32, position: UInt32) {
    Self.append(id: id, position: position, to: &occurrences[field])
    Self.growCounts(&occurrences[field].termCounts, to: Int(id) + 1)
    occurrences[field].termCounts[Int(id)] += 1
    totalTokens += 1
  }

  /// Extends a run's per-term counts with zeros to cover `count` term ids.
  private static func growCounts(_ counts: inout [UInt32], to count: Int) {
    if counts.count < count { counts.append(contentsOf: repeatElement(0, count: count - counts.count)) }
  }

  /// Appends one token to the stream (the one-token path; `add(_:documents:)` encodes many at once).
  @inline(__always)
  private static func append(id: UInt32, position: UInt32, to occ: inout FieldOccurrences) {
    var bytes: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for `maxTokenBytes`
    withUnsafeMutableBytes(of: &bytes) { raw in
      let out = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
      let n = writeToken(id: id, position: position, previous: &occ.previousPosition, to: out, at: 0)
      occ.stream.append(contentsOf: UnsafeBufferPointer(start: out, count: n))
    }
    occ.tokenCount += 1
  }

  /// Writes a token as the stream holds it at `out + at`: its term id and the zigzag delta of its
  /// position from `previous` (which it updates), as varints. Returns the offset after them.
  @inline(__always)
  private static func writeToken(id: UInt32, position: UInt32, previous: inout Int64, to out: UnsafeMutablePointer<UInt8>, at: Int) -> Int {
    let p = Int64(position)
    let delta = p - previous
    previous = p
    let n = writeVarint(UInt64(id), to: out, at: at)
    return writeVarint(UInt64(bitPattern: (delta << 1) ^ (delta >> 63)), to: out, at: n)
  }

  /// Records the length (number of positions) of `field` in the current document.
  public func setFieldLength(field: Int, _ length: Int) {
    occurrences[field].norms[Int(currentDoc)] = FieldNorm.encode(length: length)
    occurrences[field].totalLength += UInt64(length)
    if length > 0 { occurrences[field].documentsWithField += 1 }
  }

  /// The most bytes `writeToken` writes: two varints of up to 64 bits.
  private static let maxTokenBytes = 20
  /// Tokens `add(_:documents:)` encodes into `scratch` at a time (1.3 MB of scratch).
  private static let scratchTokens = 1 << 16

  /// Writes `value` as a varint at `out + at`; returns the offset after it.
  @inline(__always)
  private static func writeVarint(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>, at: Int) -> Int {
    var v = value, n = at
    while v >= 0x80 {
      out[n] = UInt8(truncatingIfNeeded: v) | 0x80
      v >>= 7
      n += 1
    }
    out[n] = UInt8(v)
    return n + 1
  }

  /// Ends the current document; spills a run if the build has outgrown its memory budget.
  public func endDocument() throws {
    precondition(inDocument)
    inDocument = false
    guard spillDirectory != nil else { return }
    let bytes = estimatedBytes
    // A run must be worth a spill: if what stays (terms, norms) alone nears the budget, runs of a
    // sixteenth of it keep the merge to a bounded number of them rather than one per document.
    if bytes > memoryBudget && runBytes >= memoryBudget / 16 { try spillRun() }
  }

  /// What the build holds and would need to sort the current run: the occurrence streams, the
  /// per-run and per-document tables, the largest field's sort scratch (doc and position per
  /// token; per term its start and the two ends' counters), the interner, the encoding scratch and
  /// the stored fields not yet spilled.
  private var estimatedBytes: Int {
    var bytes = interner.memoryBytes + stored.memoryBytes + orderedIDs.capacity * 4 + (interner.count + 1) * 24 + scratch.capacity
    for o in occurrences { bytes += o.norms.capacity + o.termCounts.capacity * 4 }
    return bytes + runBytes
  }

  /// The part of `estimatedBytes` that a spill frees: the run's streams and their sort scratch.
  /// Not the per-term counts, which are grown back to every term right after a spill: counted
  /// here, they alone passed a sixteenth of a small budget once the terms were many, and the
  /// build spilled after every document.
  private var runBytes: Int {
    var bytes = 0, largest = 0
    for o in occurrences {
      bytes += o.stream.capacity + o.documentStarts.capacity * 8
      largest = max(largest, o.tokenCount)
    }
    return bytes + largest * 8
  }

  /// Extends `orderedIDs` with the terms interned since the last call (sorted, then merged in).
  private func orderNewTerms() {
    let fresh = interner.sortedIDs(from: orderedIDs.count)
    guard !fresh.isEmpty else { return }
    var merged = [UInt32]()
    merged.reserveCapacity(orderedIDs.count + fresh.count)
    var a = 0, b = 0
    while a < orderedIDs.count && b < fresh.count {
      if interner.precedes(fresh[b], orderedIDs[a]) {
        merged.append(fresh[b])
        b += 1
      } else {
        merged.append(orderedIDs[a])
        a += 1
      }
    }
    merged.append(contentsOf: orderedIDs[a...])
    merged.append(contentsOf: fresh[b...])
    orderedIDs = merged
  }

  /// One field of the in-memory run (or a slice of its terms), grouped by term: term `t`'s
  /// occurrences are `entries[starts[t]..<starts[t + 1]]`, each `doc << 32 | position` (absolute
  /// doc ids); those before `split[t]` ascend in (doc, position) order, and those from it on
  /// descend, all after the first part's (`sort` fills the two from the two ends, on two threads).
  /// One array rather than two: the sort scatters every token to a random place, and one write
  /// there costs one cache miss instead of two.
  private struct SortedField {
    var starts: [Int]
    var split: [Int]
    var entries: [UInt64]

    func isEmpty(_ t: UInt32) -> Bool { starts[Int(t)] == starts[Int(t) + 1] }

    /// Appends term `t`'s postings (one entry per doc, tf, positions; the same term twice at one
    /// position counts once).
    func gather(_ t: UInt32, into out: inout PostingsScratch) {
      let lo = starts[Int(t)], mid = split[Int(t)], hi = starts[Int(t) + 1]
      guard lo < hi else { return }
      out.reserve(docs: hi - lo, positions: hi - lo)
      entries.withUnsafeBufferPointer { entries in
        var lastDoc = UInt32.max, lastPosition = UInt32.max
        @inline(__always) func add(_ entry: UInt64) {
          let d = UInt32(truncatingIfNeeded: entry >> 32), p = UInt32(truncatingIfNeeded: entry)
          if d == lastDoc {
            if p == lastPosition { return }
            out.incrementLastTermFrequency()
          } else {
            out.appendDocument(d)
            lastDoc = d
          }
          out.appendPosition(p)
          lastPosition = p
        }
        for i in lo..<mid { add(entries[i]) }
        var i = hi
        while i > mid {
          i -= 1
          add(entries[i])
        }
      }
    }
  }

  /// Moves field `f`'s occurrences of the current run out of the builder (norms and totals stay).
  private func takeRun(_ f: Int) -> FieldOccurrences {
    var occ = FieldOccurrences()
    swap(&occ, &occurrences[f])
    occurrences[f].norms = occ.norms
    occurrences[f].totalLength = occ.totalLength
    occurrences[f].documentsWithField = occ.documentsWithField
    occ.norms = []
    return occ
  }

  /// Occurrences decoded ahead of the scatter, their counters prefetched (`scatter`).
  private static let scatterGroup = 32

  /// Groups a field's occurrences of the run starting at document `base` by term: a stable
  /// counting sort of every term, or only of the terms whose `slice.map` entry is `slice.index`
  /// (`tokens` of them). The counts were kept as tokens arrived, so the stream is decoded once.
  /// With two `threads`, each decodes half of the stream (by documents): the first half's
  /// occurrences fill each term's range from its start, the second half's from its end, so the
  /// halves need no counts of their own (`SortedField` reads the second part backwards).
  private static func sort(
    _ occ: borrowing FieldOccurrences, termCount: Int, base: UInt32, tokens: Int, slice: (map: [UInt16], index: UInt16)?, threads: Int
  ) -> SortedField {
    var starts = [Int](repeating: 0, count: termCount + 1)
    let counts = occ.termCounts
    for t in counts.indices where slice.map({ $0.map[t] == $0.index }) ?? true { starts[t + 1] = Int(counts[t]) }
    for t in 0..<termCount { starts[t + 1] += starts[t] }
    // The second half starts at the first document past half of the stream's bytes.
    let documents = occ.documentStarts.count
    let half = threads > 1 ? occ.documentStarts.firstIndex { $0 >= occ.stream.count / 2 } ?? documents : documents
    var fillUp = Array(starts.dropLast())
    var fillDown = half < documents ? Array(starts.dropFirst()) : []
    var entries = [UInt64](repeating: 0, count: tokens)
    let occ = UncheckedSendable(copy occ)
    entries.withUnsafeMutableBufferPointer { entries in
      fillUp.withUnsafeMutableBufferPointer { fillUp in
        fillDown.withUnsafeMutableBufferPointer { fillDown in
          let shared = UncheckedSendable((entries.baseAddress, fillUp.baseAddress, fillDown.baseAddress))
          DispatchQueue.concurrentPerform(iterations: half < documents ? 2 : 1) { part in
            guard let entries = shared.value.0 else { return }  // no occurrences
            if part == 0, let up = shared.value.1 {
              scatter(occ.value, documents: 0..<half, base: base, fill: up, entries: entries, descending: false, slice: slice)
            } else if part == 1, let down = shared.value.2 {
              scatter(occ.value, documents: half..<documents, base: base, fill: down, entries: entries, descending: true, slice: slice)
            }
          }
        }
      }
    }
    return SortedField(starts: starts, split: fillUp, entries: entries)
  }

  /// Scatters the occurrences of `documents` to their terms' places in `entries`, through the
  /// counters `fill`: ascending (each counter is the next place and moves up) or descending (the
  /// place after the next, moving down). Terms outside `slice` are skipped.
  @inline(__always)
  private static func scatter(
    _ occ: borrowing FieldOccurrences, documents: Range<Int>, base: UInt32, fill: UnsafeMutablePointer<Int>,
    entries: UnsafeMutablePointer<UInt64>, descending: Bool, slice: (map: [UInt16], index: UInt16)?
  ) {
    // Occurrences are decoded in groups of `scatterGroup` and their counters prefetched, then the
    // group is scattered: each token's counter (and slice map entry) is a random access into
    // tables of a million terms, and a miss waited for one at a time cost more than half the sort.
    withUnsafeTemporaryAllocation(of: (term: Int, entry: UInt64).self, capacity: Self.scatterGroup) { group in
      /// Decodes the documents into `group`, calling `prefetch(term)` for each occurrence and
      /// `scatter(count)` for each full group and the last one.
      @inline(__always) func decodeInGroups(prefetch: (Int) -> Void, scatter: (Int) -> Void) {
        var n = 0
        forEachOccurrence(occ, documents: documents) { t, d, p in
          prefetch(t)
          group[n] = (t, UInt64(base + d) << 32 | UInt64(p))
          n += 1
          if n == Self.scatterGroup {
            scatter(n)
            n = 0
          }
        }
        scatter(n)
      }
      // Descending, a counter is decremented before the write.
      let before = descending ? -1 : 0
      guard let slice else {
        decodeInGroups(prefetch: { zs_prefetch(fill + $0) }) { count in
          for i in 0..<count {
            let (t, entry) = group[i]
            let k = fill[t] &+ before
            entries[k] = entry
            fill[t] = descending ? k : k &+ 1
          }
        }
        return
      }
      // Without a branch on membership: a token of another slice goes to a scratch entry through
      // a scratch counter, which stays 0 ascending and 1 descending. The branch, taken at random,
      // was mispredicted on most tokens, and each miss exposed the latency of the map load before it.
      var trash: (count: Int, entry: UInt64) = (descending ? 1 : 0, 0)
      withUnsafeMutablePointer(to: &trash) { trash in
        let trashCount = UnsafeMutableRawPointer(trash).assumingMemoryBound(to: Int.self)
        let trashEntry = UnsafeMutableRawPointer(trash).advanced(by: MemoryLayout<Int>.stride).assumingMemoryBound(to: UInt64.self)
        slice.map.withUnsafeBufferPointer { map in
          let mapBase = map.baseAddress!
          decodeInGroups(prefetch: { t in
            zs_prefetch(mapBase + t)
            zs_prefetch(fill + t)
          }) { count in
            for i in 0..<count {
              let (t, entry) = group[i]
              let member = mapBase[t] == slice.index
              let counter = member ? fill + t : trashCount
              let target = member ? entries : trashEntry
              let k = counter.pointee &+ before
              target[k] = entry
              counter.pointee = member != descending ? k &+ 1 : k
            }
          }
        }
      }
    }
  }

  /// Writes the documents since the last run as a sorted run and frees their occurrences.
  private func spillRun() throws {
    guard let spillDirectory else { return }
    if runsFile == nil { runsFile = try SpillFile(directory: spillDirectory) }
    let file = runsFile!
    orderNewTerms()
    var ranges: [Range<Int>] = []
    var scratch = PostingsScratch()
    var out = PostingsRunEncoder()
    for f in fieldNames.indices {
      let start = file.count
      defer { ranges.append(start..<file.count) }
      // One thread: the workers go on segmenting meanwhile, and a second thread's counters (8
      // bytes a term) raised a 1,000,000-document build's peak from 950 to 986-1017 MiB for no
      // gain in time (208.8 s against 217-230 s).
      let run = takeRun(f)
      let sorted = Self.sort(run, termCount: interner.count, base: runFirstDoc, tokens: run.tokenCount, slice: nil, threads: 1)
      for t in orderedIDs where !sorted.isEmpty(t) {
        scratch.removeAll()
        sorted.gather(t, into: &scratch)
        out.append(term: t, scratch)
        if out.count >= 1 << 20 {
          try file.append(out.bytes)
          out.removeAll()
        }
      }
      try file.append(out.bytes)
      out.removeAll()
    }
    runs.append(PostingsRun(fieldRanges: ranges))
    runFirstDoc = UInt32(documentCount)
    // A spill can come in the middle of a batch, whose later documents count into these.
    for f in occurrences.indices { Self.growCounts(&occurrences[f].termCounts, to: interner.count) }
  }

  /// Decodes the stream of a field's `documents` (of the run), calling `body(term, doc, position)`
  /// for every token in order (`doc` relative to the run's first document).
  @inline(__always)
  private static func forEachOccurrence(_ occ: borrowing FieldOccurrences, documents: Range<Int>, _ body: (Int, UInt32, UInt32) -> Void) {
    occ.stream.withUnsafeBufferPointer { s in
      let docs = occ.documentStarts
      guard !documents.isEmpty else { return }
      var i = docs[documents.lowerBound]
      func next() -> UInt64 {
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
          let b = s[i]
          i += 1
          result |= UInt64(b & 0x7F) << shift
          if b < 0x80 { return result }
          shift += 7
        }
      }
      for d in documents {
        let end = d + 1 < docs.count ? docs[d + 1] : s.count
        var position: Int64 = 0
        while i < end {
          let t = Int(next())
          let z = next()
          position += Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)
          body(t, UInt32(d), UInt32(truncatingIfNeeded: position))
        }
      }
    }
  }

  /// Part of one field's terms: those of ranks `ranks` in `orderedIDs` (`tokens` occurrences in
  /// the in-memory run). A field is sorted a slice at a time when the budget does not hold the
  /// sort of the whole field; usually it is one slice. Lists are laid out in term order, so the
  /// slices' bytes, concatenated, are the bytes of one pass.
  private struct Slice {
    var field: Int
    /// Its place among its field's slices (its value in the field's slice map).
    var index: Int
    var ranks: Range<Int>
    var tokens: Int
  }

  /// Lists of consecutive terms of one field (a piece of a slice), encoded on their own and
  /// concatenated afterwards in (field, rank) order.
  private struct EncodedLists {
    var field: Int
    var ranks: Range<Int>
    var postings: PostingsWriter
    /// By rank − `ranks.lowerBound`.
    var infos: [PackedTermInfo]
  }

  /// A `TermFieldInfo` in 24 bytes instead of 40 (as an optional), kept for every term of every
  /// field until the dictionary is written: 70 MB instead of 115 MB for news's 930,000 terms.
  private struct PackedTermInfo {
    /// 0: the term is not in the field.
    var docFrequency: UInt32 = 0
    var maxTermFrequency: UInt32 = 0
    var postingsOffset: UInt64 = 0
    /// The positions offset in the low 55 bits, whether the list has positions in bit 55, the min
    /// norm code in the top 8.
    var positionsAndNorm: UInt64 = 0

    init() {}

    init(_ info: TermFieldInfo) {
      docFrequency = UInt32(info.docFrequency)
      maxTermFrequency = info.maxTermFrequency
      postingsOffset = UInt64(info.postingsOffset)
      positionsAndNorm = UInt64(info.positionsOffset) | (info.hasPositions ? 1 << 55 : 0) | UInt64(info.minNormCode) << 56
    }

    func unpacked(postingsBase: Int, positionsBase: Int) -> TermFieldInfo? {
      guard docFrequency > 0 else { return nil }
      return TermFieldInfo(
        docFrequency: Int(docFrequency), maxTermFrequency: maxTermFrequency, minNormCode: UInt8(positionsAndNorm >> 56),
        postingsOffset: postingsBase + Int(postingsOffset), positionsOffset: positionsBase + Int(positionsAndNorm & 0x007F_FFFF_FFFF_FFFF),
        hasPositions: positionsAndNorm & 1 << 55 != 0)
    }
  }

  /// Cuts every field into as few slices as keep each near `maxTokens` occurrences or under, of
  /// about equal size (`cut`).
  private func slices(maxTokens: Int) -> [[Slice]] {
    fieldNames.indices.map { f in
      let counts = occurrences[f].termCounts
      let count = { self.occurrences(ofRank: $0, in: counts) }
      let total = orderedIDs.indices.reduce(0) { $0 + count($1) }
      let pieces = min(Int(UInt16.max), max(1, total / maxTokens + (total % maxTokens == 0 ? 0 : 1)))
      return Self.cut(0..<orderedIDs.count, into: pieces, total: total, count: count).enumerated().map { k, ranks in
        Slice(field: f, index: k, ranks: ranks, tokens: ranks.reduce(0) { $0 + count($1) })
      }
    }
  }

  /// The in-memory run's occurrences of the term of rank `r`, from a field's per-term `counts`.
  private func occurrences(ofRank r: Int, in counts: [UInt32]) -> Int {
    let t = Int(orderedIDs[r])
    return t < counts.count ? Int(counts[t]) : 0
  }

  /// Cuts `ranks` (`total` occurrences, `count(r)` at rank r) into `pieces` ranges of about equal
  /// occurrences, each cut at the term boundary nearest to its share (a term's occurrences are
  /// never split, so a range may pass its share by half a term; each holds at least one term).
  /// Equal cuts rather than greedy ones: a greedy cut at half a field left a last sliver of a few
  /// hundred occurrences, which cost a third pass over the field's stream.
  private static func cut(_ ranks: Range<Int>, into pieces: Int, total: Int, count: (Int) -> Int) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var start = ranks.lowerBound, before = 0
    for r in ranks {
      let c = count(r)
      // Cut before rank r when its term's middle lies past the next cut's share.
      if r > start && out.count + 1 < pieces && 2 * before + c > 2 * (total / pieces) * (out.count + 1) {
        out.append(start..<r)
        start = r
      }
      before += c
    }
    out.append(start..<ranks.upperBound)
    return out
  }

  /// Encodes the lists of field `f`'s terms of ranks `ranks`: the sorted in-memory run merged with
  /// the spilled runs' records (a spilled build encodes a field in one piece, reading its runs in
  /// order). Runs on a worker thread: it reads only state that nothing writes meanwhile.
  private func encode(field f: Int, ranks: Range<Int>, sorted: SortedField, norms: [UInt8]) throws -> EncodedLists {
    var out = EncodedLists(
      field: f, ranks: ranks,
      postings: try PostingsWriter(
        postingsSpill: spillDirectory.map { try SpillFile(directory: $0) },
        positionsSpill: spillDirectory.map { try SpillFile(directory: $0) }),
      infos: [PackedTermInfo](repeating: PackedTermInfo(), count: ranks.count))
    var scratch = PostingsScratch()
    // A spilled build merges one field at a time (`finish()`), with a cursor per run: their
    // buffers share an eighth of the budget (16 KiB to 1 MiB each).
    let bufferSize = min(1 << 20, max(16 << 10, memoryBudget / 8 / max(1, runs.count)))
    let cursors = try runs.map { try PostingsRunCursor(file: runsFile!, range: $0.fieldRanges[f], bufferSize: bufferSize) }
    for r in ranks {
      let t = orderedIDs[r]
      scratch.removeAll()
      for cursor in cursors where cursor.term == t { try cursor.read(into: &scratch) }
      sorted.gather(t, into: &scratch)
      if scratch.isEmpty { continue }
      let keeps = keepsPositions.map { keeps in interner.withTerm(Int(t)) { keeps(f, $0) } } ?? true
      let info = out.postings.write(scratch, positions: keeps, norms: { norms[Int($0)] })
      out.infos[r - ranks.lowerBound] = PackedTermInfo(info)
      if let d = out.postings.disorderedDocument {
        throw IndexError.positionsNotIncreasing(
          field: fieldNames[f], term: interner.withTerm(Int(t)) { String(decoding: $0, as: UTF8.self) }, document: Int(d))
      }
      try out.postings.spillIfLarge()
    }
    return out
  }

  /// Threads that may sort and encode at the end of a build.
  private let finishThreads = 2
  /// The most pieces a slice is encoded in, taken by the threads in turn, and the fewest
  /// occurrences of a piece (tests make it tiny, so that small fields are cut into pieces).
  private static let finishPieces = 16
  var finishPieceTokens = 1 << 20
  /// The most occurrences in one slice of a field at the end of a build without spilled runs
  /// (nil: what the budget allows, usually the whole field; tests make it tiny, so that fields
  /// are sorted in many slices).
  var finishSliceTokens: Int? = nil

  /// Encodes everything into the sections of one index file: each field's postings are the
  /// spilled runs' records and the in-memory run merged term by term. The builder is spent afterwards.
  ///
  /// Without spilled runs, two threads share the work, one field after another: they sort it
  /// together (each decodes half of its stream, `sort`), then take pieces of its terms in turn and
  /// encode their lists (`encode`). A field is sorted whole when the budget holds that, which the
  /// estimate provides for (news.jsonl with the default budget: every field); otherwise in slices
  /// of its terms, one after another. Spilled builds merge on one thread: the merged lists of the
  /// most frequent terms (tens of MB each at a million documents) are not in the estimate, and two
  /// threads would hold two of them.
  public func finish() throws -> IndexFileWriter {
    precondition(!inDocument)
    orderNewTerms()
    let termCount = interner.count
    try runsFile?.flush()
    // A field is sorted whole when the budget holds it (its sort scratch is in the estimate), else
    // in halves, thirds, … (with a slice map), one after another: each slice costs a pass over the
    // field's stream.
    let largest = occurrences.map(\.tokenCount).max() ?? 0
    var sliced: [[Slice]]? = nil
    if runs.isEmpty {
      let withoutSort = estimatedBytes - largest * 8
      for n in 1...8 where sliced == nil {
        let candidate = slices(maxTokens: max(1, finishSliceTokens ?? (largest + n - 1) / n))
        let inFlight = candidate.flatMap { $0 }.map(\.tokens).max() ?? 0
        if withoutSort <= memoryBudget - inFlight * 8 - (n > 1 ? termCount * 2 : 0) { sliced = candidate }
      }
    }
    // Spilled builds merge on one thread: the merged lists of the most frequent terms (tens of MB
    // each at a million documents) are not in the estimate, and two threads would hold two of them.
    let threads = sliced != nil ? finishThreads : 1
    let perField = sliced ?? slices(maxTokens: .max)
    let builder = UncheckedSendable(self)
    // Every field's lists in file order: by field, then by rank.
    var encoded: [EncodedLists] = []
    for f in fieldNames.indices {
      let norms = occurrences[f].norms
      // Freed once its last slice is sorted, before the encoding.
      var run: FieldOccurrences? = takeRun(f)
      let counts = run!.termCounts
      var map: [UInt16] = []
      if perField[f].count > 1 {
        map = [UInt16](repeating: 0, count: termCount)
        for slice in perField[f] { for r in slice.ranks { map[Int(orderedIDs[r])] = UInt16(slice.index) } }
      }
      for slice in perField[f] {
        let sorted = Self.sort(
          run!, termCount: termCount, base: runFirstDoc, tokens: slice.tokens,
          slice: map.isEmpty ? nil : (map, UInt16(slice.index)), threads: threads)
        if slice.index == perField[f].count - 1 { run = nil }
        // The threads take pieces of about equal occurrences in turn (pieces of grams, which keep
        // positions, cost more than pieces of words). A spilled build reads its runs in term
        // order, so it encodes a field in one piece.
        let pieces = Self.cut(
          slice.ranks, into: runs.isEmpty ? min(Self.finishPieces, max(1, slice.tokens / max(1, finishPieceTokens))) : 1, total: slice.tokens,
          count: { self.occurrences(ofRank: $0, in: counts) })
        var results = [Result<EncodedLists, Error>?](repeating: nil, count: pieces.count)
        let taken = Atomic<Int>(0)
        results.withUnsafeMutableBufferPointer { out in
          let out = UncheckedSendable(out)
          let sorted = UncheckedSendable(sorted)
          DispatchQueue.concurrentPerform(iterations: min(threads, pieces.count)) { _ in
            while true {
              let k = taken.add(1, ordering: .relaxed).oldValue
              guard k < pieces.count else { return }
              out.value[k] = Result { try builder.value.encode(field: f, ranks: pieces[k], sorted: sorted.value, norms: norms) }
            }
          }
        }
        for result in results { encoded.append(try result!.get()) }
      }
    }
    // Each part's offsets shift by the bytes of the parts before it.
    var postBases: [Int] = [], posnBases: [Int] = []
    var postBase = 0, posnBase = 0
    for e in encoded {
      postBases.append(postBase)
      posnBases.append(posnBase)
      postBase += e.postings.post.count
      posnBase += e.postings.posn.count
    }
    let postParts = try encoded.indices.map { try encoded[$0].postings.post.sectionPart() }
    let posnParts = try encoded.indices.map { try encoded[$0].postings.posn.sectionPart() }
    let parts = encoded.map { (field: $0.field, ranks: $0.ranks, infos: $0.infos) }
    encoded = []

    var dictionary = TermDictionaryWriter(fieldCount: fieldNames.count)
    // Per field, the index in `parts` of its part that holds the current rank (each field's parts
    // are consecutive, in rank order, and every field has at least one).
    var current = fieldNames.indices.map { f in parts.firstIndex { $0.field == f }! }
    var termInfos = [TermFieldInfo?](repeating: nil, count: fieldNames.count)
    for (r, t) in orderedIDs.enumerated() {
      // Terms in byte order are at random in the interner's tables (ids are first-seen order).
      if r + 16 < orderedIDs.count { interner.prefetchSpan(of: orderedIDs[r + 16]) }
      if r + 8 < orderedIDs.count { interner.prefetchBytes(of: orderedIDs[r + 8]) }
      for f in fieldNames.indices {
        while r >= parts[current[f]].ranks.upperBound { current[f] += 1 }
        let i = current[f]
        termInfos[f] = parts[i].infos[r - parts[i].ranks.lowerBound].unpacked(postingsBase: postBases[i], positionsBase: posnBases[i])
      }
      interner.withTerm(Int(t)) { term in dictionary.add(term: term, infos: termInfos) }
    }

    let meta = IndexMetadata(
      documentCount: documentCount,
      fields: fieldNames.indices.map {
        IndexMetadata.Field(name: fieldNames[$0], totalLength: occurrences[$0].totalLength, documentsWithField: occurrences[$0].documentsWithField)
      },
      totalTokens: totalTokens, termCount: termCount,
      pairs: metadataPairs.sorted { $0.key < $1.key })
    var norms = ByteWriter(capacity: documentCount * fieldNames.count)
    for f in fieldNames.indices { norms.writeBytes(occurrences[f].norms) }

    var file = IndexFileWriter(formatVersion: IndexFormat.currentVersion)
    file.addSection(IndexFormat.meta, meta.encode())
    file.addSection(IndexFormat.segmenter, Array(segmenterIdentity.utf8))
    if let userDictionary { file.addSection(IndexFormat.userDictionary, Array(userDictionary.utf8)) }
    file.addSection(IndexFormat.termDictionary, dictionary.finish())
    file.addSection(IndexFormat.postings, parts: postParts)
    file.addSection(IndexFormat.positions, parts: posnParts)
    file.addSection(IndexFormat.fieldNorms, norms.bytes)
    file.addSection(IndexFormat.storedDocuments, parts: try stored.finish())
    return file
  }
}
