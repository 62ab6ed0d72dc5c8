import ZhengSouFormat
import ZhengSouRanking

/// Builds an index in memory from stored documents and the terms of their fields.
///
/// It knows nothing of segmentation: the caller feeds, per document and field, each token's term
/// bytes and position (several tokens may share a position). Occurrences are appended to flat
/// arrays (no allocation per token or per posting); `finish()` groups them by term with a stable
/// counting sort, so each term's occurrences come out in (doc, position) order, and encodes
/// postings, the term dictionary, norms and stored fields into one `IndexFileWriter`.
public final class IndexBuilder {
  public let fieldNames: [String]
  public let segmenterIdentity: String
  public let userDictionary: String?
  public var metadataPairs: [(key: String, value: String)]

  private var interner = TermInterner()
  private var occurrences: [FieldOccurrences]
  private var stored = StoredFieldsWriter()
  private var currentDoc: UInt32 = 0
  private var inDocument = false
  private var totalTokens: UInt64 = 0

  /// A field's occurrences in arrival order, compactly: per token a varint term id and a zigzag
  /// varint position delta (from the previous token of the same document), with each document's
  /// start in the stream. About 3–4 bytes a token instead of 12 for three `UInt32` arrays, which
  /// keeps a 100-million-token build well inside its memory budget.
  private struct FieldOccurrences {
    var stream: [UInt8] = []
    var documentStarts: [Int] = []
    var tokenCount = 0
    var previousPosition: Int64 = 0
    var norms: [UInt8] = []
    var totalLength: UInt64 = 0
    var documentsWithField: UInt32 = 0
  }

  /// `userDictionary`: the canonical text of the segmenter's user dictionary, if it has one; it is
  /// stored (section USER) so that queries are analysed with the same words.
  public init(fieldNames: [String], segmenterIdentity: String, userDictionary: String? = nil, metadata: [(key: String, value: String)] = []) {
    precondition(!fieldNames.isEmpty && fieldNames.count <= 16)
    self.fieldNames = fieldNames
    self.segmenterIdentity = segmenterIdentity
    self.userDictionary = userDictionary
    self.metadataPairs = metadata
    occurrences = Array(repeating: FieldOccurrences(), count: fieldNames.count)
  }

  public private(set) var documentCount = 0
  public var tokenCount: UInt64 { totalTokens }

  /// Starts a document; returns its ordinal (documents are numbered in the order added).
  @discardableResult
  public func beginDocument(_ document: StoredDocument) -> Int {
    precondition(!inDocument, "endDocument() was not called")
    // Doc ids must stay below 2^31 so a partial block's `(delta << 1) | flag` fits 32 bits.
    stored.add(document)
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
      occurrences[f].documentStarts.append(occurrences[f].stream.count)
      occurrences[f].previousPosition = 0
    }
    return Int(currentDoc)
  }

  /// Adds one token of `field` of the current document. Positions of a field must not decrease.
  @inline(__always)
  public func addToken(field: Int, term: UnsafeRawBufferPointer, position: Int) {
    addToken(field: field, id: interner.intern(term), position: UInt32(clamping: position))
  }

  /// Adds every document of `batch` (whose fields were tokenized in `fieldNames` order), with
  /// `documents` as their stored fields; field lengths are the last position + 1.
  public func add(_ batch: TermBatch, documents: [StoredDocument]) {
    let state = batch.state
    precondition(state.pointee.fieldEnds.count == documents.count * fieldNames.count, "a batch must hold every field of every document")
    var global = [UInt32](repeating: 0, count: state.pointee.interner.count)
    for local in global.indices { global[local] = state.pointee.interner.withTerm(local) { interner.intern($0) } }
    // Stored fields: the blocks the worker compressed, when they line up with ours.
    var storedBefore = 0
    if stored.isAtBlockBoundary && !state.pointee.storedBlocks.isEmpty {
      let per = IndexFormat.storedBlockDocuments
      for (k, block) in state.pointee.storedBlocks.enumerated() {
        stored.add(block: block, ids: documents[(k * per)..<((k + 1) * per)].map(\.id))
      }
      storedBefore = state.pointee.storedBlocks.count * per
    }
    var t = 0
    var fieldIndex = 0
    var k = 0
    state.pointee.ids.withUnsafeBufferPointer { ids in
      state.pointee.positions.withUnsafeBufferPointer { positions in
        global.withUnsafeBufferPointer { global in
          for document in documents {
            if k < storedBefore { _ = startDocument() } else { beginDocument(document) }
            k += 1
            for f in fieldNames.indices {
              let end = state.pointee.fieldEnds[fieldIndex]
              fieldIndex += 1
              var length = 0
              // The field's occurrences are moved out for the loop, so appends need no access
              // checks on the builder and the stream stays uniquely referenced.
              var occ = FieldOccurrences()
              swap(&occ, &occurrences[f])
              totalTokens += UInt64(end - t)
              while t < end {
                Self.append(id: global[Int(ids[t])], position: positions[t], to: &occ)
                length = max(length, Int(positions[t]) + 1)
                t += 1
              }
              swap(&occ, &occurrences[f])
              setFieldLength(field: f, length)
            }
            endDocument()
          }
        }
      }
    }
  }

  @inline(__always)
  private func addToken(field: Int, id: UInt32, position: UInt32) {
    Self.append(id: id, position: position, to: &occurrences[field])
    totalTokens += 1
  }

  @inline(__always)
  private static func append(id: UInt32, position: UInt32, to occ: inout FieldOccurrences) {
    let p = Int64(position)
    let delta = p - occ.previousPosition
    occ.previousPosition = p
    appendVarint(UInt64(id), to: &occ.stream)
    appendVarint(UInt64(bitPattern: (delta << 1) ^ (delta >> 63)), to: &occ.stream)
    occ.tokenCount += 1
  }

  /// Records the length (number of positions) of `field` in the current document.
  public func setFieldLength(field: Int, _ length: Int) {
    occurrences[field].norms[Int(currentDoc)] = FieldNorm.encode(length: length)
    occurrences[field].totalLength += UInt64(length)
    if length > 0 { occurrences[field].documentsWithField += 1 }
  }

  @inline(__always)
  private static func appendVarint(_ value: UInt64, to stream: inout [UInt8]) {
    var v = value
    while v >= 0x80 {
      stream.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    stream.append(UInt8(v))
  }

  /// Decodes a field's stream, calling `body(term, doc, position)` for every token in order.
  private static func forEachOccurrence(_ occ: FieldOccurrences, _ body: (Int, UInt32, UInt32) -> Void) {
    occ.stream.withUnsafeBufferPointer { s in
      var i = 0
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
      let docs = occ.documentStarts
      for d in docs.indices {
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

  public func endDocument() {
    precondition(inDocument)
    inDocument = false
  }

  /// Encodes everything into the sections of one index file. The builder is spent afterwards.
  public func finish() -> IndexFileWriter {
    precondition(!inDocument)
    let termCount = interner.count
    let sortedIDs = interner.sortedIDs()
    var postings = PostingsWriter()
    var infos = [[TermFieldInfo?]](repeating: [TermFieldInfo?](repeating: nil, count: termCount), count: fieldNames.count)
    var docsScratch: [UInt32] = [], tfsScratch: [UInt32] = [], posScratch: [UInt32] = []

    for f in fieldNames.indices {
      // Move the stream out so it is freed as soon as this field is sorted.
      var occ = occurrences[f]
      occurrences[f].stream = []
      occurrences[f].documentStarts = []
      // Stable counting sort of occurrences by term id, in two passes over the stream.
      var starts = [Int](repeating: 0, count: termCount + 1)
      Self.forEachOccurrence(occ) { t, _, _ in starts[t + 1] += 1 }
      for t in 0..<termCount { starts[t + 1] += starts[t] }
      var fill = starts
      var sortedDocs = [UInt32](repeating: 0, count: occ.tokenCount)
      var sortedPos = [UInt32](repeating: 0, count: occ.tokenCount)
      sortedDocs.withUnsafeMutableBufferPointer { docs in
        sortedPos.withUnsafeMutableBufferPointer { positions in
          Self.forEachOccurrence(occ) { t, d, p in
            docs[fill[t]] = d
            positions[fill[t]] = p
            fill[t] += 1
          }
        }
      }
      fill = []
      occ.stream = []
      occ.documentStarts = []
      let norms = occ.norms
      for t in sortedIDs {
        let lo = starts[Int(t)], hi = starts[Int(t) + 1]
        if lo == hi { continue }
        docsScratch.removeAll(keepingCapacity: true)
        tfsScratch.removeAll(keepingCapacity: true)
        posScratch.removeAll(keepingCapacity: true)
        for i in lo..<hi {
          let d = sortedDocs[i], p = sortedPos[i]
          if let last = docsScratch.last, last == d {
            if posScratch.last == p { continue }  // the same term twice at one position counts once
            tfsScratch[tfsScratch.count - 1] += 1
          } else {
            docsScratch.append(d)
            tfsScratch.append(1)
          }
          posScratch.append(p)
        }
        infos[f][Int(t)] = postings.write(
          docs: docsScratch[...], tfs: tfsScratch[...], positions: posScratch[...], norms: { norms[Int($0)] })
      }
    }

    var dictionary = TermDictionaryWriter(fieldCount: fieldNames.count)
    for t in sortedIDs {
      interner.withTerm(Int(t)) { term in dictionary.add(term: term, infos: infos.map { $0[Int(t)] }) }
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
    file.addSection(IndexFormat.postings, postings.post.bytes)
    file.addSection(IndexFormat.positions, postings.posn.bytes)
    file.addSection(IndexFormat.fieldNorms, norms.bytes)
    file.addSection(IndexFormat.storedDocuments, parts: stored.finish())
    return file
  }
}
