import ZhengSouAnalysis

/// A segmenter that emits words only (no CJK grams): the word-level rules are tested with it, and
/// grams get tests of their own (`GramTests`).
func wordSegmenter() throws -> Segmenter {
  var options = SegmenterOptions()
  options.cjkGrams = false
  return try Segmenter(options: options)
}
