import ArgumentParser
import ZhengSou
import ZhengSouIndex

struct StatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats", abstract: "Print an index's counts, section sizes and segmenter identity.")

  @Argument(help: "Index file (default: the bundled Corpus's index).")
  var index: String?

  func run() throws {
    let path = try index ?? SearchCommand.bundledIndexPath()
    let reader: IndexReader
    do { reader = try IndexReader(path: path) } catch { throw ZhengSouError.index(error) }
    let s = try IndexStatistics(reader: reader)
    print("index      \(path)")
    print("format     version \(s.formatVersion), \(Formatting.grouped(s.fileBytes)) bytes")
    print("segmenter  \(s.segmenterIdentity)")
    print("documents  \(Formatting.grouped(s.documents))")
    print("terms      \(Formatting.grouped(s.terms))")
    print("postings   \(Formatting.grouped(s.postings)) in \(Formatting.grouped(s.postingLists)) lists")
    print("tokens     \(Formatting.grouped(Int(s.tokens)))")
    for f in s.fields { print("field      \(f.name): average length \(String(format1: f.averageLength)) tokens") }
    for m in s.metadata { print("metadata   \(m.key) = \(m.value)") }
    print("sections")
    for sec in s.sections { print("  \(sec.name)  \(Formatting.grouped(sec.bytes).leftPadded(14)) bytes") }
    print("postings by field and term kind")
    for row in s.listBytes {
      print("  \(row.field.padded(6)) \(row.kind.name.padded(10)) \(Formatting.grouped(row.lists).leftPadded(10)) lists \(Formatting.grouped(row.postings).leftPadded(12)) postings  POST \(Formatting.grouped(row.postingsBytes).leftPadded(12))  POSN \(Formatting.grouped(row.positionsBytes).leftPadded(12)) bytes")
    }
  }
}

extension String {
  func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
  func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
