import Foundation
import Testing

@testable import ZhengSou

/// A fresh temporary folder per test, removed afterwards.
private final class Scratch {
  let root: String

  init() throws {
    root = FileManager.default.temporaryDirectory
      .appendingPathComponent("zhengsou-loader-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  /// Writes `bytes` to `relative` (creating folders) and returns the full path.
  @discardableResult
  func write(_ relative: String, bytes: [UInt8]) throws -> String {
    let path = root + "/" + relative
    let folder = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  @discardableResult
  func write(_ relative: String, _ text: String) throws -> String {
    try write(relative, bytes: Array(text.utf8))
  }
}

/// Everything one loader run produced.
private struct Loaded {
  var documents: [SourceDocument] = []
  var problems: [IngestionProblem] = []

  init(_ paths: [String]) {
    DocumentLoader(paths: paths).forEachDocument({ documents.append($0) }, onProblem: { problems.append($0) })
  }

  var ids: [String] { documents.map(\.id) }
}

@Suite struct DocumentLoaderTests {
  // MARK: Choosing files

  @Test func folderIsWalkedRecursivelyInByteOrderSkippingHiddenAndOtherTypes() throws {
    let s = try Scratch()
    try s.write("b.txt", "乙")
    try s.write("a.md", "# 甲")
    try s.write("Z.txt", "丙")  // "Z" (0x5A) sorts before "a" (0x61)
    try s.write("a-x.txt", "丁")  // "-" (0x2D) sorts before "/" (0x2F): before a/…
    try s.write("a/y.jsonl", #"{"id":"y1","title":"","body":"戊"}"#)
    try s.write("sub/deeper/c.JSONL", #"{"id":"c1","title":"","body":"己"}"#)
    try s.write(".hidden.txt", "x")
    try s.write(".hiddendir/inside.txt", "x")
    try s.write("sub/.git/config.txt", "x")
    try s.write("notes.pdf", "x")
    try s.write("data.json", "{}")
    try s.write("README", "x")

    let (files, problems) = DocumentLoader(paths: [s.root]).inputFiles()
    #expect(problems.isEmpty)
    #expect(
      files == ["Z.txt", "a-x.txt", "a.md", "a/y.jsonl", "b.txt", "sub/deeper/c.JSONL"].map { s.root + "/" + $0 })

    let loaded = Loaded([s.root])
    #expect(loaded.problems.isEmpty)
    #expect(loaded.ids == ["Z", "a-x", "a", "y1", "b", "c1"])
  }

  @Test func folderWalkCanBeLimitedToSomeExtensions() throws {
    let s = try Scratch()
    try s.write("README.md", "# 说明")
    let data = try s.write("data.jsonl", #"{"id":"a","title":"","body":"b"}"#)
    let notes = try s.write("notes.txt", "笔记")
    let loader = DocumentLoader(paths: [s.root, notes], folderExtensions: ["JSONL", "pdf"])
    #expect(loader.folderExtensions == ["jsonl"])
    #expect(loader.inputFiles().files == [data, notes])  // explicit files keep any supported type
  }

  @Test func pathsKeepTheirOrderAndAFileListedTwiceIsReadOnce() throws {
    let s = try Scratch()
    let b = try s.write("b.txt", "乙")
    let a = try s.write("a.txt", "甲")
    let (files, problems) = DocumentLoader(paths: [b, s.root, a]).inputFiles()
    #expect(problems.isEmpty)
    #expect(files == [b, a])
  }

  @Test func explicitFileOfAnotherTypeAndMissingPathAreProblems() throws {
    let s = try Scratch()
    let pdf = try s.write("report.pdf", "x")
    let txt = try s.write("ok.txt", "正文")
    let missing = s.root + "/no/such/file.txt"
    let (files, problems) = DocumentLoader(paths: [pdf, missing, txt]).inputFiles()
    #expect(files == [txt])
    #expect(
      problems == [
        IngestionProblem(path: pdf, reason: .unsupportedFileType),
        IngestionProblem(path: missing, reason: .unreadable("no such file or directory")),
      ])

    let loaded = Loaded([pdf, missing, txt])
    #expect(loaded.ids == ["ok"])
    #expect(loaded.problems.count == 2)
    #expect(loaded.problems[1].description == "\(missing): cannot read: no such file or directory")
  }

  // MARK: .txt and .md

  @Test func textFileIsOneDocumentTitledByItsFirstNonEmptyLine() throws {
    let s = try Scratch()
    let text = "\n \n  西湖区十四五规划  \n\n第一章 总则\n"
    let path = try s.write("plans/xihu-plan.txt", text)
    let loaded = Loaded([path])
    #expect(loaded.problems.isEmpty)
    #expect(
      loaded.documents == [
        SourceDocument(id: "xihu-plan", title: "西湖区十四五规划", kind: .other, body: text, origin: path)
      ])
    #expect(loaded.documents[0].date == nil)
    #expect(loaded.documents[0].source == nil)
  }

  @Test func markdownTitleLosesLeadingHashesAndTheBodyKeepsTheTitleLine() throws {
    let s = try Scratch()
    let text = "\n##  城区首位、工作首创\r\n\n正文第一段。\n"
    let path = try s.write("news.md", text)
    let loaded = Loaded([path])
    #expect(loaded.problems.isEmpty)
    #expect(loaded.documents.first?.title == "城区首位、工作首创")
    #expect(loaded.documents.first?.body == text)

    // A heading with nothing after its hashes is not a title; the next line is.
    let bare = try s.write("bare.md", "#\n## \n真正的标题\n")
    #expect(Loaded([bare]).documents.first?.title == "真正的标题")

    // In a .txt file a leading "#" is text.
    let hashText = try s.write("hash.txt", "# 不是标题标记\n")
    #expect(Loaded([hashText]).documents.first?.title == "# 不是标题标记")
  }

  @Test func byteOrderMarkIsSkipped() throws {
    let s = try Scratch()
    let path = try s.write("bom.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("标题\n正文".utf8))
    let loaded = Loaded([path])
    #expect(loaded.documents.first?.title == "标题")
    #expect(loaded.documents.first?.body == "标题\n正文")

    let jsonl = try s.write(
      "bom.jsonl", bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"id":"x","title":"t","body":"b"}"#.utf8))
    let fromJSONL = Loaded([jsonl])
    #expect(fromJSONL.problems.isEmpty)
    #expect(fromJSONL.ids == ["x"])
  }

  // MARK: .jsonl

  @Test func jsonlFieldsAreRead() throws {
    let s = try Scratch()
    let lines = [
      #"{"id":"r-1","title":"2024年政府工作报告","date":"2024-03-05","kind":"report","source":"wikisource-gov-work-report","url":"https://zh.wikisource.org/wiki/x","body":"各位代表：\n现在……","extra":{"nested":[1,2,{"a":null}]}}"#,
      "",
      #"{"id":42,"title":"","body":"正文","year":1954}"#,
      "   ",
      #"{"id":"n-1","title":"新闻","body":"b","source":"cctv-xwlb","date":"20120702","year":2011}"#,
      #"{"id":"p-1","title":"规划","body":"b","source":"hangzhou-plan","year":"2021","url":""}"#,
      #"{"id":"x-1","title":"t","body":"b","kind":"LAW","source":"wikisource-gov-work-report"}"#,
      #"{"id":"x-2","title":"t","body":"b","kind":"speech","source":"lawrefbook"}"#,
    ]
    let path = try s.write("docs.jsonl", lines.joined(separator: "\n") + "\n")
    let loaded = Loaded([path])
    #expect(loaded.problems.isEmpty)
    #expect(loaded.ids == ["r-1", "42", "n-1", "p-1", "x-1", "x-2"])
    let d = loaded.documents
    #expect(
      d[0]
        == SourceDocument(
          id: "r-1", title: "2024年政府工作报告", date: "2024-03-05", kind: .report,
          source: "wikisource-gov-work-report", url: "https://zh.wikisource.org/wiki/x", body: "各位代表：\n现在……",
          origin: "\(path):1"))
    #expect(d[1] == SourceDocument(id: "42", title: "", date: "1954", kind: .other, body: "正文", origin: "\(path):3"))
    #expect(d[2].date == "2012-07-02")  // compact date normalized; `date` wins over `year`
    #expect(d[2].kind == .news)
    #expect(d[3].date == "2021")  // year as a string
    #expect(d[3].kind == .plan)
    #expect(d[3].url == nil)  // empty string = absent
    #expect(d[4].kind == .law)  // explicit kind (case-insensitive) beats the source
    #expect(d[5].kind == .law)  // unknown kind: inferred from source
  }

  @Test(arguments: [
    ("wikisource-gov-work-report", DocumentKind.report),
    ("wikisource-cpc-congress-report", .report),
    ("lawrefbook", .law),
    ("cctv-xwlb", .news),
    ("XWLB", .news),
    ("people-news", .news),
    ("city-plan", .plan),
    ("seed", .other),
  ])
  func kindIsInferredFromSource(source: String, kind: DocumentKind) {
    #expect(DocumentKind(inferredFromSource: source) == kind)
  }

  @Test func jsonStringEscapesAreDecoded() throws {
    let s = try Scratch()
    let line = #"{"id":"e","title":"\u897F\u6E56 \"区\"","body":"a\\b\/c\n\t\r\b\f\uD83D\uDE00é"}"#
    let path = try s.write("escapes.jsonl", line)
    let loaded = Loaded([path])
    #expect(loaded.problems.isEmpty)
    #expect(loaded.documents.first?.title == "西湖 \"区\"")
    #expect(loaded.documents.first?.body == "a\\b/c\n\t\r\u{08}\u{0C}😀é")
  }

  @Test func malformedLinesAreReportedWithLineAndColumnWhileOtherLinesLoad() throws {
    let s = try Scratch()
    let lines = [
      #"{"id":"a","title":"甲","body":"一"}"#,
      #"{"id":"b","title":"乙" "body":"二"}"#,  // missing comma after the title
      #"{"id":"c","title":"丙","body":"三"}"#,
      #"{"id":"d","title":"丁","body":"四"} x"#,
      #"["not","an","object"]"#,
      #"{"id":"e","title":"戊","body":"\ud800"}"#,
      #"{"id":"f","title":"己","body":"五",}"#,
      #"{"id":"g","title":"庚","body":"六"}"#,
    ]
    let path = try s.write("bad.jsonl", lines.joined(separator: "\r\n"))
    let loaded = Loaded([path])
    #expect(loaded.ids == ["a", "c", "g"])
    #expect(loaded.problems.map(\.line) == [2, 4, 5, 6, 7])
    #expect(loaded.problems.map(\.path) == Array(repeating: path, count: 5))
    #expect(loaded.problems[0].reason == .malformedJSON("expected ',' or '}' at column 23"))
    #expect(loaded.problems[0].description == "\(path):2: malformed JSON: expected ',' or '}' at column 23")
    #expect(loaded.problems[1].reason == .malformedJSON("unexpected characters after the object at column 35"))
    #expect(loaded.problems[2].reason == .malformedJSON("expected a JSON object ('{') at column 1"))
    #expect(loaded.problems[3].reason == .malformedJSON("unpaired high surrogate in \\u escape at column 31"))
    #expect(loaded.problems[4].reason == .malformedJSON("expected '\"' to start a key at column 34"))
  }

  @Test func missingOrMistypedRequiredFieldsAreReported() throws {
    let s = try Scratch()
    let lines = [
      #"{"title":"t","body":"b"}"#,
      #"{"id":1.5,"title":"t","body":"b"}"#,
      #"{"id":"","title":"t","body":"b"}"#,
      #"{"id":"x","body":"b"}"#,
      #"{"id":"y","title":null,"body":"b"}"#,
      #"{"id":"z","title":"t","body":["b"]}"#,
      #"{"id":"ok","title":"t","body":"b","year":null,"date":7}"#,
    ]
    let path = try s.write("fields.jsonl", lines.joined(separator: "\n"))
    let loaded = Loaded([path])
    #expect(loaded.ids == ["ok"])
    #expect(loaded.documents.first?.date == nil)
    #expect(
      loaded.problems.map(\.reason) == [
        .missingField("id"), .missingField("id"), .missingField("id"), .missingField("title"),
        .missingField("title"), .missingField("body"),
      ])
    #expect(loaded.problems.map(\.line) == [1, 2, 3, 4, 5, 6])
  }

  @Test func longLinesAcrossChunkBoundariesAreReadWhole() throws {
    let s = try Scratch()
    let big = String(repeating: "政府工作报告", count: 400_000)  // 7.2 MB of UTF-8: longer than one chunk
    var text = #"{"id":"first","title":"t","body":"x"}"# + "\n"
    text += #"{"id":"big","title":"t","body":""# + big + "\"}\n"
    for i in 0..<50_000 { text += #"{"id":"n\#(i)","title":"t","body":"第\#(i)条"}"# + "\n" }
    let path = try s.write("big.jsonl", text)
    let loaded = Loaded([path])
    #expect(loaded.problems.isEmpty)
    #expect(loaded.documents.count == 50_002)
    #expect(loaded.documents[1].body == big)
    #expect(loaded.documents.last?.body == "第49999条")
    #expect(loaded.documents.last?.origin == "\(path):50002")
  }

  // MARK: Bad files

  @Test func invalidUTF8IsReportedWithItsByteOffset() throws {
    let s = try Scratch()
    // "西湖" is 6 bytes, then a stray continuation byte at offset 6.
    let txt = try s.write("bad.txt", bytes: Array("西湖".utf8) + [0x80] + Array("区".utf8))
    #expect(Loaded([txt]).problems == [IngestionProblem(path: txt, reason: .invalidUTF8(byteOffset: 6))])

    // Overlong encoding and a truncated sequence at the end.
    let overlong = try s.write("overlong.md", bytes: Array("ab".utf8) + [0xC0, 0xAF])
    #expect(Loaded([overlong]).problems.first?.reason == .invalidUTF8(byteOffset: 2))
    let truncated = try s.write("truncated.txt", bytes: Array("abc".utf8) + [0xE8, 0xA5])
    #expect(Loaded([truncated]).problems.first?.reason == .invalidUTF8(byteOffset: 3))

    // JSONL: only the bad line is skipped; the offset counts from the start of the file.
    let line1 = Array((#"{"id":"a","title":"t","body":"b"}"# + "\n").utf8)
    let line2 = Array(#"{"id":"b","title":"t","body":""#.utf8) + [0xED, 0xA0, 0x80] + Array("\"}\n".utf8)
    let line3 = Array(#"{"id":"c","title":"t","body":"b"}"#.utf8)
    let jsonl = try s.write("bad.jsonl", bytes: line1 + line2 + line3)
    let loaded = Loaded([jsonl])
    #expect(loaded.ids == ["a", "c"])
    #expect(
      loaded.problems == [
        IngestionProblem(path: jsonl, line: 2, reason: .invalidUTF8(byteOffset: line1.count + 30))
      ])
    #expect(loaded.problems[0].description == "\(jsonl):2: invalid UTF-8 at byte offset \(line1.count + 30)")
  }

  @Test func emptyAndBinaryFilesAreReported() throws {
    let s = try Scratch()
    let empty = try s.write("empty.txt", bytes: [])
    let blank = try s.write("blank.md", " \n\t\r\n\u{3000}\n")
    let blankLines = try s.write("blank.jsonl", "\n\n   \n")
    let emptyJSONL = try s.write("empty.jsonl", bytes: [])
    let nul = try s.write("nul.txt", bytes: Array("abc".utf8) + [0] + Array("def".utf8))
    let nulJSONL = try s.write("nul.jsonl", bytes: Array(#"{"id":"a","title":"t","body":"b"}"#.utf8) + [0, 0, 1])
    let controls = try s.write("controls.txt", bytes: [UInt8](repeating: 0x01, count: 64) + Array("text".utf8))
    let loaded = Loaded([empty, blank, blankLines, emptyJSONL, nul, nulJSONL, controls])
    #expect(loaded.documents.isEmpty)
    #expect(
      loaded.problems == [
        IngestionProblem(path: empty, reason: .empty),
        IngestionProblem(path: blank, reason: .empty),
        IngestionProblem(path: blankLines, reason: .empty),
        IngestionProblem(path: emptyJSONL, reason: .empty),
        IngestionProblem(path: nul, reason: .binary),
        IngestionProblem(path: nulJSONL, reason: .binary),
        IngestionProblem(path: controls, reason: .binary),
      ])
  }

  @Test func laterDocumentsWithAnIDSeenBeforeAreReportedAndSkipped() throws {
    let s = try Scratch()
    let a = try s.write("a.jsonl", #"{"id":"x","title":"一","body":"1"}"# + "\n" + #"{"id":"x","title":"二","body":"2"}"#)
    let b = try s.write("b/x.txt", "三")
    let c = try s.write("c.jsonl", #"{"id":"x","title":"四","body":"4"}"# + "\n" + #"{"id":"y","title":"五","body":"5"}"#)
    let loaded = Loaded([s.root])
    #expect(loaded.documents.map(\.title) == ["一", "五"])
    #expect(
      loaded.problems == [
        IngestionProblem(path: a, line: 2, reason: .duplicateID("x")),
        IngestionProblem(path: b, reason: .duplicateID("x")),
        IngestionProblem(path: c, line: 1, reason: .duplicateID("x")),
      ])
  }

  @Test func errorsThrownByTheCallerStopTheWalk() throws {
    struct Stop: Error {}
    let s = try Scratch()
    try s.write("a.txt", "甲")
    try s.write("b.txt", "乙")
    var seen: [String] = []
    #expect(throws: Stop.self) {
      try DocumentLoader(paths: [s.root]).forEachDocument({ seen.append($0.id); throw Stop() }, onProblem: { _ in })
    }
    #expect(seen == ["a"])
  }

  // MARK: The shipped corpus

  /// The repository root, found from this file's path (Tests/ZhengSouTests/…).
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  @Test func shippedCorpusLoadsCompletely() throws {
    let corpus = Self.repoRoot + "/Corpus"
    let files = DocumentLoader(paths: [corpus], folderExtensions: ["jsonl"]).inputFiles()
    #expect(files.files == [corpus + "/reports.jsonl", corpus + "/seeds.jsonl"])
    let loaded = Loaded(files.files)
    #expect(loaded.problems.isEmpty, "\(loaded.problems)")
    #expect(loaded.documents.count == 93)
    let reports = loaded.documents.filter { $0.source == "wikisource-gov-work-report" }
    let congress = loaded.documents.filter { $0.source == "wikisource-cpc-congress-report" }
    let seeds = loaded.documents.filter { $0.source == "seed" }
    #expect((reports.count, congress.count, seeds.count) == (72, 16, 5))
    #expect(loaded.documents.allSatisfy { !$0.body.isEmpty && !$0.title.isEmpty })
    // Every document has a date or a year (see Corpus/README.md for how each was determined).
    #expect(loaded.documents.filter { $0.date == nil }.map(\.id) == [])
    #expect(loaded.documents.allSatisfy { ($0.date?.count ?? 0) >= 4 && Int($0.date!.prefix(4)) != nil })
    #expect(reports.allSatisfy { $0.kind == .report && $0.url?.hasPrefix("https://zh.wikisource.org/") == true })
    #expect(
      seeds.map(\.id) == [
        "seed-000-xihu-15th-plan-news", "seed-001-xihu-liuliu-reform-news", "seed-002-xihu-14th-five-year-plan",
        "seed-003-xihu-2023-work-report-news", "seed-004-xihu-liuliu-midyear-news",
      ])
    let plan = try #require(seeds.first { $0.kind == .plan })
    #expect(plan.date == "2021-03-18")
    #expect(plan.title == "杭州市西湖区(之江国家旅游度假区)国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要")
    #expect(!loaded.documents.contains { $0.source == "lawrefbook" || $0.kind == .law })
  }
}
