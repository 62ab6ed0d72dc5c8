import ArgumentParser
import ZhengSou
import ZhengSouQuery
import ZhengSouRanking

struct SearchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Search an index (by default the bundled Corpus) and print ranked results.",
    discussion: """
      Words are segmented like the documents, OR-ed and ranked by BM25 over title and body.
      A quoted part ("…", ＂…＂, “…”, 「…」 or 『…』) is a phrase every result must contain.
      Exit status: 0 results found, 1 nothing found, 2 usage, input or index errors.
      """)

  @Argument(help: "The query, e.g. 共同富裕 or '\"高质量发展\" 西湖区'.")
  var query: String

  @Option(name: [.short, .customLong("index")], help: "Index file to search (default: the bundled Corpus, built on first use).")
  var index: String?

  @Option(name: [.customShort("n"), .customLong("limit")], help: "Number of results.")
  var limit: Int = 10

  @Flag(help: "Print JSON Lines: one object per result with id, title, date, score, snippet and highlight ranges.")
  var json = false

  @OptionGroup(title: "Ranking")
  var ranking: RankingOptions

  @Option(help: "Highlight colour: auto (terminal without NO_COLOR), always, never.")
  var color: ColorMode = .auto

  func validate() throws {
    guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
  }

  func run() throws {
    let path = try index ?? Self.bundledIndexPath()
    let searchIndex = try SearchIndex(path: path)
    let options = ranking.searchOptions(limit: limit)
    let response = try searchIndex.search(query, options: options)
    let useColor = Terminal.colorAllowed(color)
    let storesText = searchIndex.storesText
    for r in response.results {
      if json {
        let d = r.document
        print(
          "{\"rank\":\(r.rank),\"id\":\(Formatting.json(d.id)),\"title\":\(Formatting.json(d.title)),"
            + "\"date\":\(Formatting.json(d.date)),\"kind\":\(Formatting.json(d.kind)),\"score\":\(r.score),"
            + "\"snippet\":\(Formatting.json(r.snippet.text)),\"highlights\":\(Formatting.json(r.snippet.scalarRanges)),"
            + "\"title_highlights\":\(Formatting.json(r.title.scalarRanges))}")
      } else {
        let meta = [r.document.date, r.document.kind, String(fixed: r.score, digits: 4)].filter { !$0.isEmpty }.joined(separator: " · ")
        if storesText {
          print("\(r.rank). \(Formatting.mark(r.title, color: useColor))  [\(meta)]")
          print("   \(Formatting.mark(r.snippet, color: useColor))")
        } else {
          // An index of ids only (index --store ids): no title or snippet to show.
          print("\(r.rank). \(r.document.id)  [\(meta)]")
        }
      }
    }
    if !json {
      // A pruned search knows only a lower bound of the count: "10 of ≥ 1234 matching documents".
      Terminal.error("\(response.results.count) of \(response.matches) matching documents (\(String(fixed: response.searchMilliseconds, digits: 2)) ms)")
    }
    if response.results.isEmpty {
      throw CLIExit(code: 1, message: json ? nil : "no documents match \(query)")
    }
  }

  /// The bundled Corpus's index, built into the cache on first use.
  static func bundledIndexPath() throws -> String {
    guard let corpus = BundledCorpus.locate() else {
      throw CLIExit(code: 2, message: "zhengsou: no index given (-i FILE) and no bundled Corpus/ found (set ZHENGSOU_CORPUS)")
    }
    return try corpus.ensureIndex { path in
      Terminal.error("building the index of the bundled Corpus (\(corpus.directory)) into \(path) …")
    }
  }
}

extension ColorMode: ExpressibleByArgument {}
