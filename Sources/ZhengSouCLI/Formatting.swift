import ZhengSouQuery

/// Small text helpers shared by the commands' output.
enum Formatting {
  static func megabytes(_ bytes: Int) -> String { String(format1: Double(bytes) / 1e6) + " MB" }

  static func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, c) in s.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return String(out.reversed())
  }

  /// `text` with its ranges wrapped in ANSI bold red (colour) or `**…**` (plain; Chinese titles
  /// often contain 【】 themselves, so brackets would be ambiguous).
  static func mark(_ h: HighlightedText, color: Bool) -> String {
    let open = color ? "\u{1B}[1;31m" : "**", close = color ? "\u{1B}[0m" : "**"
    let bytes = Array(h.text.utf8)
    var out: [UInt8] = []
    var at = 0
    for r in h.ranges where r.lowerBound >= at && r.upperBound <= bytes.count {
      out += bytes[at..<r.lowerBound]
      out += Array(open.utf8) + bytes[r] + Array(close.utf8)
      at = r.upperBound
    }
    out += bytes[at...]
    return String(decoding: out, as: UTF8.self)
  }

  /// A JSON string literal.
  static func json(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          let h = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }

  static func json(_ ranges: [Range<Int>]) -> String {
    "[" + ranges.map { "[\($0.lowerBound),\($0.upperBound)]" }.joined(separator: ",") + "]"
  }
}

extension String {
  /// Fixed one decimal, without Foundation's format strings.
  init(format1 v: Double) {
    let scaled = (v * 10).rounded()
    self = "\(Int(scaled) / 10).\(abs(Int(scaled) % 10))"
  }

  /// Fixed `digits` decimals.
  init(fixed v: Double, digits: Int) {
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let scaled = Int((abs(v) * p).rounded())
    let whole = scaled / Int(p), frac = scaled % Int(p)
    let fs = String(frac)
    self = (v < 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: digits - fs.count) + fs
  }
}
