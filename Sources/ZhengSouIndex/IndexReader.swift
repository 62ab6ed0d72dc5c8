import ZhengSouFormat

/// An open index file: validated container, metadata, dictionary, postings, norms, stored fields.
///
/// Opening checks the container (header, footer, table, padding) and the checksums of the small
/// sections (META, SEGM), and validates every section's own header; the large sections are read
/// lazily through the mapping with bounds checks. `verify()` checks all of it, byte by byte.
public final class IndexReader: @unchecked Sendable {
  public let path: String
  public let container: IndexFileReader
  public let metadata: IndexMetadata
  public let segmenterIdentity: String
  /// The user dictionary's canonical text (section USER), when the index was built with one.
  public let userDictionary: String?
  public let dictionary: TermDictionaryReader
  public let storedFields: StoredFieldsReader
  let post: UnsafeRawBufferPointer
  let posn: UnsafeRawBufferPointer
  let norms: UnsafeRawBufferPointer
  private let file: MappedFile

  public init(path: String) throws(IndexError) {
    self.path = path
    file = try MappedFile(path: path)
    do {
      container = try IndexFileReader(file.bytes, supportedVersions: IndexFormat.supportedVersions)
      try container.verify(IndexFormat.meta)
      try container.verify(IndexFormat.segmenter)
      metadata = try IndexMetadata.decode(try container.section(IndexFormat.meta))
      let segm = try container.section(IndexFormat.segmenter)
      guard let identity = String(validating: segm, as: UTF8.self) else {
        throw FormatError.corrupt(region: "section SEGM", offset: 0, reason: "segmenter identity is not UTF-8")
      }
      segmenterIdentity = identity
      if container.entry(IndexFormat.userDictionary) != nil {
        try container.verify(IndexFormat.userDictionary)
        guard let text = String(validating: try container.section(IndexFormat.userDictionary), as: UTF8.self) else {
          throw FormatError.corrupt(region: "section USER", offset: 0, reason: "user dictionary is not UTF-8")
        }
        userDictionary = text
      } else {
        userDictionary = nil
      }
      dictionary = try TermDictionaryReader(try container.section(IndexFormat.termDictionary), fieldCount: metadata.fields.count)
      guard dictionary.termCount == metadata.termCount else {
        throw FormatError.corrupt(region: "section TDIC", offset: 0, reason: "\(dictionary.termCount) terms, META says \(metadata.termCount)")
      }
      post = try container.section(IndexFormat.postings)
      posn = try container.section(IndexFormat.positions)
      norms = try container.section(IndexFormat.fieldNorms)
      guard norms.count == metadata.documentCount * metadata.fields.count else {
        throw FormatError.corrupt(region: "section FNRM", offset: 0, reason: "\(norms.count) bytes, expected \(metadata.documentCount) documents × \(metadata.fields.count) fields")
      }
      storedFields = try StoredFieldsReader(try container.section(IndexFormat.storedDocuments))
      guard storedFields.count == metadata.documentCount else {
        throw FormatError.corrupt(region: "section DOCS", offset: 0, reason: "\(storedFields.count) documents, META says \(metadata.documentCount)")
      }
    } catch let e as FormatError {
      throw .format(path: path, e)
    } catch {
      throw .format(path: path, .corrupt(region: "file", offset: 0, reason: "\(error)"))
    }
  }

  public var documentCount: Int { metadata.documentCount }
  public var fieldNames: [String] { metadata.fields.map(\.name) }
  public func fieldIndex(_ name: String) -> Int? { metadata.fields.firstIndex { $0.name == name } }

  /// Field-norm codes of `field`, one byte per document.
  public func norms(field: Int) -> UnsafeRawBufferPointer {
    let n = metadata.documentCount
    return UnsafeRawBufferPointer(rebasing: norms[(field * n)..<((field + 1) * n)])
  }

  /// Runs a dictionary read over `bytes`, reporting failures as this file's `IndexError`.
  private func readDictionary<R>(_ bytes: [UInt8], _ read: (UnsafeRawBufferPointer) throws -> R) throws(IndexError) -> R {
    do { return try bytes.withUnsafeBytes { try read($0) } } catch let e as FormatError { throw .format(path: path, e) } catch {
      throw .format(path: path, .corrupt(region: "section TDIC", offset: 0, reason: "\(error)"))
    }
  }

  /// The per-field infos of a term given as normalized UTF-8 bytes.
  public func lookup(_ term: [UInt8]) throws(IndexError) -> [TermFieldInfo?]? {
    try readDictionary(term) { try dictionary.lookup($0) }
  }

  public func lookup(_ term: String) throws(IndexError) -> [TermFieldInfo?]? { try lookup(Array(term.utf8)) }

  /// Every term starting with `prefix`, with its per-field infos.
  public func terms(withPrefix prefix: [UInt8]) throws(IndexError) -> [(term: [UInt8], infos: [TermFieldInfo?])] {
    try readDictionary(prefix) { try dictionary.terms(withPrefix: $0) }
  }

  /// Asks for the first bytes a cursor over `info` will read to be brought into the cache: call it
  /// for every list of a query before making their cursors, so that their misses overlap.
  public func prefetchStart(of info: TermFieldInfo) { PostingsCursor.prefetchStart(of: info, in: post) }

  /// A fresh cursor positioned on the first document of the list.
  public func cursor(_ info: TermFieldInfo) -> PostingsCursor {
    PostingsCursor(info: info, post: post, posn: posn, documentCount: metadata.documentCount)
  }

  public func document(_ ordinal: Int) throws(IndexError) -> StoredDocument {
    do { return try storedFields.document(ordinal) } catch { throw .format(path: path, error) }
  }

  /// The stored id of document `ordinal`, without inflating its block (ids are kept apart).
  public func documentID(_ ordinal: Int) throws(IndexError) -> String {
    do { return try storedFields.id(ordinal) } catch { throw .format(path: path, error) }
  }

  /// Every stored document in ordinal order, inflating each DOCS block once.
  public func forEachDocument(_ body: (Int, StoredDocument) -> Void) throws(IndexError) {
    do { try storedFields.forEachDocument { d, doc in body(d, doc) } } catch { throw .format(path: path, error) }
  }

  /// Byte size of each section, in file order.
  public var sectionSizes: [(name: String, bytes: Int)] { container.entries.map { ($0.id.description, $0.length) } }
  public var fileSize: Int { container.file.count }

  /// Every checksum, then every structure: each dictionary block, each postings list (doc ids,
  /// frequencies, positions, skip entries, block-max pairs) and each stored document.
  public func verify() throws(IndexError) {
    do {
      try container.verifyAll()
      var positions: [UInt32] = []
      var postings = 0
      try dictionary.forEachTerm { term, infos in
        for (f, info) in infos.enumerated() {
          guard let info else { continue }
          let c = cursor(info)
          var seen = 0
          var maxTf: UInt32 = 0
          var minNorm: UInt8 = 255
          let fieldNorms = norms(field: f)
          // Each block's pair as its postings give it, compared with its skip entry's when the
          // block ends: writers store the exact values (docs/FORMAT.md, POST).
          var blockMaxTf: UInt32 = 0
          var blockMinNorm: UInt8 = 255
          let blocks = info.blockCount
          func checkBlockPair(_ b: Int) throws(FormatError) {
            guard blocks > 1 else { return }
            let stored = (c.maxTermFrequency(ofBlock: b), c.minNormCode(ofBlock: b))
            guard stored == (blockMaxTf, blockMinNorm) else {
              throw FormatError.corrupt(
                region: "section POST", offset: info.postingsOffset + b * IndexFormat.skipEntrySize,
                reason: "skip entry \(b)'s block-max pair is (tf \(stored.0), norm \(stored.1)) but its block's postings give (tf \(blockMaxTf), norm \(blockMinNorm))")
            }
            blockMaxTf = 0
            blockMinNorm = 255
          }
          var b = 0
          while c.doc != PostingsCursor.exhausted {
            if c.block != b {
              try checkBlockPair(b)
              b = c.block
            }
            seen += 1
            let norm = fieldNorms[Int(c.doc)]
            maxTf = max(maxTf, c.freq)
            minNorm = min(minNorm, norm)
            blockMaxTf = max(blockMaxTf, c.freq)
            blockMinNorm = min(blockMinNorm, norm)
            positions.removeAll(keepingCapacity: true)
            if info.hasPositions { guard c.positions(into: &positions) else { break } }
            c.next()
          }
          if let failure = c.failure { throw failure }
          if seen > 0 { try checkBlockPair(b) }
          for b in 0..<blocks where c.skipEntryZeroBytes(ofBlock: b) != 0 {
            throw FormatError.corrupt(
              region: "section POST", offset: info.postingsOffset + b * IndexFormat.skipEntrySize + 17,
              reason: "skip entry \(b)'s last three bytes are not zero")
          }
          // A list without positions has none in its skip entries either (positionsEnd = 0).
          if !info.hasPositions {
            for b in 0..<info.blockCount where c.positionsEnd(ofBlock: b) != 0 {
              throw FormatError.corrupt(
                region: "section POST", offset: info.postingsOffset + b * IndexFormat.skipEntrySize,
                reason: "skip entry \(b) of a list without positions has positionsEnd ≠ 0")
            }
          }
          guard seen == info.docFrequency, maxTf == info.maxTermFrequency, minNorm == info.minNormCode else {
            throw FormatError.corrupt(region: "section TDIC", offset: info.postingsOffset, reason: "term \(String(decoding: term, as: UTF8.self)) in field \(f): \(seen) postings (tf ≤ \(maxTf), norm ≥ \(minNorm)) but the dictionary says \(info.docFrequency) (tf ≤ \(info.maxTermFrequency), norm ≥ \(info.minNormCode))")
          }
          postings += seen
        }
        return true
      }
      try storedFields.forEachDocument { _, _ in }
    } catch let e as FormatError {
      throw .format(path: path, e)
    } catch let e as IndexError {
      throw e
    } catch {
      throw .format(path: path, .corrupt(region: "file", offset: 0, reason: "\(error)"))
    }
  }
}
