import Dispatch
import ZhengSouAnalysis
import ZhengSouIndex

/// Segments batches of documents on worker threads and hands them back in the order they were
/// submitted, so the single-threaded `IndexBuilder` sees exactly the token sequence of a
/// one-thread build: the index bytes do not depend on the thread count.
///
/// Segmentation is the part of indexing that parallelizes without changing any result (each
/// document's tokens depend on that document alone); the builder, which interns terms and
/// assigns ids in first-seen order, stays on the calling thread. Batches (not single documents)
/// keep the hand-off cost per document negligible, and at most `2 × threads` batches are in flight,
/// which bounds the memory held for them. Each worker owns a `Segmenter` (it is not thread-safe).
final class ParallelSegmenter {
  /// One submitted batch: the documents, then (once `done` is signalled) their fields' tokens, in
  /// `fieldNames` order, with terms interned locally (`TermBatch`).
  final class Batch: @unchecked Sendable {
    let documents: [SourceDocument]
    let terms = TermBatch()
    /// The documents' stored fields (their DOCS blocks are compressed into `terms` too).
    var stored: [StoredDocument] = []
    var inputBytes = 0
    var segmentSeconds = 0.0
    let done = DispatchSemaphore(value: 0)
    init(_ documents: [SourceDocument]) { self.documents = documents }
  }

  /// The segmenters of idle workers (taken and returned under `lock`).
  private final class Pool: @unchecked Sendable {
    var segmenters: [Segmenter]
    let lock = DispatchSemaphore(value: 1)
    init(_ segmenters: [Segmenter]) { self.segmenters = segmenters }
    func take() -> Segmenter {
      lock.wait()
      defer { lock.signal() }
      return segmenters.removeLast()
    }
    func give(_ s: Segmenter) {
      lock.wait()
      segmenters.append(s)
      lock.signal()
    }
  }

  let threads: Int
  let fieldNames: [String]
  /// The identity every worker's segmenter shares (they are built with the same options).
  let segmenterIdentity: String
  let leadCharacters: Int
  private let pool: Pool
  private let idle: DispatchSemaphore
  private var inFlight: [Batch] = []
  private let queue = DispatchQueue(label: "zhengsou.segment", attributes: .concurrent)

  /// `threads` ≥ 1 workers, each with a segmenter made with `options`.
  init(threads: Int, options: SegmenterOptions, fieldNames: [String], leadCharacters: Int) throws {
    self.threads = max(1, threads)
    self.fieldNames = fieldNames
    self.leadCharacters = leadCharacters
    let segmenters = try (0..<self.threads).map { _ in try Segmenter(options: options) }
    segmenterIdentity = segmenters[0].identity
    pool = Pool(segmenters)
    idle = DispatchSemaphore(value: self.threads)
  }

  /// Submits a batch; calls `consume` (on this thread) for every finished batch that is next in
  /// order, waiting only when too many batches are in flight.
  func submit(_ documents: [SourceDocument], consume: (Batch) throws -> Void) rethrows {
    let batch = Batch(documents)
    inFlight.append(batch)
    if threads == 1 {
      Self.segment(batch, with: pool.segmenters[0], fieldNames: fieldNames, leadCharacters: leadCharacters)
    } else {
      idle.wait()
      let pool = self.pool, idle = self.idle, fieldNames = self.fieldNames, lead = self.leadCharacters
      queue.async {
        let segmenter = pool.take()
        Self.segment(batch, with: segmenter, fieldNames: fieldNames, leadCharacters: lead)
        pool.give(segmenter)
        batch.done.signal()
        idle.signal()
      }
    }
    while let first = inFlight.first {
      if threads == 1 {
        // Done synchronously above.
      } else if inFlight.count >= 2 * threads {
        first.done.wait()
      } else if first.done.wait(timeout: .now()) == .timedOut {
        break
      }
      inFlight.removeFirst()
      try consume(first)
    }
  }

  /// Waits for every batch still in flight and consumes them in order.
  func finish(consume: (Batch) throws -> Void) rethrows {
    while !inFlight.isEmpty {
      let first = inFlight.removeFirst()
      if threads > 1 { first.done.wait() }
      try consume(first)
    }
  }

  private static func segment(_ batch: Batch, with segmenter: Segmenter, fieldNames: [String], leadCharacters: Int) {
    batch.stored = batch.documents.map { doc in
      StoredDocument(
        id: doc.id, title: doc.title, date: doc.date ?? "", kind: doc.kind.rawValue,
        source: doc.source ?? "", url: doc.url ?? "", body: doc.body)
    }
    batch.terms.storeDocuments(batch.stored)
    let t0 = monotonicSeconds()
    var buffer = TokenBuffer()
    let grams = segmenter.options.cjkGrams
    // The previous field's indexed tokens: where in the batch the first is, and each one's start
    // in the text.
    var previousFirst = 0
    var previousStarts: [Int32] = []
    for doc in batch.documents {
      var previous = ""
      for name in fieldNames {
        if name == "lead" && previous == "body" {
          // The lead is the body's tokens that start in its first `leadCharacters` characters:
          // the body's tokens just added are added again (segmenting the prefix again cost about
          // a third of all segmenting on news, and interning them again a quarter of the batch's
          // interning).
          let body = doc.body
          let cut = body.index(body.startIndex, offsetBy: leadCharacters, limitedBy: body.endIndex) ?? body.endIndex
          let leadEnd = Int32(body.utf8.distance(from: body.startIndex, to: cut))
          for (k, start) in previousStarts.enumerated() where start < leadEnd { batch.terms.repeatToken(at: previousFirst + k) }
        } else {
          var text = IndexBuildOptions.text(ofField: name, title: doc.title, body: doc.body, leadCharacters: leadCharacters)
          buffer.removeAll()
          text.withUTF8 { utf8 in
            batch.inputBytes += utf8.count
            segmenter.segment(UnsafeRawBufferPointer(utf8), into: &buffer)
          }
          previousFirst = batch.terms.tokenCount
          previousStarts.removeAll(keepingCapacity: true)
          buffer.termBytes.withUnsafeBytes { arena in
            let tokens = buffer.tokens
            func bytes(of t: Token) -> UnsafeRawBufferPointer {
              UnsafeRawBufferPointer(rebasing: arena[Int(t.termOffset)..<Int(t.termOffset + t.termLength)])
            }
            for i in tokens.indices {
              let t = tokens[i]
              let term = bytes(of: t)
              if IndexingPipeline.indexes(t, term: term, grams: grams) {
                batch.terms.add(term: term, position: Int(t.position), upcoming: i + 8 < tokens.count ? bytes(of: tokens[i + 8]) : nil)
                previousStarts.append(t.start)
              }
            }
          }
        }
        batch.terms.endField()
        previous = name
      }
    }
    batch.segmentSeconds = monotonicSeconds() - t0
  }
}
