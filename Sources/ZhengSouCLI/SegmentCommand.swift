import ArgumentParser
import ZhengSouAnalysis

struct SegmentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "segment",
    abstract: "Segment lines from stdin: one output line per input line, words separated by a space.",
    discussion: """
      The plain output is the SIGHAN bakeoff format: the original text of every segment (punctuation \
      included), so it can be scored against a gold segmentation. --json prints, per line, the \
      indexed tokens: normalized term, UTF-8 byte offsets into the line, position, kind.
      """)

  @Flag(help: "Print the indexed tokens of each line as JSON.")
  var json = false

  @Option(help: "A user dictionary: one word per line, optionally followed by a weight.")
  var dict: String?

  func run() throws {
    var options = SegmenterOptions()
    options.userDictionary = try dict.map(UserDictionaryFile.load)
    let segmenter = try Segmenter(options: options)
    var lineNumber = 0
    while let line = readLine(strippingNewline: true) {
      lineNumber += 1
      if json {
        let buffer = segmenter.segment(line)
        var items: [String] = []
        for i in 0..<buffer.count {
          let t = buffer.tokens[i]
          let surface = String(decoding: Array(line.utf8)[Int(t.start)..<Int(t.end)], as: UTF8.self)
          items.append(
            "{\"term\":\(Formatting.json(t.kind == .gram ? String(buffer.termString(i).dropFirst()) : buffer.termString(i))),\"text\":\(Formatting.json(surface)),\"start\":\(t.start),\"end\":\(t.end),\"position\":\(t.position),\"kind\":\"\(t.kind)\"\(t.isAlternative ? ",\"alternative\":true" : "")}")
        }
        print("{\"line\":\(lineNumber),\"tokens\":[\(items.joined(separator: ","))]}")
      } else {
        let bytes = Array(line.utf8)
        print(segmenter.surfaceSegments(line).map { String(decoding: bytes[$0], as: UTF8.self) }.joined(separator: " "))
      }
    }
  }
}
