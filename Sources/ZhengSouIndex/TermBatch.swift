/// The tokens of a batch of documents with their terms interned locally, so that the expensive
/// part of interning (a hash probe per token into a table of millions of terms) runs on the worker
/// thread that segmented the batch, in a small table that stays in cache.
///
/// `IndexBuilder.add(_:documents:)` then interns each distinct term of the batch once, in local id
/// order (which is first-seen order), and remaps the tokens. Term ids never reach the file (terms are
/// written sorted by their bytes), so the index is the same as if every token had been added one by
/// one, whatever thread built the batch.
public final class TermBatch: @unchecked Sendable {
  /// Everything lives behind one pointer: the worker appends a token with no exclusivity checks and
  /// no reference counting (class stored properties would pay both on every token).
  struct State: ~Copyable {
    var interner = TermInterner()
    /// Per token: local term id and position (`tokenCount` of each, room for `tokenCapacity`).
    /// Raw buffers rather than arrays: an array append checks uniqueness and capacity on every
    /// token.
    var ids: UnsafeMutablePointer<UInt32>
    var positions: UnsafeMutablePointer<UInt32>
    var tokenCount = 0
    var tokenCapacity = 1 << 14
    /// Per (document, field), in order: the index one past its last token.
    var fieldEnds: [Int] = []
    /// DOCS blocks of the batch's leading full groups of `IndexFormat.storedBlockDocuments`.
    var storedBlocks: [StoredFieldsWriter.Block] = []

    init() {
      ids = .allocate(capacity: tokenCapacity)
      positions = .allocate(capacity: tokenCapacity)
    }

    deinit {
      ids.deallocate()
      positions.deallocate()
    }

    @inline(__always)
    mutating func append(id: UInt32, position: UInt32) {
      if tokenCount == tokenCapacity { grow() }
      ids[tokenCount] = id
      positions[tokenCount] = position
      tokenCount += 1
    }

    private mutating func grow() {
      tokenCapacity *= 2
      ids = reallocated(ids, count: tokenCount, capacity: tokenCapacity)
      positions = reallocated(positions, count: tokenCount, capacity: tokenCapacity)
    }
  }

  let state: UnsafeMutablePointer<State>

  public init() {
    state = .allocate(capacity: 1)
    state.initialize(to: State())
  }

  deinit {
    state.deinitialize(count: 1)
    state.deallocate()
  }

  /// Adds a token of the current field. `upcoming`, if given, is the term of a token to be added a
  /// few calls later: its table slot is prefetched now, since a batch's table is larger than a
  /// core's L2 cache and waiting for each token's slot was most of the time of this call.
  @inline(__always)
  public func add(term: UnsafeRawBufferPointer, position: Int, upcoming: UnsafeRawBufferPointer? = nil) {
    if let upcoming { state.pointee.interner.prefetchSlot(hash: TermInterner.hash(upcoming)) }
    state.pointee.append(id: state.pointee.interner.intern(term), position: UInt32(clamping: position))
  }

  /// Ends the current field (call once per field of every document, in the builder's field order).
  public func endField() { state.pointee.fieldEnds.append(state.pointee.tokenCount) }

  /// Compresses the stored fields of the batch's documents (all of them, in order) on this thread,
  /// block by block; a trailing partial block is left to the builder.
  public func storeDocuments(_ documents: [StoredDocument]) {
    let per = IndexFormat.storedBlockDocuments
    var start = 0
    while start + per <= documents.count {
      state.pointee.storedBlocks.append(StoredFieldsWriter.compressBlock(documents[start..<(start + per)]))
      start += per
    }
  }
}
