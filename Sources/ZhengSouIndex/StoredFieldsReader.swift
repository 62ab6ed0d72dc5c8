import ZhengSouFormat

/// Reads stored documents from the DOCS section by doc ordinal, checking every bound.
public struct StoredFieldsReader {
  let section: UnsafeRawBufferPointer
  public let count: Int
  let dataStart: Int

  init(_ section: UnsafeRawBufferPointer) throws(FormatError) {
    self.section = section
    var r = ByteReader(section, region: "section DOCS")
    let n = Int(try r.readUInt32())
    guard try r.readUInt32() == 0 else { throw r.corrupt("reserved field is not zero", at: 4) }
    guard n < section.count / 8 else { throw r.corrupt("document count \(n) does not fit the section", at: 0) }
    count = n
    dataStart = 8 + (n + 1) * 8
    guard dataStart <= section.count else { throw r.corrupt("offset table runs past the end", at: 8) }
    let last = UInt64(littleEndian: section.loadUnaligned(fromByteOffset: 8 + n * 8, as: UInt64.self))
    guard last == UInt64(section.count - dataStart) else {
      throw r.corrupt("data length \(last) does not match the section (\(section.count - dataStart))", at: 8 + n * 8)
    }
  }

  /// The stored fields of document `ordinal`.
  public func document(_ ordinal: Int) throws(FormatError) -> StoredDocument {
    guard ordinal >= 0 && ordinal < count else {
      throw .corrupt(region: "section DOCS", offset: 0, reason: "document \(ordinal) out of range 0..<\(count)")
    }
    let at = 8 + ordinal * 8
    let start = UInt64(littleEndian: section.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    let end = UInt64(littleEndian: section.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))
    let dataLength = UInt64(section.count - dataStart)
    guard start <= end, end <= dataLength else {
      throw .corrupt(region: "section DOCS", offset: at, reason: "document \(ordinal) spans \(start)..<\(end) outside the data (\(dataLength) bytes)")
    }
    let slice = UnsafeRawBufferPointer(rebasing: section[(dataStart + Int(start))..<(dataStart + Int(end))])
    var r = ByteReader(slice, region: "section DOCS (document \(ordinal))")
    let d = StoredDocument(
      id: try r.readString(), title: try r.readString(), date: try r.readString(), kind: try r.readString(),
      source: try r.readString(), url: try r.readString(), body: try r.readString())
    guard r.isAtEnd else { throw r.corrupt("\(r.remaining) unexpected trailing bytes") }
    return d
  }
}
