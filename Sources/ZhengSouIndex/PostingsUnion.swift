import ZhengSouFormat

/// Several lists of one field merged, in memory, into one list in the index's own block format:
/// each document once, its frequencies summed and (when kept) its positions merged. What a
/// phrase's open-ended last character matches: its unigram or any of the bigrams it starts, which
/// for a common character are thousands of lists (a quoted 的 or 年, the 年 of "2024年").
///
/// Why it exists: a phrase slot made of n cursors costs n steps for every document it is asked
/// about, so a quoted 年 took 50 ms and 的 150 ms. Merged once, at a cost proportional to the
/// postings merged, the slot is one cursor, and every evaluator (block-max pruning included) runs
/// over it unchanged, because it is written by the same `PostingsWriter` and read by the same
/// `PostingsCursor`, with exact skip entries and block-max pairs.
///
/// The merged frequency of a document is the sum of its lists' frequencies, which is what a
/// one-slot phrase counted before; the merged positions are the union of theirs (the lists of an
/// open-ended slot never share a position: a character starts either a bigram or, last in its
/// run, its unigram; lists that do share one are refused as corrupt).
enum PostingsUnion {
  /// The merged list of `lists` in `field`, or nil when none of them holds a document (of
  /// `candidates`, when given).
  ///
  /// Without `candidates` every document is kept, with frequencies only (no positions: a phrase of
  /// one slot counts its occurrences from the frequencies). With them (ascending document ids:
  /// the documents that hold the phrase's other slots) only those documents are kept, with
  /// positions, so that a phrase like "2024年" decodes the positions of 年's lists only where 2024
  /// occurs.
  static func merge(
    _ lists: [TermFieldInfo], field: Int, within candidates: [UInt32]?, reader: IndexReader
  ) throws(FormatError) -> PostingsCursor? {
    let n = reader.metadata.documentCount
    var scratch = PostingsScratch()
    if let candidates {
      try collect(lists, within: candidates, documentCount: n, reader: reader, into: &scratch)
    } else {
      try collect(lists, documentCount: n, reader: reader, into: &scratch)
    }
    guard !scratch.isEmpty else { return nil }
    let fieldNorms = reader.norms(field: field)
    var writer = PostingsWriter()
    let info = writer.write(scratch, positions: candidates != nil) { fieldNorms[Int($0)] }
    if let d = writer.disorderedDocument {
      throw .corrupt(region: "section POSN", offset: lists.first?.positionsOffset ?? 0, reason: "lists of one phrase slot share a position in document \(d)")
    }
    let storage = OwnedBytes(writer.post.buffer.bytes, writer.posn.buffer.bytes)
    return PostingsCursor(info: info, post: storage.post, posn: storage.posn, documentCount: n, storage: storage)
  }

  /// Every document of `lists`, with the sum of its frequencies.
  private static func collect(_ lists: [TermFieldInfo], documentCount n: Int, reader: IndexReader, into scratch: inout PostingsScratch) throws(FormatError) {
    var sums = [UInt64](repeating: 0, count: n)
    for info in lists {
      let c = reader.cursor(info)
      sums.withUnsafeMutableBufferPointer { sums in
        while c.forEachInBlock(through: PostingsCursor.exhausted - 1, { d, tf in
          if Int(d) < n { sums[Int(d)] &+= UInt64(tf) }
        }) {}
      }
      if let f = c.failure { throw f }
    }
    for d in 0..<n where sums[d] > 0 {
      scratch.reserve(docs: 1, positions: 0)
      scratch.appendDocument(UInt32(d), tf: UInt32(clamping: sums[d]))
    }
  }

  /// The documents of `candidates` that some list holds, with their merged positions.
  private static func collect(_ lists: [TermFieldInfo], within candidates: [UInt32], documentCount n: Int, reader: IndexReader, into scratch: inout PostingsScratch) throws(FormatError) {
    let m = candidates.count
    guard m > 0 else { return }
    // Document → its index among the candidates (−1: not one).
    var slot = [Int32](repeating: -1, count: n)
    for (i, d) in candidates.enumerated() where Int(d) < n { slot[Int(d)] = Int32(i) }
    var counts = [Int](repeating: 0, count: m)
    var entries: [(candidate: Int32, position: UInt32)] = []
    var buffer: [UInt32] = []
    for info in lists {
      let c = reader.cursor(info)
      func take(_ i: Int32) {
        buffer.removeAll(keepingCapacity: true)
        guard c.positions(into: &buffer) else { return }  // the cursor records why
        counts[Int(i)] += buffer.count
        for p in buffer { entries.append((i, p)) }
      }
      if info.docFrequency <= 4 * m {
        // A short list: walk it and keep the candidates' postings.
        while c.doc != PostingsCursor.exhausted && c.failure == nil {
          if Int(c.doc) < n, case let i = slot[Int(c.doc)], i >= 0 { take(i) }
          c.next()
        }
      } else {
        // A long one: skip through it to each candidate.
        for (i, d) in candidates.enumerated() {
          let at = c.advance(to: d)
          if at == PostingsCursor.exhausted { break }
          if at == d { take(Int32(i)) }
        }
      }
      if let f = c.failure { throw f }
    }
    // Group the positions by document (a counting sort, stable), then order each document's.
    var starts = [Int](repeating: 0, count: m + 1)
    for i in 0..<m { starts[i + 1] = starts[i] + counts[i] }
    var merged = [UInt32](repeating: 0, count: entries.count)
    var fill = starts
    for (i, p) in entries {
      merged[fill[Int(i)]] = p
      fill[Int(i)] += 1
    }
    merged.withUnsafeMutableBufferPointer { merged in
      for i in 0..<m where counts[i] > 0 {
        var segment = UnsafeMutableBufferPointer(rebasing: merged[starts[i]..<starts[i + 1]])
        segment.sort()
        scratch.reserve(docs: 1, positions: segment.count)
        scratch.appendDocument(candidates[i], tf: UInt32(segment.count))
        for p in segment { scratch.appendPosition(p) }
      }
    }
  }
}

/// The bytes behind a merged list's cursor, kept alive by the cursor.
final class OwnedBytes {
  let post: UnsafeRawBufferPointer
  let posn: UnsafeRawBufferPointer
  private let allocations: [UnsafeMutableRawPointer]

  init(_ post: [UInt8], _ posn: [UInt8]) {
    let a = Self.copy(post), b = Self.copy(posn)
    self.post = a.bytes
    self.posn = b.bytes
    allocations = [a.allocation, b.allocation]
  }

  /// `bytes` copied into an allocation of at least one byte, so that even an empty copy has an address.
  private static func copy(_ bytes: [UInt8]) -> (bytes: UnsafeRawBufferPointer, allocation: UnsafeMutableRawPointer) {
    let allocation = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
    bytes.withUnsafeBytes { if let base = $0.baseAddress { allocation.copyMemory(from: base, byteCount: $0.count) } }
    return (UnsafeRawBufferPointer(start: allocation, count: bytes.count), allocation)
  }

  deinit { for a in allocations { a.deallocate() } }
}

extension IndexReader {
  /// One cursor over the union of `lists` (all of field `field`): each document once, frequencies
  /// summed; restricted to `candidates` (ascending), with merged positions, when given
  /// (`PostingsUnion`). Nil when the union is empty.
  public func unionCursor(of lists: [TermFieldInfo], field: Int, within candidates: [UInt32]? = nil) throws(IndexError) -> PostingsCursor? {
    do { return try PostingsUnion.merge(lists, field: field, within: candidates, reader: self) } catch { throw .format(path: path, error) }
  }
}
