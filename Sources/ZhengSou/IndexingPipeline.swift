import ZhengSouAnalysis
import ZhengSouIndex

#if canImport(Glibc)
import Glibc
#endif

/// Reads documents, segments their fields and writes one index file, atomically.
///
/// Tokens go from the segmenter's reusable buffer straight into the builder as byte slices (no
/// `String` per token). Positions count primary tokens, so a field's length is its last position
/// + 1. The output replaces `output` only after the whole file is written and fsync'd.
public enum IndexingPipeline {
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
    let segmenter = try Segmenter(options: options.segmenter)
    let withLead = options.leadCharacters > 0 && (options.fields.contains("body") || options.fields.contains("text"))
    let fieldNames = options.fields + (withLead ? ["lead"] : [])
    let builder = IndexBuilder(
      fieldNames: fieldNames, segmenterIdentity: segmenter.identity,
      userDictionary: options.segmenter.userDictionary?.serialized, metadata: options.metadata)
    var buffer = TokenBuffer()
    var inputBytes = 0
    var problems = 0
    var segmentSeconds = 0.0
    loader.forEachDocument({ doc in
      builder.beginDocument(StoredDocument(
        id: doc.id, title: doc.title, date: doc.date ?? "", kind: doc.kind.rawValue,
        source: doc.source ?? "", url: doc.url ?? "", body: doc.body))
      for (f, name) in fieldNames.enumerated() {
        var text = IndexBuildOptions.text(ofField: name, title: doc.title, body: doc.body, leadCharacters: options.leadCharacters)
        buffer.removeAll()
        text.withUTF8 { utf8 in
          inputBytes += utf8.count
          let t0 = monotonicSeconds()
          segmenter.segment(UnsafeRawBufferPointer(utf8), into: &buffer)
          segmentSeconds += monotonicSeconds() - t0
        }
        var length = 0
        buffer.termBytes.withUnsafeBytes { arena in
          for t in buffer.tokens {
            let term = UnsafeRawBufferPointer(rebasing: arena[Int(t.termOffset)..<Int(t.termOffset + t.termLength)])
            builder.addToken(field: f, term: term, position: Int(t.position))
            length = max(length, Int(t.position) + 1)
          }
        }
        builder.setFieldLength(field: f, length)
      }
      builder.endDocument()
      onProgress?(builder.documentCount, inputBytes)
    }, onProblem: { p in
      problems += 1
      onProblem(p)
    })
    guard builder.documentCount > 0 else { throw ZhengSouError.noDocuments(problems: problems) }
    let documents = builder.documentCount
    let tokens = builder.tokenCount
    let file = builder.finish()
    try AtomicFileWriter.write(to: output) { sink in try file.write(sink) }
    return IndexBuildSummary(
      path: output, documents: documents, problems: problems, tokens: tokens, inputBytes: inputBytes,
      seconds: monotonicSeconds() - started, segmentSeconds: segmentSeconds, indexBytes: file.totalLength)
  }
}

/// Seconds from a monotonic clock (for durations only).
public func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
