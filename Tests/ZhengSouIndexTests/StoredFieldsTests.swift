import Foundation
import Testing
import ZhengSouFormat
import ZhengSouIndex

/// DOCS (format 4): ids in a plain table, the other fields deflated in blocks of 16 documents.
struct StoredFieldsTests {
  let vocabulary = ["国务院", "政府", "工作", "报告", "发展", "经济", "改革", "民生", "科技", "创新"]

  @Test(arguments: [1, 15, 16, 17, 40])
  func everyDocumentReadsBackByOrdinalIdAndScan(documents: Int) throws {
    let model = makeModel(documents: documents, vocabulary: vocabulary, seed: 77)
    let path = temporaryPath("stored-\(documents)")
    try writeFile(try buildIndex(model), path)
    let reader = try IndexReader(path: path)
    var scanned: [StoredDocument] = []
    try reader.forEachDocument { d, doc in
      #expect(d == scanned.count)
      scanned.append(doc)
    }
    #expect(scanned == model.map(\.stored))
    for (d, doc) in model.enumerated().reversed() {
      #expect(try reader.document(d) == doc.stored)
      #expect(try reader.documentID(d) == doc.stored.id)
    }
    #expect(throws: IndexError.self) { try reader.document(documents) }
    try reader.verify()
  }

  /// A damaged byte inside a compressed block is an error naming DOCS when the document is read,
  /// even though searching does not check the big sections' CRCs; it never traps.
  @Test func aDamagedBlockIsAnErrorNotACrash() throws {
    let model = makeModel(documents: 40, vocabulary: vocabulary, seed: 5)
    var bytes = try buildIndex(model)
    let entry = try bytes.withUnsafeBytes { (file) throws(FormatError) in
      try IndexFileReader(file, supportedVersions: IndexFormat.supportedVersions).entry(IndexFormat.storedDocuments)
    }
    let docs = try #require(entry)
    var failures = 0
    for k in stride(from: docs.length - 1, to: docs.length * 3 / 4, by: -7) {
      var damaged = bytes
      damaged[docs.offset + k] ^= 0x5A
      let path = temporaryPath("damaged-docs-\(k)")
      try writeFile(damaged, path)
      let reader = try IndexReader(path: path)  // opening does not read the blocks
      for d in 0..<model.count {
        do { _ = try reader.document(d) } catch let error {
          failures += 1
          #expect("\(error)".contains("DOCS"))
        }
      }
    }
    #expect(failures > 0)
    bytes.removeAll()
  }
}
