import ArgumentParser
import ZhengSou

struct IndexCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "index",
    abstract: "Build one index file from documents (.txt, .md, .jsonl files and folders).",
    discussion: """
      JSONL lines need id, title and body (date, year, kind, source, url are optional).
      Bad inputs (invalid UTF-8, empty, binary, malformed lines) are reported on stderr and skipped.
      The output is replaced atomically: a failed build leaves an existing index intact.
      """)

  @Argument(help: "Files or folders to index.")
  var paths: [String]

  @Option(name: [.short, .customLong("output")], help: "The index file to write, e.g. corpus.zsx.")
  var output: String

  @Option(help: "Indexed fields, comma-separated: title,body or body.")
  var fields: String = "title,body"

  @Option(help: "Also index the body's first N characters as a `lead` field (0: off).")
  var lead: Int = IndexBuildOptions().leadCharacters

  @Option(help: ArgumentHelp(
    "A user dictionary: one word per line, optionally followed by a weight; '#' starts a comment.",
    discussion: "Its words stay whole in documents and, because the index stores the dictionary, in queries too."))
  var dict: String?

  func validate() throws {
    guard !paths.isEmpty else { throw ValidationError("give at least one file or folder to index") }
    for f in fieldList where !IndexBuildOptions.knownFields.contains(f) {
      throw ValidationError("unknown field '\(f)' in --fields (use title, body)")
    }
    guard !fieldList.isEmpty, Set(fieldList).count == fieldList.count else { throw ValidationError("--fields must name title and/or body once each") }
  }

  var fieldList: [String] { fields.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

  func run() throws {
    let userDictionary = try dict.map(UserDictionaryFile.load)
    let showProgress = Terminal.stderrIsTerminal
    var lastDraw = 0.0
    let started = monotonicSeconds()
    let summary = try IndexingPipeline.build(
      paths: paths, output: output, options: {
        var o = IndexBuildOptions(fields: fieldList)
        o.leadCharacters = max(0, lead)
        o.segmenter.userDictionary = userDictionary
        return o
      }(),
      onProblem: { problem in
        if showProgress { Terminal.endProgress() }
        Terminal.error("skipped: \(problem)")
      },
      onProgress: showProgress
        ? { docs, bytes in
          let now = monotonicSeconds()
          guard now - lastDraw > 0.2 else { return }
          lastDraw = now
          let rate = Double(bytes) / 1e6 / max(now - started, 1e-9)
          Terminal.progress("indexing: \(Formatting.grouped(docs)) documents, \(Formatting.megabytes(bytes)), \(String(format1: rate)) MB/s")
        } : nil)
    if showProgress { Terminal.endProgress() }
    print("indexed \(Formatting.grouped(summary.documents)) documents, skipped \(summary.problems) input\(summary.problems == 1 ? "" : "s")")
    print("tokens \(Formatting.grouped(Int(summary.tokens))), input \(Formatting.megabytes(summary.inputBytes)) in \(String(fixed: summary.seconds, digits: 2)) s (\(String(format1: summary.megabytesPerSecond)) MB/s), peak memory \(Formatting.megabytes(Terminal.peakMemoryBytes()))")
    print("wrote \(summary.path): \(Formatting.megabytes(summary.indexBytes))")
  }
}
