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
    /// Per token: local term id and position.
    var ids: [UInt32] = []
    var positions: [UInt32] = []
    /// Per (document, field), in order: the index one past its last token.
    var fieldEnds: [Int] = []
    /// DOCS blocks of the batch's leading full groups of `IndexFormat.storedBlockDocuments`.
    var storedBlocks: [StoredFieldsWriter.Block] = []
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

  /// Adds a token of the current field.
  @inline(__always)
  public func add(term: UnsafeRawBufferPointer, position: Int) {
    state.pointee.ids.append(state.pointee.interner.intern(term))
    state.pointee.positions.append(UInt32(clamping: position))
  }

  /// Ends the current field (call once per field of every document, in the builder's field order).
  public func endField() { state.pointee.fieldEnds.append(state.pointee.ids.count) }

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
