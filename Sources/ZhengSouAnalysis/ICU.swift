import CICUShim

/// Small helpers around the C shim shared by the ICU wrappers.
enum ICU {
  /// ICU's name for an error code, e.g. "U_MISSING_RESOURCE_ERROR".
  static func errorName(_ code: Int32) -> String {
    guard let name = zs_icu_error_name(code) else { return "error \(code)" }
    return String(cString: name)
  }

  /// Whether an ICU error code means failure (warnings are negative, success is zero).
  static func failed(_ code: Int32) -> Bool { code > 0 }

  /// ("72.1", "15.0"): the ICU library and Unicode data versions, part of `Segmenter.identity`
  /// because a different ICU can segment the same text differently.
  static let versions: (icu: String, unicode: String) = {
    var bytes = [CChar](repeating: 0, count: 64)
    zs_icu_versions(&bytes, Int32(bytes.count))
    let text = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let parts = text.split(separator: " ")
    return (parts.first.map(String.init) ?? "?", parts.dropFirst().first.map(String.init) ?? "?")
  }()
}
