import ArgumentParser
import Dispatch
import ZhengSou

#if canImport(Glibc)
import Glibc
#endif

/// The `zhengsou` command: the only code that reads argv or prints.
///
/// Exit status: 0 success; 1 a search found nothing, `verify` found damage (or no index of a
/// version it reads), or `literal-check` found a failing string; 2 usage or input errors (bad
/// arguments, unreadable or corrupt files, malformed queries).
@main
struct ZhengSouCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "zhengsou",
    abstract: "政搜 ZhengSou: Chinese full-text search for policy documents.",
    subcommands: [SearchCommand.self, IndexCommand.self, StatsCommand.self, VerifyCommand.self, SegmentCommand.self, EvalCommand.self, LiteralCheckCommand.self, BenchCommand.self]
  )

  static func main() {
    // Swift makes argv into Strings by replacing ill-formed UTF-8 with U+FFFD, so a query or a
    // path with a bad byte would silently become another one (a query searched without it, a path
    // reported missing under a name that is not its own): refuse it, naming the argument.
    for i in 1..<Int(CommandLine.argc) {
      guard let p = CommandLine.unsafeArgv[i] else { continue }
      let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p))
      if let offset = UTF8Validation.firstInvalidOffset(bytes) {
        Terminal.error("zhengsou: argument \(i) is not valid UTF-8 (byte \(offset) of it)")
        Glibc.exit(2)
      }
    }
    // Commands that segment start building the lexicon table at once, on another core, while
    // the arguments are parsed and the index is opened.
    if CommandLine.arguments.count > 1, ["search", "segment"].contains(CommandLine.arguments[1]) {
      DispatchQueue.global().async { Segmenter.prepareSharedData() }
    }
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let exit as CLIExit {
      if let message = exit.message { Terminal.error(message) }
      Glibc.exit(exit.code)
    } catch let error as ZhengSouError {
      Terminal.error("zhengsou: \(error)")
      Glibc.exit(2)
    } catch let error as IndexError {
      Terminal.error("zhengsou: \(error)")
      Glibc.exit(2)
    } catch let error as SegmenterError {
      Terminal.error("zhengsou: \(error)")
      Glibc.exit(2)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Glibc.exit(0)
      }
      let message = fullMessage(for: error)
      Terminal.error(message.hasPrefix("Error:") || message.hasPrefix("zhengsou") ? message : "zhengsou: \(message)")
      Glibc.exit(2)
    }
  }
}

/// Ends the command with a status (and optionally a message for stderr).
struct CLIExit: Error {
  var code: Int32
  var message: String?
}
