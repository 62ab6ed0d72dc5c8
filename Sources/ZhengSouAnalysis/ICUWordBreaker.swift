import CICUShim

/// A UBRK_WORD iterator for Chinese ("zh": dictionary-based for CJK runs) that walks a whole UTF-16
/// buffer in ONE call into C, filling boundary and rule-status arrays: crossing Swift↔C per boundary
/// would cost more than the break itself.
final class ICUWordBreaker {
  private let handle: UnsafeMutableRawPointer

  /// Rule-status ranges from ICU's `UWordBreak`.
  enum Status {
    static let numberRange: ClosedRange<Int32> = 100...199
    static let letterRange: ClosedRange<Int32> = 200...299
    static let kanaRange: ClosedRange<Int32> = 300...399
    static let ideographicRange: ClosedRange<Int32> = 400...499
  }

  init(locale: String = "zh") throws {
    var error: Int32 = 0
    guard let handle = zs_word_breaker_open(locale, &error), !ICU.failed(error) else {
      throw SegmenterError.icu("ubrk_open(UBRK_WORD, \(locale)): \(ICU.errorName(error))")
    }
    self.handle = handle
  }

  deinit { zs_word_breaker_close(handle) }

  /// Boundaries after 0 (the last is `length`) and the status of the segment ending at each.
  /// Both outputs need room for `length` entries. Returns the boundary count (0 on failure).
  func segment(
    _ text: UnsafePointer<UInt16>, length: Int32, boundaries: UnsafeMutablePointer<Int32>,
    statuses: UnsafeMutablePointer<Int32>
  ) -> Int {
    guard length > 0 else { return 0 }
    var error: Int32 = 0
    let n = zs_word_breaker_segment(handle, text, length, boundaries, statuses, &error)
    return n < 0 ? 0 : Int(n)
  }

  /// Counts boundaries over UTF-8 text via utext_openUTF8 (the benchmark baseline).
  func countBoundaries(utf8 text: UnsafeRawBufferPointer) -> Int {
    var error: Int32 = 0
    let base = text.baseAddress?.assumingMemoryBound(to: CChar.self)
    let n = zs_word_breaker_count_utf8(handle, base, Int64(text.count), &error)
    return n < 0 ? 0 : Int(n)
  }
}
