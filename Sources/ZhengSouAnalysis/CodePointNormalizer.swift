import CICUShim

/// Normalizes text one code point at a time: NFKC case folding (ICU's NFKC_Casefold: ＡＩ → ai,
/// １９９８ → 1998, Ⅳ → iv) and then Traditional → Simplified through the committed table.
///
/// Why per code point: every output unit must know which original bytes it came from, so offsets
/// can point into the original text. The price is that composition ACROSS code points is not
/// performed (e.g. "e" + U+0301 stays two code points instead of becoming "é"); text in this corpus
/// is precomposed, and queries go through the same function, so both sides agree.
///
/// Invalid UTF-8 (bad lead or continuation bytes, overlong forms, surrogates, > U+10FFFF) is treated
/// as U+FFFD and dropped, one byte at a time, so it never traps and never reaches ICU.
///
/// Caching, fastest first: ASCII (only A–Z change); CJK Unified Ideographs and Extension A, which
/// NFKC_Casefold leaves alone (so only the T→S table applies); other BMP code points through a
/// per-instance table filled lazily from ICU; supplementary code points through ICU each time.
final class CodePointNormalizer {
  private let t2s: TraditionalToSimplifiedTable?
  /// Per BMP code point: 0 = not yet computed; otherwise bit 31 set, bits 24–30 the output length in
  /// UTF-16 units, bits 0–23 the single output unit (length 1) or an offset into `pool`.
  private var bmpCache: [UInt32]
  private var pool: [UInt16] = []
  private var scratch = [UInt16](repeating: 0, count: 64)

  init(traditionalToSimplified: Bool) {
    t2s = traditionalToSimplified ? TraditionalToSimplifiedTable.shared : nil
    bmpCache = [UInt32](repeating: 0, count: 0x10000)
  }

  /// Replaces `text`'s contents with the normalization of `utf8`. Input beyond `Int32.max / 2`
  /// bytes is ignored so every offset fits in an `Int32`.
  func normalize(_ utf8: UnsafeRawBufferPointer, into text: NormalizedText) {
    text.count = 0
    let n = min(utf8.count, Int(Int32.max / 2))
    guard n > 0, let base = utf8.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
    text.reserve(n + 16)
    var i = 0
    while i < n {
      let b0 = base[i]
      if b0 < 0x80 {
        let unit = (b0 >= 0x41 && b0 <= 0x5A) ? UInt16(b0 | 0x20) : UInt16(b0)
        text.append(unit, start: Int32(i), end: Int32(i + 1))
        i += 1
        continue
      }
      // Decode and validate one multi-byte sequence (RFC 3629 table of well-formed sequences).
      var scalar: UInt32
      var length: Int
      if b0 < 0xC2 {
        i += 1
        continue
      } else if b0 < 0xE0 {
        guard i + 1 < n, base[i + 1] & 0xC0 == 0x80 else { i += 1; continue }
        scalar = UInt32(b0 & 0x1F) << 6 | UInt32(base[i + 1] & 0x3F)
        length = 2
      } else if b0 < 0xF0 {
        guard i + 2 < n else { i += 1; continue }
        let b1 = base[i + 1]
        let b2 = base[i + 2]
        let lowOK: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
        let highOK: UInt8 = b0 == 0xED ? 0x9F : 0xBF
        guard b1 >= lowOK, b1 <= highOK, b2 & 0xC0 == 0x80 else { i += 1; continue }
        scalar = UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F)
        length = 3
      } else if b0 < 0xF5 {
        guard i + 3 < n else { i += 1; continue }
        let b1 = base[i + 1]
        let b2 = base[i + 2]
        let b3 = base[i + 3]
        let lowOK: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
        let highOK: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
        guard b1 >= lowOK, b1 <= highOK, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { i += 1; continue }
        scalar =
          UInt32(b0 & 0x07) << 18 | UInt32(b1 & 0x3F) << 12 | UInt32(b2 & 0x3F) << 6 | UInt32(b3 & 0x3F)
        length = 4
      } else {
        i += 1
        continue
      }
      let start = Int32(i)
      let end = Int32(i + length)
      i += length
      appendNormalized(scalar, start: start, end: end, to: text)
    }
  }

  /// Appends the normalization of one non-ASCII scalar.
  @inline(__always)
  private func appendNormalized(_ scalar: UInt32, start: Int32, end: Int32, to text: NormalizedText) {
    if (scalar >= 0x4E00 && scalar <= 0x9FFF) || (scalar >= 0x3400 && scalar <= 0x4DBF) {
      if let t2s, t2s.isBMPOnly {
        text.append(t2s.mapBMP(UInt16(scalar)), start: start, end: end)
      } else {
        appendScalar(t2s?.map(scalar) ?? scalar, start: start, end: end, to: text)
      }
      return
    }
    if scalar <= 0xFFFF {
      var entry = bmpCache[Int(scalar)]
      if entry == 0 {
        entry = fillCache(scalar)
      }
      let length = Int((entry >> 24) & 0x7F)
      if length == 1 {
        text.append(UInt16(truncatingIfNeeded: entry), start: start, end: end)
      } else if length > 1 {
        let offset = Int(entry & 0xFF_FFFF)
        for k in 0..<length { text.append(pool[offset + k], start: start, end: end) }
      }
      return
    }
    // Supplementary: rare (emoji, Extension B+), so ask ICU every time.
    let produced = icuNormalize(scalar)
    var k = 0
    while k < produced {
      let u = scratch[k]
      if u & 0xFC00 == 0xD800, k + 1 < produced {
        let value = 0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(scratch[k + 1]) - 0xDC00)
        appendScalar(t2s?.map(value) ?? value, start: start, end: end, to: text)
        k += 2
      } else {
        appendScalar(t2s?.map(UInt32(u)) ?? UInt32(u), start: start, end: end, to: text)
        k += 1
      }
    }
  }

  @inline(__always)
  private func appendScalar(_ value: UInt32, start: Int32, end: Int32, to text: NormalizedText) {
    if value <= 0xFFFF {
      text.append(UInt16(value), start: start, end: end)
    } else {
      let v = value - 0x10000
      text.append(UInt16(0xD800 + (v >> 10)), start: start, end: end)
      text.append(UInt16(0xDC00 + (v & 0x3FF)), start: start, end: end)
    }
  }

  /// Computes and caches the normalization of BMP code point `scalar`, T→S applied to its output.
  private func fillCache(_ scalar: UInt32) -> UInt32 {
    var output: [UInt16] = []
    if scalar >= 0xD800 && scalar <= 0xDFFF {
      // Unreachable from valid UTF-8; cache as "removed" to be safe.
    } else {
      let produced = icuNormalize(scalar)
      var k = 0
      while k < produced {
        let u = scratch[k]
        var value = UInt32(u)
        if u & 0xFC00 == 0xD800, k + 1 < produced {
          value = 0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(scratch[k + 1]) - 0xDC00)
          k += 1
        }
        k += 1
        value = t2s?.map(value) ?? value
        if value <= 0xFFFF {
          output.append(UInt16(value))
        } else {
          let v = value - 0x10000
          output.append(UInt16(0xD800 + (v >> 10)))
          output.append(UInt16(0xDC00 + (v & 0x3FF)))
        }
      }
    }
    let entry: UInt32
    if output.count == 1 {
      entry = 0x8000_0000 | 1 << 24 | UInt32(output[0])
    } else {
      entry = 0x8000_0000 | UInt32(min(output.count, 0x7F)) << 24 | UInt32(pool.count)
      pool.append(contentsOf: output.prefix(0x7F))
    }
    bmpCache[Int(scalar)] = entry
    return entry
  }

  /// ICU's NFKC_Casefold of one scalar, without T→S or caching: the reference tests compare against.
  func icuReference(_ scalar: UInt32) -> [UInt16] {
    let count = icuNormalize(scalar)
    return Array(scratch.prefix(count))
  }

  /// NFKC_Casefold of one scalar into `scratch`; returns the unit count (0 if ICU fails, i.e. the
  /// code point is dropped rather than trapping).
  private func icuNormalize(_ scalar: UInt32) -> Int {
    var input: (UInt16, UInt16) = (0, 0)
    let inputLength: Int32
    if scalar <= 0xFFFF {
      input.0 = UInt16(scalar)
      inputLength = 1
    } else {
      let v = scalar - 0x10000
      input = (UInt16(0xD800 + (v >> 10)), UInt16(0xDC00 + (v & 0x3FF)))
      inputLength = 2
    }
    for _ in 0..<2 {
      var error: Int32 = 0
      let capacity = Int32(scratch.count)
      let produced = withUnsafePointer(to: &input) { pointer in
        pointer.withMemoryRebound(to: UInt16.self, capacity: 2) { src in
          scratch.withUnsafeMutableBufferPointer { dst in
            zs_nfkc_casefold(src, inputLength, dst.baseAddress, capacity, &error)
          }
        }
      }
      if produced > capacity {
        scratch = [UInt16](repeating: 0, count: Int(produced) + 16)
        continue
      }
      return ICU.failed(error) ? 0 : Int(max(produced, 0))
    }
    return 0
  }
}
