import ZhengSouAnalysis
import ZhengSouIndex

#if canImport(Glibc)
import Glibc
#endif

/// Reads documents, segments their fields and writes one index file, atomically.
///
/// Documents are segmented on `IndexBuildOptions.threads` worker threads (`ParallelSegmenter`),
/// which also intern each batch's terms locally (`TermBatch`), and are added to the one
/// `IndexBuilder` in input order, so the file is the same byte for byte whatever
/// the thread count. Tokens go into the builder as byte slices (no `String` per token). A field's
/// length is its last position + 1. The output replaces `output` only after the whole file is
/// written and fsync'd.
public enum IndexingPipeline {
  /// What this pipeline puts in an index beyond the segmenter's tokens, where that changed without
  /// a change of format or segmenter (so that the bundled corpus's cached index is rebuilt):
  /// `lead/2`, the lead holds words only (`withLeadTerm`); before, every token of the body's start.
  public static let policy = "lead/2"

  /// Called after each document with (documents so far, input bytes so far).
  public typealias Progress = (Int, Int) -> Void

  public static func build(
    paths: [String], output: String, options: IndexBuildOptions = .init(),
    onProblem: (IngestionProblem) -> Void = { _ in }, onProgress: Progress? = nil
  ) throws -> IndexBuildSummary {
    try build(loader: DocumentLoader(paths: paths), output: output, options: options, onProblem: onProblem, onProgress: onProgress)
  }

  public static func build(
    loader: DocumentLoader, output: String, options: IndexBuildOptions = .init(),
    onProblem: (IngestionProblem) -> Void = { _ in }, onProgress: Progress? = nil
  ) throws -> IndexBuildSummary {
    for f in options.fields where !IndexBuildOptions.knownFields.contains(f) { throw ZhengSouError.unknownField(f) }
    let started = monotonicSeconds()
    let workers = try ParallelSegmenter(
      threads: options.threads, options: options.segmenter,
      fieldNames: options.fields + (options.leadCharacters > 0 && (options.fields.contains("body") || options.fields.contains("text")) ? ["lead"] : []),
      leadCharacters: options.leadCharacters, storesText: options.storesText)
    let fieldNames = workers.fieldNames
    let identity = workers.segmenterIdentity
    let builder = try IndexBuilder(
      fieldNames: fieldNames, segmenterIdentity: identity,
      userDictionary: options.segmenter.userDictionary?.serialized,
      metadata: options.metadata + (options.storesText ? [] : [(IndexBuildOptions.storedKey, "ids")]),
      memoryBudget: options.memoryBudget.map { builderBudget(total: $0, threads: workers.threads) },
      spillDirectory: directory(of: output),
      keepsPositions: positionPolicy(fieldNames: fieldNames, segmenter: options.segmenter))
    var inputBytes = 0
    var problems = 0
    var segmentSeconds = 0.0
    var failure: Error?
    /// Adds one segmented batch to the builder, documents in order.
    func add(_ batch: ParallelSegmenter.Batch) {
      guard failure == nil else { return }
      do { try builder.add(batch.terms, documents: batch.stored) } catch {
        failure = error
        return
      }
      inputBytes += batch.inputBytes
      segmentSeconds += batch.segmentSeconds
      onProgress?(builder.documentCount, inputBytes)
    }
    var pending: [SourceDocument] = []
    var pendingBytes = 0
    loader.forEachDocument({ doc in
      pending.append(doc)
      pendingBytes += doc.body.utf8.count + doc.title.utf8.count
      // Batches of about 256 KB of text: large enough that hand-offs cost nothing, small enough to
      // keep every worker busy, the memory in flight small and a batch's local term table in
      // cache (news.jsonl against 1 MB batches: peak 737–748 against 763–776 MiB, user time no
      // higher in alternated runs).
      // A whole number of DOCS blocks, so workers compress every block but the very last.
      if (pendingBytes >= 1 << 18 || pending.count >= 4096) && pending.count % IndexFormat.storedBlockDocuments == 0 {
        workers.submit(pending, consume: add)
        pending = []
        pendingBytes = 0
      }
    }, onProblem: { p in
      problems += 1
      onProblem(p)
    })
    if !pending.isEmpty { workers.submit(pending, consume: add) }
    workers.finish(consume: add)
    if let failure { throw failure }
    guard builder.documentCount > 0 else { throw ZhengSouError.noDocuments(problems: problems) }
    let documents = builder.documentCount
    let tokens = builder.tokenCount
    let finishing = monotonicSeconds()
    let file = try builder.finish()
    try AtomicFileWriter.write(to: output) { sink in try file.write(sink) }
    let end = monotonicSeconds()
    return IndexBuildSummary(
      path: output, documents: documents, problems: problems, tokens: tokens, inputBytes: inputBytes,
      seconds: end - started, segmentSeconds: segmentSeconds, finishSeconds: end - finishing, indexBytes: file.totalLength,
      spilledRuns: builder.spilledRuns)
  }

  /// Whether a token of the segmenter's output is indexed (the one rule on which tokens are, beside
  /// `positionPolicy` on which lists keep positions). With grams, a two-character Chinese word is
  /// not: its bigram is the same text at the same position (`Segmenter.isBigramWord`), and queries
  /// score the word through the bigram (`Searcher.weightedTerms`). Runs once per token, on the
  /// segmenting threads.
  @inline(__always)
  static func indexes(_ token: Token, term: UnsafeRawBufferPointer, grams: Bool) -> Bool {
    !(grams && token.kind != .gram && Segmenter.isBigramWord(term))
  }

  /// The term a token of the body gives the `lead` field, if any, handed to `body`: words only.
  /// Grams are left out, and a two-character Chinese word, which the body indexes through its
  /// bigram alone (`indexes`), goes in as that bigram, the term a query scores it through
  /// (`Searcher.weightedTerms`); so the lead's list of a bigram holds the places where it was a word.
  /// A lead is evidence that a document is *about* a query's words: with its grams too (all the
  /// body's tokens) the lead held more than twice the postings (12.7 against 5.9 million on
  /// news.jsonl) and ranked worse on every development set (MRR@10 news 0.7181 → 0.7207, policy
  /// 0.8327 → 0.8421, CMRC 0.9854 → 0.9864 with words only; issue #4). `scratch` holds the
  /// bigram's bytes.
  @inline(__always)
  static func withLeadTerm(of token: Token, term: UnsafeRawBufferPointer, grams: Bool, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) -> Void) {
    guard token.kind != .gram else { return }
    if indexes(token, term: term, grams: grams) { return body(term) }
    scratch.removeAll(keepingCapacity: true)
    scratch.append(Segmenter.gramPrefix)
    scratch.append(contentsOf: term)
    scratch.withUnsafeBytes(body)
  }

  /// Which lists keep positions. Positions serve only phrase checks (quoted phrases, adjacency
  /// boosts), and those match Chinese text through its grams and other text through its whole
  /// tokens. So with grams, a word made only of CJK ideographs needs none (its phrases are chains
  /// of bigrams), and the derived `lead` field, the start of the body, needs none at all (a phrase
  /// there is in the body too). On news.jsonl this is 55 MB of 271 MB.
  static func positionPolicy(fieldNames: [String], segmenter: SegmenterOptions) -> @Sendable (Int, UnsafeRawBufferPointer) -> Bool {
    let phraseFields = fieldNames.map { $0 != "lead" }
    let grams = segmenter.cjkGrams
    return { field, term in phraseFields[field] && !(grams && Segmenter.isGramCoveredWord(term)) }
  }

  /// The builder's share of a whole-process budget: what is left after the process itself (code,
  /// lexicon, ICU data, spill buffers) and the batches in flight on each worker (text, tokens and a
  /// local term table, two per worker). Measured: a 1,000,000-document build peaked 163 MiB above
  /// the builder's share with 112 + 32 per thread reserved, so 160 + 32 per thread are.
  static func builderBudget(total: Int, threads: Int) -> Int {
    max(8 << 20, total - (160 << 20) - threads * (32 << 20))
  }

  /// The folder of `path` (spill files go beside the output: same disk, not a RAM-backed /tmp).
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let dir = String(path[..<slash])
    return dir.isEmpty ? "/" : dir
  }
}

/// Seconds from a monotonic clock (for durations only).
public func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
