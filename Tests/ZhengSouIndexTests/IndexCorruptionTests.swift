import Foundation
import Testing
import ZhengSouFormat
import ZhengSouIndex

@Suite struct IndexCorruptionTests {
  let bytes = try! buildIndex(makeModel(documents: 40, vocabulary: testVocabulary, seed: 3))

  /// Opens and fully verifies `bytes` as an index file; returns the error, if any.
  func openAndVerify(_ bytes: [UInt8], name: String) -> IndexError? {
    let path = temporaryPath(name)
    do {
      try writeFile(bytes, path)
      let reader = try IndexReader(path: path)
      try reader.verify()
      return nil
    } catch let e as IndexError {
      return e
    } catch {
      Issue.record("unexpected error \(error)")
      return nil
    }
  }

  @Test func intactIndexVerifies() {
    #expect(openAndVerify(bytes, name: "intact.zsx") == nil)
  }

  @Test func everySingleByteFlipIsDetected() throws {
    // Container level, in memory, every byte (so the test stays fast).
    for i in bytes.indices {
      var damaged = bytes
      damaged[i] ^= 0x5A
      let detected: Bool = damaged.withUnsafeBytes { raw in
        do {
          let file = try IndexFileReader(raw, supportedVersions: IndexFormat.supportedVersions)
          try file.verifyAll()
          return false
        } catch { return true }
      }
      #expect(detected, "flip at byte \(i) of \(bytes.count) went unnoticed")
    }
    // And through the real reader, for a sample of offsets in every section.
    let reader = try bytes.withUnsafeBytes { try IndexFileReader($0, supportedVersions: IndexFormat.supportedVersions) }
    for e in reader.entries where e.length > 0 {
      for i in [e.offset, e.offset + e.length / 2, e.offset + e.length - 1] {
        var damaged = bytes
        damaged[i] ^= 0x01
        let error = openAndVerify(damaged, name: "flip.zsx")
        #expect(error != nil, "flip in \(e.id) at \(i)")
        #expect("\(error!)".contains(e.id.description), "the error names section \(e.id): \(error!)")
      }
    }
  }

  @Test func truncationIsReportedAsTruncation() {
    for length in [0, 5, 31, 32, 100, bytes.count / 2, bytes.count - 1] {
      let error = openAndVerify(Array(bytes[0..<length]), name: "trunc.zsx")
      guard case .format(_, let f)? = error else {
        Issue.record("length \(length): \(String(describing: error))")
        continue
      }
      if length >= 8 {
        guard case .truncated = f else {
          Issue.record("length \(length): expected truncated, got \(f)")
          continue
        }
      }
    }
  }

  @Test func wrongMagicAndVersionsAreDistinctErrors() {
    var notIndex = bytes
    notIndex[1] = UInt8(ascii: "Q")
    #expect(openAndVerify(notIndex, name: "magic.zsx") == .format(path: temporaryPath("magic.zsx"), .badMagic))

    for (version, tooNew) in [(UInt32(99), true), (UInt32(0), false)] {
      var v = bytes
      v[8] = UInt8(version)
      // Re-seal the header checksum so only the version differs.
      let crc = CRC32C.checksum(v[0..<24])
      for k in 0..<4 { v[24 + k] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * k)) }
      let error = openAndVerify(v, name: "version.zsx")
      if tooNew {
        #expect(error == .format(path: temporaryPath("version.zsx"), .versionTooNew(found: 99, newestSupported: IndexFormat.currentVersion)))
      } else {
        #expect(error == .format(path: temporaryPath("version.zsx"), .versionTooOld(found: 0, oldestSupported: IndexFormat.oldestSupportedVersion)))
      }
    }
  }

  @Test func missingFileIsAnIOError() {
    let path = temporaryPath("does-not-exist.zsx")
    #expect(throws: IndexError.self) { try IndexReader(path: path) }
  }
}
