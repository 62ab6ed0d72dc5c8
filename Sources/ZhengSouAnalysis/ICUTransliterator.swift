import CICUShim

/// An ICU transliterator, used only to (re)generate and verify the committed Traditional→Simplified
/// table: at ~5 MB/s it is far too slow for the indexing path.
final class ICUTransliterator {
  private let handle: UnsafeMutableRawPointer

  init(id: String) throws {
    var error: Int32 = 0
    guard let handle = zs_transliterator_open(id, &error), !ICU.failed(error) else {
      throw SegmenterError.icu("utrans_openU(\(id)): \(ICU.errorName(error))")
    }
    self.handle = handle
  }

  deinit { zs_transliterator_close(handle) }

  /// The transliteration of `text`, or nil if ICU fails.
  func transliterate(_ text: String) -> String? {
    var units = Array(text.utf16)
    var length = Int32(units.count)
    let capacity = units.count * 4 + 16
    units.append(contentsOf: repeatElement(0, count: capacity - units.count))
    var error: Int32 = 0
    let status = zs_transliterate(handle, &units, &length, Int32(capacity), &error)
    guard status == 0, !ICU.failed(error), length >= 0, Int(length) <= capacity else { return nil }
    return String(decoding: units[0..<Int(length)], as: UTF16.self)
  }
}
