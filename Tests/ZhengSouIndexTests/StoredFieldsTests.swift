import Foundation
import Testing
import ZhengSouFormat
import ZhengSouIndex

/// DOCS (format 7): ids in a plain table, the other fields coded (`StoredTextCode`) and deflated in
/// blocks of 16 documents.
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
    // Where the blocks start: after the header (count, documents per block, table length), the
    // table and the two offset tables, the last of which ends with the blocks' length.
    func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[docs.offset + at + $1]) << (8 * $1) } }
    let (count, perBlock, tableLength) = (u32(0), u32(4), u32(8))
    let blockTable = 12 + tableLength + (count + 1) * 8
    let blocksLength = u32(blockTable + (count + perBlock - 1) / perBlock * 8)
    #expect(blocksLength > 0 && blocksLength < docs.length)
    var failures = 0
    for k in stride(from: docs.length - 1, to: docs.length - blocksLength, by: -7) {
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
