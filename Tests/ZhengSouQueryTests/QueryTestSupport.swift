import ZhengSouTestSupport
import Foundation
import ZhengSouIndex
import ZhengSouQuery

/// Builds an index file from documents given as token lists per field (position = list index)
/// and opens it.
func openIndex(_ docs: [[[String]]], fields: [String] = ["title", "body"], name: String) throws -> IndexReader {
  let builder = try IndexBuilder(fieldNames: fields, segmenterIdentity: "query-tests")
  for (d, doc) in docs.enumerated() {
    try builder.beginDocument(StoredDocument(id: "d\(d)", title: doc[0].joined(), body: doc.last!.joined()))
    for (f, tokens) in doc.enumerated() {
      for (p, t) in tokens.enumerated() {
        var t = t
        t.withUTF8 { builder.addToken(field: f, term: UnsafeRawBufferPointer($0), position: p) }
      }
      builder.setFieldLength(field: f, tokens.count)
    }
    try builder.endDocument()
  }
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zhengsou-query-tests-\(getpid())")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  let path = dir.appendingPathComponent(name).path
  try Data(try builder.finish().bytes()).write(to: URL(fileURLWithPath: path))
  // The reader maps the file, so it can be unlinked at once: test runs leave nothing in /tmp.
  let reader = try IndexReader(path: path)
  try? FileManager.default.removeItem(atPath: path)
  rmdir(dir.path)
  return reader
}

