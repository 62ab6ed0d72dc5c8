/// The rules for merging a number with what follows it, so `2024年`, `5.4%` and `1736亿元` are single
/// searchable terms (and the bare number is also indexed as an alternative).
///
/// Rules (applied only when `SegmenterOptions.mergeNumberUnits` is on):
/// 1. A number is what ICU's word break gives status "number": digits with the separators ICU keeps
///    inside (`5.4`, `1,736`). Full-width digits are already ASCII after NFKC (`１９９８` → `1998`).
/// 2. A `%` or `‰` immediately after the number (no space) joins it: `5.4%`. Full-width `％` is `%`
///    after NFKC.
/// 3. Otherwise, the longest run of up to four immediately following ideographic segments whose
///    concatenation is a unit in `units` joins it. ICU may return a compound unit as one segment
///    (`亿元`) or as pieces (`亿` + `元`); both give `1736亿元`. `年` + `3` stops at `年`, so
///    `2024年3月18日` becomes `2024年`, `3月`, `18日`. The CJK run right after a number starts with
///    its longest unit as a segment of its own (`31日晚` → `31日`, `晚`; `3个人` → `3个`, `人`).
/// 4. Chinese numerals (`isChineseNumeral`) that the segmenter cuts into two or more pieces are
///    joined, with a unit that ends the last piece or follows it, when the pieces contain `○`/`〇`
///    (`二○○一年`), the last ends in a unit (`三十` + `一日` → `三十一日`) or a unit follows
///    (`三` + `十一` + `日`); the numerals alone are the alternative. A single piece is left as the
///    lexicon cuts it (`十二月`, `一个`, `十二` + `点`).
/// A merged token is the primary; the bare number is emitted right after it as an alternative at the
/// same position with its own byte range.
enum NumberUnits {
  /// Unit words, in Simplified form (input has been through T→S before this applies).
  static let units: [String] = [
    // Time and dates
    "年", "月", "日", "号", "时", "点", "分", "秒", "天", "周", "周年", "世纪", "年代", "年度", "季度",
    "小时", "分钟", "个月", "届", "期", "岁",
    // Magnitudes
    "十", "百", "千", "万", "亿", "兆", "十万", "百万", "千万", "十亿", "百亿", "千亿", "万亿",
    // Money
    "元", "万元", "亿元", "千元", "百元", "万亿元", "千亿元", "美元", "万美元", "亿美元", "欧元", "日元",
    "港元", "英镑", "人民币", "块", "角",
    // Counts
    "人", "万人", "亿人", "人次", "万人次", "名", "位", "个", "家", "项", "件", "次", "倍", "条", "所",
    "座", "台", "辆", "架", "艘", "套", "份", "例", "户", "万户", "种", "类", "批", "起", "场", "篇",
    "部", "颗", "枚", "只", "头", "株", "张", "本", "册",
    // Measures
    "吨", "万吨", "亿吨", "公斤", "千克", "克", "斤", "公里", "千米", "米", "厘米", "毫米", "平方米",
    "万平方米", "平方公里", "平方千米", "立方米", "亿立方米", "亩", "万亩", "公顷", "万公顷", "千瓦",
    "万千瓦", "千瓦时", "度", "升", "毫升", "摄氏度",
  ]

  /// `units` packed as `key(_:)` values for allocation-free lookup.
  static let keys: Set<UInt64> = Set(units.map { unit in
    var key: UInt64 = 0
    for u in unit.utf16 { key = key << 16 | UInt64(u) }
    return key
  })

  /// Longest unit, in UTF-16 units; keys pack at most this many.
  static let maxUnitLength = 4

  /// Percent-like suffixes that join a number (rule 2).
  @inline(__always)
  static func isPercent(_ unit: UInt16) -> Bool { unit == 0x25 || unit == 0x2030 }

  /// Chinese numeral characters (rule 4): 〇 ○ 零 一 二 三 四 五 六 七 八 九 十 百 千 万 亿 两.
  @inline(__always)
  static func isChineseNumeral(_ unit: UInt16) -> Bool {
    switch unit {
    case 0x3007, 0x25CB, 0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D,
      0x5341, 0x767E, 0x5343, 0x4E07, 0x4EBF, 0x4E24:
      return true
    default:
      return false
    }
  }

  /// The zero-like circles that mark a Chinese numeral written digit by digit (二○○一).
  @inline(__always)
  static func isCircleZero(_ unit: UInt16) -> Bool { unit == 0x3007 || unit == 0x25CB }
}
