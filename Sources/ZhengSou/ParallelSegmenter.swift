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
  /// Whether documents keep their texts in the index, or only their ids (`IndexBuildOptions.storesText`).
  let storesText: Bool
  private let pool: Pool
  private let idle: DispatchSemaphore
  private var inFlight: [Batch] = []
  private let queue = DispatchQueue(label: "zhengsou.segment", attributes: .concurrent)

  /// `threads` ≥ 1 workers, each with a segmenter made with `options`.
  init(threads: Int, options: SegmenterOptions, fieldNames: [String], leadCharacters: Int, storesText: Bool = true) throws {
    self.storesText = storesText
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
      Self.segment(batch, with: pool.segmenters[0], fieldNames: fieldNames, leadCharacters: leadCharacters, storesText: storesText)
    } else {
      idle.wait()
      let pool = self.pool, idle = self.idle, fieldNames = self.fieldNames, lead = self.leadCharacters, storesText = self.storesText
      queue.async {
        let segmenter = pool.take()
        Self.segment(batch, with: segmenter, fieldNames: fieldNames, leadCharacters: lead, storesText: storesText)
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

  /// Whether the `lead` field (last in `fieldNames`, when present) is taken from the `body`
  /// field's tokens rather than segmented: whenever both are indexed. (With `text`, the lead is the
  /// body's start segmented on its own.)
  static func isLeadDerived(fieldNames: [String]) -> Bool { fieldNames.last == "lead" && fieldNames.contains("body") }

  private static func segment(_ batch: Batch, with segmenter: Segmenter, fieldNames: [String], leadCharacters: Int, storesText: Bool) {
    batch.stored = batch.documents.map { doc in
      storesText
        ? StoredDocument(
          id: doc.id, title: doc.title, date: doc.date ?? "", kind: doc.kind.rawValue,
          source: doc.source ?? "", url: doc.url ?? "", body: doc.body)
        : StoredDocument(id: doc.id, title: "", date: "", kind: "", source: "", url: "", body: "")
    }
    batch.terms.storeDocuments(batch.stored)
    let t0 = monotonicSeconds()
    var buffer = TokenBuffer()
    var leadTerm: [UInt8] = []
    let grams = segmenter.options.cjkGrams
    let derivesLead = isLeadDerived(fieldNames: fieldNames)
    for doc in batch.documents {
      // The lead, when derived from the body, is taken from the body's tokens that start in its
      // first `leadCharacters` characters: those at positions below the first position of a body
      // token starting later (positions and starts both grow with the character a token starts
      // at, and a token's first character has at least one normalized unit).
      var leadEnd = Int32.max
      var leadLimit = UInt32.max
      if derivesLead {
        let body = doc.body
        let cut = IndexBuildOptions.leadEnd(of: body, characters: leadCharacters)
        leadEnd = Int32(body.utf8.distance(from: body.startIndex, to: cut))
      }
      for name in fieldNames {
        // A derived lead reuses the body's tokens, still in `buffer` (the body comes before it).
        if !(derivesLead && name == "lead") {
          var text = IndexBuildOptions.text(ofField: name, title: doc.title, body: doc.body, leadCharacters: leadCharacters)
          buffer.removeAll()
          text.withUTF8 { utf8 in
            batch.inputBytes += utf8.count
            segmenter.segment(UnsafeRawBufferPointer(utf8), into: &buffer)
          }
        }
        let isBody = derivesLead && name == "body"
        let isLead = name == "lead"
        buffer.withTermArena { arena in
          let tokens = buffer.tokens
          func bytes(of t: Token) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: arena[Int(t.termOffset)..<Int(t.termOffset + t.termLength)])
          }
          if isLead {
            for t in tokens where UInt32(t.position) < leadLimit {
              IndexingPipeline.withLeadTerm(of: t, term: bytes(of: t), grams: grams, scratch: &leadTerm) { term in
                batch.terms.add(term: term, position: Int(t.position))
              }
            }
            return
          }
          for i in tokens.indices {
            let t = tokens[i]
            let term = bytes(of: t)
            if IndexingPipeline.indexes(t, term: term, grams: grams) {
              batch.terms.add(term: term, position: Int(t.position), upcoming: i + 8 < tokens.count ? bytes(of: tokens[i + 8]) : nil)
              if isBody && t.start >= leadEnd { leadLimit = min(leadLimit, UInt32(t.position)) }
            }
          }
        }
        batch.terms.endField()
      }
    }
    batch.segmentSeconds = monotonicSeconds() - t0
  }
}
