import ZhengSouAnalysis

/// Finds where a query's terms occur in stored text and cuts snippets around them.
///
/// The text is segmented with the index's own segmenter, so a highlight is exactly a token the
/// index matched (including Traditional or full-width originals, whose byte ranges point at the
/// original characters) and never a raw substring that merely looks alike.
public struct Highlighter {
  let segmenter: Segmenter
  /// Optional query words: highlighted wherever they occur.
  let plainTerms: [ParsedQuery.Term]
  /// Phrases and adjacency boosts (words typed together): highlighted only where the whole
  /// sequence occurs, as one range, and sought by snippets as units of their own.
  let phrases: [ParsedQuery.Phrase]

  public init(segmenter: Segmenter, query: ParsedQuery) {
    self.segmenter = segmenter
    // A word the segmenter cut out of a longer chunk (区 from 西湖区) is highlighted on its own only
    // when it has two or more characters; single characters light up everywhere and mean little.
    // Occurrences of the whole chunk are highlighted through `phrases`.
    let fromChunks = Set(query.chunkWords)
    var seen = Set<ParsedQuery.Term>()
    plainTerms = query.terms.filter { (!fromChunks.contains($0) || $0.description.unicodeScalars.count >= 2) && seen.insert($0).inserted }
    phrases = query.phrases + query.adjacencyBoosts
  }

  /// Byte ranges of the query's matches in `text` (sorted; touching or overlapping ranges merged).
  ///
  /// Tokens are compared with the query's few terms byte for byte in the segmenter's arena, and a
  /// phrase finds the tokens at a position through a counting-sort index: a `Term` and a hash per
  /// token and a dictionary of arrays per position made this three times the cost of segmenting,
  /// and it runs over every snippet's text in every `zhengsou search`.
  public func matches(in text: String) -> [Range<Int>] {
    let buffer = segmenter.segment(text)
    var ranges: [Range<Int>] = []
    buffer.tokens.withUnsafeBufferPointer { tokens in
      buffer.withTermArena { arena in
        @inline(__always) func term(_ i: Int) -> UnsafeRawBufferPointer {
          let lower = Int(tokens[i].termOffset)
          return UnsafeRawBufferPointer(rebasing: arena[lower..<(lower + Int(tokens[i].termLength))])
        }
        for i in tokens.indices where plainTerms.contains(where: { term(i).elementsEqual($0.bytes) }) {
          ranges.append(Int(tokens[i].start)..<Int(tokens[i].end))
        }
        guard !phrases.isEmpty, !tokens.isEmpty else { return }
        // Token indices grouped by position, in token order: `order[first[p]..<first[p + 1]]`.
        var maxPosition = 0
        for t in tokens { maxPosition = max(maxPosition, Int(t.position)) }
        var first = [Int](repeating: 0, count: maxPosition + 2)
        for t in tokens { first[Int(t.position) + 1] += 1 }
        for p in 0...maxPosition { first[p + 1] += first[p] }
        var order = [Int](repeating: 0, count: tokens.count)
        var next = first
        for i in tokens.indices {
          let p = Int(tokens[i].position)
          order[next[p]] = i
          next[p] += 1
        }
        for phrase in phrases {
          let last = phrase.terms.count - 1
          /// Whether token `j` fills slot `k` (an open-ended last slot: any gram starting with it).
          func fills(_ j: Int, _ k: Int) -> Bool {
            phrase.openEnded && k == last ? term(j).starts(with: phrase.terms[k].bytes) : term(j).elementsEqual(phrase.terms[k].bytes)
          }
          for i in tokens.indices where fills(i, 0) {
            let start = Int(tokens[i].position) - phrase.offsets[0]
            var lower = Int(tokens[i].start), upper = Int(tokens[i].end)
            if phrase.openEnded && last == 0 { upper = lower + phrase.terms[0].bytes.count - 1 }  // just the character
            var all = true
            for k in stride(from: 1, through: last, by: 1) {
              let p = start + phrase.offsets[k]
              guard p >= 0, p <= maxPosition, let j = order[first[p]..<first[p + 1]].first(where: { fills($0, k) }) else {
                all = false
                break
              }
              lower = min(lower, Int(tokens[j].start))
              upper = max(upper, phrase.openEnded && k == last ? Int(tokens[j].start) + phrase.terms[k].bytes.count - 1 : Int(tokens[j].end))
            }
            if all { ranges.append(lower..<upper) }
          }
        }
      }
    }
    ranges.sort { $0.lowerBound < $1.lowerBound }
    var merged: [Range<Int>] = []
    for r in ranges {
      if let last = merged.last, r.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
      } else {
        merged.append(r)
      }
    }
    return merged
  }

  /// The whole text, whitespace runs folded to one space, with its matches.
  public func highlight(_ text: String) -> HighlightedText {
    cut(text, scalarWindow: nil, matches: matches(in: text))
  }

  /// About `length` characters of `text` around its densest cluster of matches (the start of the
  /// text when nothing matches), whitespace folded, "…" where text was cut.
  ///
  /// Long documents are not segmented whole: sentence-aligned chunks (ICU's dictionary breaking
  /// does not cross sentence punctuation, so the tokens are the same) are scanned until every query
  /// word and phrase has been seen, or `lookahead` bytes past the first match. A 100 KB plan then
  /// costs a few milliseconds instead of tens.
  public func snippet(of text: String, length: Int = 100, chunkBytes: Int = 4096, lookahead: Int = 32_768) -> HighlightedText {
    let utf8 = Array(text.utf8)
    let units = Set(plainTerms.map(\.description) + phrases.compactMap { $0.text.isEmpty ? nil : $0.text })
    var found: [Range<Int>] = []
    var seen = Set<String>()
    var firstMatchAt: Int? = nil
    var start = 0
    while start < utf8.count {
      let end = Self.sentenceEnd(utf8, after: min(utf8.count, start + chunkBytes))
      let chunk = String(decoding: utf8[start..<end], as: UTF8.self)
      for r in matches(in: chunk) {
        let absolute = (r.lowerBound + start)..<(r.upperBound + start)
        found.append(absolute)
        let normalized = segmenter.normalize(String(decoding: utf8[absolute], as: UTF8.self))
        for u in units where !seen.contains(u) && normalized.contains(u) { seen.insert(u) }
        if firstMatchAt == nil { firstMatchAt = absolute.lowerBound }
      }
      start = end
      if !units.isEmpty && seen.count == units.count { break }
      if let first = firstMatchAt, start - first > lookahead { break }
    }
    return cut(text, scalarWindow: length, matches: found)
  }

  /// The byte offset just after the first sentence end (。！？；, newline) at or after `from`, or
  /// the next character boundary if none comes within 4 KB, or the end.
  static func sentenceEnd(_ u: [UInt8], after from: Int) -> Int {
    if from >= u.count { return u.count }
    let limit = min(u.count, from + 4096)
    var i = from
    while i < limit {
      if u[i] == 0x0A { return i + 1 }
      if i + 2 < u.count && (u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x82  // 。
        || u[i] == 0xEF && u[i + 1] == 0xBC && (u[i + 2] == 0x81 || u[i + 2] == 0x9F || u[i + 2] == 0x9B))  // ！？；
      {
        return i + 3
      }
      i += 1
    }
    while i < u.count && u[i] & 0xC0 == 0x80 { i += 1 }
    return i
  }

  private func cut(_ text: String, scalarWindow: Int?, matches: [Range<Int>]) -> HighlightedText {
    let utf8 = Array(text.utf8)
    var scalarStarts: [Int] = []  // byte offset of each scalar
    scalarStarts.reserveCapacity(utf8.count / 2)
    var i = 0
    while i < utf8.count {
      scalarStarts.append(i)
      let b = utf8[i]
      i += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
    }
    let scalarCount = scalarStarts.count
    func scalarIndex(ofByte byte: Int) -> Int {
      var lo = 0, hi = scalarCount
      while lo < hi {
        let mid = (lo + hi) / 2
        if scalarStarts[mid] < byte { lo = mid + 1 } else { hi = mid }
      }
      return lo
    }

    var from = 0, to = scalarCount
    if let window = scalarWindow, scalarCount > window {
      // Anchor on the match whose window holds the most distinct matched text (then the most
      // matches): three different query words beat ten repeats of one common word.
      var bestAnchor = 0, bestCount = 0
      let matchScalars = matches.map { scalarIndex(ofByte: $0.lowerBound) }
      let matchTexts = matches.map { Array(utf8[$0]) }
      for (a, start) in matchScalars.enumerated() {
        var count = 0
        var distinct = Set<[UInt8]>()
        for (k, m) in matchScalars[a...].enumerated() {
          if m - start >= window * 3 / 4 { break }
          distinct.insert(matchTexts[a + k])
          count += 1
        }
        // Longer distinct matches (a whole phrase or compound) outweigh short ones.
        let value = distinct.reduce(0) { $0 + $1.count } * 10_000 + count
        if value > bestCount {
          bestCount = value
          bestAnchor = start
        }
      }
      from = bestCount == 0 ? 0 : max(0, bestAnchor - window / 5)
      to = min(scalarCount, from + window)
      if to == scalarCount { from = max(0, to - window) }
    }
    let byteFrom = from < scalarCount ? scalarStarts[from] : utf8.count
    let byteTo = to < scalarCount ? scalarStarts[to] : utf8.count

    // Copy the window, folding whitespace, and map match offsets into the output.
    var out: [UInt8] = []
    var mapped: [Range<Int>] = []
    if byteFrom > 0 { out.append(contentsOf: Array("…".utf8)) }
    var pendingSpace = false
    var m = matches.firstIndex { $0.upperBound > byteFrom } ?? matches.count
    var openStart: Int? = nil
    var b = byteFrom
    while b < byteTo {
      if m < matches.count && matches[m].lowerBound == b {
        if pendingSpace { out.append(0x20); pendingSpace = false }
        openStart = out.count
      }
      let (scalar, width) = UTF8Scalar.decode(utf8, at: b)
      if isFoldableSpace(scalar) {
        if !out.isEmpty && out.last != 0x20 && openStart == nil { pendingSpace = true }
      } else {
        if pendingSpace { out.append(0x20); pendingSpace = false }
        out.append(contentsOf: utf8[b..<(b + width)])
      }
      b += width
      if m < matches.count && matches[m].upperBound == b {
        if let s = openStart, matches[m].lowerBound >= byteFrom { mapped.append(s..<out.count) }
        openStart = nil
        m += 1
      }
    }
    if byteTo < utf8.count { out.append(contentsOf: Array("…".utf8)) }
    return HighlightedText(text: String(decoding: out, as: UTF8.self), ranges: mapped)
  }

  private func isFoldableSpace(_ s: UInt32) -> Bool {
    s == 0x20 || s == 0x09 || s == 0x0A || s == 0x0D || s == 0xA0 || s == 0x3000 || s == 0x0B || s == 0x0C
  }
}
