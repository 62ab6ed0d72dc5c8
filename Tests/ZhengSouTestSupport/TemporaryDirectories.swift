import Foundation

/// A fresh temporary directory for one test; every one is removed when the test process exits.
public func makeTemporaryDirectory(_ name: String = #function) -> URL {
  let safe = name.filter { $0.isLetter || $0.isNumber }
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("zhengsou-\(getpid())-\(safe)-\(UUID().uuidString.prefix(8))")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  TemporaryDirectories.register(url.path)
  return url
}

/// The directories `makeTemporaryDirectory` made, deleted by an `atexit` handler (Swift Testing has
/// no suite-wide teardown, and test runs must not leave indexes behind in /tmp).
public enum TemporaryDirectories {
  nonisolated(unsafe) static var paths: [String] = []
  static let lock = NSLock()
  static let installHandler: Void = {
    atexit {
      TemporaryDirectories.lock.lock()
      for path in TemporaryDirectories.paths { try? FileManager.default.removeItem(atPath: path) }
      TemporaryDirectories.lock.unlock()
    }
  }()

  public static func register(_ path: String) {
    _ = installHandler
    lock.lock()
    paths.append(path)
    lock.unlock()
  }
}
