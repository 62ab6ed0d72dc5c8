#if canImport(Glibc)
import Glibc
#endif

/// Where output goes and whether it may be coloured.
enum Terminal {
  static var stdoutIsTerminal: Bool { isatty(1) == 1 }
  static var stderrIsTerminal: Bool { isatty(2) == 1 }

  /// Colour only on a terminal and never when NO_COLOR is set (https://no-color.org).
  static func colorAllowed(_ mode: ColorMode) -> Bool {
    switch mode {
    case .always: return true
    case .never: return false
    case .auto:
      if let v = getenv("NO_COLOR"), v.pointee != 0 { return false }
      return stdoutIsTerminal
    }
  }

  /// Writes a line to stderr after flushing stdout: where both go to one file (`2>&1`), stdout's
  /// buffer would otherwise be flushed after the line, which then lands inside the results, even
  /// inside a character's UTF-8 bytes.
  static func error(_ message: String) {
    fflush(nil)  // every output stream: stdout is the one with a buffer
    writeStderr(message + "\n")
  }

  /// Unbuffered write to file descriptor 2 (no shared C `FILE*` state).
  static func writeStderr(_ text: String) {
    var t = text
    t.withUTF8 { u in
      var done = 0
      while done < u.count {
        let n = write(2, u.baseAddress! + done, u.count - done)
        if n <= 0 { return }
        done += n
      }
    }
  }

  /// A progress line on stderr, redrawn in place.
  static func progress(_ message: String) {
    writeStderr("\r\u{1B}[2K" + message)
  }

  static func endProgress() { writeStderr("\r\u{1B}[2K") }

  /// Peak resident memory of this process, in bytes.
  static func peakMemoryBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
  }
}

enum ColorMode: String, CaseIterable {
  case auto, always, never
}
