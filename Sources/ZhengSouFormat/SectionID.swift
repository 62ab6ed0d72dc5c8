/// The four-character name of a section of an index file, stored as a little-endian UInt32 whose
/// bytes spell the name ("TDIC" is stored as the bytes 'T','D','I','C').
public struct SectionID: Hashable, Sendable, CustomStringConvertible {
  public let rawValue: UInt32

  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// - Precondition: `name` is exactly four ASCII characters.
  public init(_ name: String) {
    let bytes = Array(name.utf8)
    precondition(bytes.count == 4, "section names are four ASCII characters")
    rawValue = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
  }

  /// The name when printable, otherwise the hex value (corrupt tables must still print safely).
  public var description: String {
    let bytes = (0..<4).map { UInt8(truncatingIfNeeded: rawValue >> UInt32(8 * $0)) }
    if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return String(decoding: bytes, as: UTF8.self) }
    return "0x" + String(rawValue, radix: 16)
  }
}
