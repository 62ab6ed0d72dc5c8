import ArgumentParser
import ZhengSou

struct LiteralCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "literal-check",
    abstract: "Check literal recall and phrase exactness on CJK strings sampled from an index's documents.",
    discussion: """
      Samples distinct 2–6 character CJK strings from the stored documents (seeded, reproducible), \
      searches each as a phrase and as plain text, and compares with a direct substring scan of the \
      normalized texts. Exit status 1 if any phrase result differs or a plain search misses a document.
      """)

  @Option(name: [.short, .customLong("index")], help: "Index file to check.")
  var index: String

  @Option(help: "Number of sampled strings.")
  var samples: Int = 1000

  @Option(help: "Random seed.")
  var seed: UInt64 = 42

  @Flag(help: "Print each failing string with the documents it missed or wrongly returned.")
  var verbose = false

  func run() throws {
    let searchIndex = try SearchIndex(path: index)
    let started = monotonicSeconds()
    let r = try LiteralRecallCheck.run(index: searchIndex, samples: samples, seed: seed)
    print("samples \(r.samples), expected documents \(r.expected)")
    print("phrase recall \(String(fixed: r.phraseRecall * 100, digits: 2))%  phrase precision \(String(fixed: r.phrasePrecision * 100, digits: 2))%  plain recall \(String(fixed: r.plainRecall * 100, digits: 2))%  (\(String(fixed: monotonicSeconds() - started, digits: 1)) s)")
    if verbose {
      for f in r.failures.prefix(50) {
        print("  \(f.text): missing \(f.missing.prefix(5)) extra \(f.extra.prefix(5)) plain missing \(f.plainMissing.prefix(5))")
      }
    }
    if !r.failures.isEmpty { throw CLIExit(code: 1, message: "\(r.failures.count) of \(r.samples) strings failed") }
  }
}
