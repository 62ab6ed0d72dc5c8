import ZhengSouTestSupport
import Foundation
import ZhengSouIndex
import ZhengSouQuery

/// Builds an index file from documents given as token lists per field (position = list index)
/// and opens it.
func openIndex(_ docs: [[[String]]], fields: [String] = ["title", "body"], name: String) throws -> IndexReader {
  try openIndex(bytes: try indexBytes(docs, fields: fields), name: name)
}

/// The bytes of an index file of documents given as token lists per field.
func indexBytes(_ docs: [[[String]]], fields: [String] = ["title", "body"]) throws -> [UInt8] {
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
  return try builder.finish().bytes()
}

/// Writes index bytes to a file and opens it.
func openIndex(bytes: [UInt8], name: String) throws -> IndexReader {
  // A directory of its own per call (tests run in parallel; a shared per-process directory that
  // each call removed again raced with another call's write), removed when the process exits.
  let path = makeTemporaryDirectory(name).appendingPathComponent(name).path
  try Data(bytes).write(to: URL(fileURLWithPath: path))
  // The reader maps the file, so it can be unlinked at once.
  defer { try? FileManager.default.removeItem(atPath: path) }
  return try IndexReader(path: path)
}

