/// Why an index file could not be read.
///
/// The cases are distinct on purpose (as Lucene's too-old / too-new / corrupt split): a user must be
/// able to tell "rebuild with a newer zhengsou" from "this file is damaged" from "this file was cut
/// short". Every case that concerns a region of the file names that region.
public enum FormatError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file ends before a structure it must contain (header, footer, section table or a section).
  case truncated(expected: Int, actual: Int, what: String)
  /// The first bytes are not the ZhengSou index magic: not an index file at all.
  case badMagic
  /// Written by a newer format version than this reader understands.
  case versionTooNew(found: UInt32, newestSupported: UInt32)
  /// Written by a format version this reader no longer reads.
  case versionTooOld(found: UInt32, oldestSupported: UInt32)
  /// The stored CRC-32C of a region does not match its bytes.
  case checksumMismatch(region: String, expected: UInt32, actual: UInt32)
  /// A section the reader needs is not in the section table.
  case missingSection(String)
  /// Bytes that passed the checksum (or were not checked yet) describe an impossible structure.
  case corrupt(region: String, offset: Int, reason: String)

  public var description: String {
    switch self {
    case .truncated(let expected, let actual, let what):
      return "index file truncated: \(what) needs \(expected) bytes but only \(actual) are there"
    case .badMagic:
      return "not a ZhengSou index file (bad magic number)"
    case .versionTooNew(let found, let newest):
      return "index format version \(found) is newer than this zhengsou supports (\(newest)); upgrade zhengsou"
    case .versionTooOld(let found, let oldest):
      return "index format version \(found) is too old (oldest supported: \(oldest)); rebuild the index"
    case .checksumMismatch(let region, let expected, let actual):
      return "checksum mismatch in \(region): stored \(hex(expected)), computed \(hex(actual)) (file corrupted)"
    case .missingSection(let name):
      return "index file has no \(name) section"
    case .corrupt(let region, let offset, let reason):
      return "corrupt index: \(region) at byte \(offset): \(reason)"
    }
  }
}

private func hex(_ value: UInt32) -> String {
  let digits = String(value, radix: 16)
  return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
