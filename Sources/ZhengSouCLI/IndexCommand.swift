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

  @Option(help: "Indexed fields: title,body (two fields), body, title, or concat (title and body as one field, named text).")
  var fields: String = "title,body"

  @Option(help: "Also index the words of the body's first N characters as a `lead` field (0: off).")
  var lead: Int = IndexBuildOptions().leadCharacters

  @Option(help: ArgumentHelp(
    "A user dictionary: one word per line, optionally followed by a weight; '#' starts a comment.",
    discussion: "Its words stay whole in documents and, because the index stores the dictionary, in queries too."))
  var dict: String?

  @Option(help: ArgumentHelp(
    "What to store of each document: all (its texts, for titles and snippets) or ids (ids only).",
    discussion: "With ids the index ranks the same documents with the same scores, and search shows their ids without titles or snippets."))
  var store: StoreMode = .all

  @Flag(help: "Print one JSON object (counts, seconds, seg_s, finish_s, MB/s, docs/s, peak RSS) instead of the text summary.")
  var json = false

  @Option(help: "Threads that segment documents (default: all processors); the index bytes are the same for any value.")
  var threads: Int = IndexBuildOptions.processorCount

  @Option(name: .customLong("memory-budget"), help: ArgumentHelp(
    "Memory the build may use, in MiB (0: no limit).",
    discussion: "Past it, sorted runs are spilled to anonymous temporary files beside the output and merged at the end; the index bytes are the same for any value."))
  var memoryBudget: Int = 1024

  func validate() throws {
    guard memoryBudget >= 0 && memoryBudget <= 1 << 30 else {
      throw ValidationError("--memory-budget must be 0 (no limit) or a number of MiB up to \(1 << 30)")
    }
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    guard !paths.isEmpty else { throw ValidationError("give at least one file or folder to index") }
    for f in fieldList where !["title", "body"].contains(f) {
      throw ValidationError("unknown field '\(f)' in --fields (use title,body, body, title or concat)")
    }
    guard !fieldList.isEmpty, Set(fieldList).count == fieldList.count else { throw ValidationError("--fields must name title and/or body once each, or be concat") }
  }

  /// The names given to --fields; `concat` (or `text`) alone is handled by `indexedFields`.
  var fieldList: [String] {
    let names = fields.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    return names == ["concat"] || names == ["text"] ? ["title", "body"] : names
  }

  /// The index's fields: `concat` is one field, `text` (title, a line break, body), as the peer
  /// harness's `--fields concat` asks of every engine.
  var indexedFields: [String] {
    let names = fields.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    return names == ["concat"] || names == ["text"] ? ["text"] : fieldList
  }

  func run() throws {
    let userDictionary = try dict.map(UserDictionaryFile.load)
    let showProgress = Terminal.stderrIsTerminal
    var lastDraw = 0.0
    let started = monotonicSeconds()
    let summary = try IndexingPipeline.build(
      paths: paths, output: output, options: {
        var o = IndexBuildOptions(fields: indexedFields)
        o.leadCharacters = max(0, lead)
        o.storesText = store == .all
        o.segmenter.userDictionary = userDictionary
        o.threads = threads
        o.memoryBudget = memoryBudget == 0 ? nil : memoryBudget << 20
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
    let peak = Terminal.peakMemoryBytes()
    if memoryBudget > 0 && peak > memoryBudget << 20 {
      // Spilling bounds the occurrences; the terms themselves (interned bytes and one dictionary
      // entry per field) and the process stay in memory, so a budget below them cannot be kept.
      Terminal.error(
        "warning: peak memory \(Formatting.megabytes(peak)) exceeded --memory-budget \(memoryBudget) (\(Formatting.megabytes(memoryBudget << 20))) "
          + "(\(summary.spilledRuns) runs spilled; the terms and the process itself need more than the budget leaves)")
    }
    if json {
      // One line, last on stdout: the peer harness keeps it as the build's self_report (seg_s).
      print(
        "{\"documents\":\(summary.documents),\"skipped\":\(summary.problems),\"tokens\":\(summary.tokens),"
          + "\"input_bytes\":\(summary.inputBytes),\"seconds\":\(summary.seconds),\"seg_s\":\(summary.segmentSeconds),\"finish_s\":\(summary.finishSeconds),"
          + "\"threads\":\(threads),\"spilled_runs\":\(summary.spilledRuns),\"mb_per_s\":\(summary.megabytesPerSecond),"
          + "\"docs_per_s\":\(summary.documentsPerSecond),\"peak_rss_mb\":\(Double(peak) / 1_048_576),\"index_bytes\":\(summary.indexBytes),"
          + "\"fields\":[\(indexedFields.map { Formatting.json($0) }.joined(separator: ","))],\"path\":\(Formatting.json(summary.path))}")
      return
    }
    print("indexed \(Formatting.grouped(summary.documents)) documents, skipped \(summary.problems) input\(summary.problems == 1 ? "" : "s")")
    print("tokens \(Formatting.grouped(Int(summary.tokens))), input \(Formatting.megabytes(summary.inputBytes)) in \(String(fixed: summary.seconds, digits: 2)) s (\(String(format1: summary.megabytesPerSecond)) MB/s, \(Formatting.grouped(Int(summary.documentsPerSecond.rounded()))) documents/s; segmenting \(String(fixed: summary.segmentSeconds, digits: 2)) s on \(threads) thread\(threads == 1 ? "" : "s"), finishing \(String(fixed: summary.finishSeconds, digits: 2)) s), peak memory \(Formatting.megabytes(peak))\(summary.spilledRuns > 0 ? ", \(summary.spilledRuns) sorted runs spilled and merged" : "")")
    print("wrote \(summary.path): \(Formatting.megabytes(summary.indexBytes))")
  }
}

/// `index --store`: what of each document the index keeps besides its terms.
enum StoreMode: String, ExpressibleByArgument, CaseIterable {
  case all, ids
}
