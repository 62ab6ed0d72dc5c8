import ArgumentParser
import ZhengSouIndex

struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check every checksum and structure of an index file.",
    discussion: "Exit status: 0 intact; 1 damaged or not a ZhengSou index (the message names the region); 2 the file is missing or unreadable.")

  @Argument(help: "Index file to check.")
  var index: String

  func run() throws {
    do {
      let reader = try IndexReader(path: index)
      try reader.verify()
      print("\(index): OK (\(reader.container.entries.count) sections, \(reader.fileSize) bytes, every checksum and structure verified)")
    } catch IndexError.io(let path, let op, let code) {
      throw CLIExit(code: 2, message: "zhengsou: \(IndexError.io(path: path, operation: op, errno: code))")
    } catch {
      throw CLIExit(code: 1, message: "zhengsou verify: \(error)")
    }
  }
}
