import Testing
import ZhengSouFormat

/// Stored documents are deflated as zlib streams: they must round-trip, inflate in any zlib (the
/// header and Adler-32 of RFC 1950), and bad streams must be errors that name where, not traps.
@Suite struct DeflateTests {
  static let text = Array(String(repeating: "政府工作报告：推动高质量发展，2024年GDP增长5.2%。", count: 200).utf8)

  static func inflate(_ stream: [UInt8], expectedLength: Int) throws -> [UInt8] {
    try stream.withUnsafeBytes { try Deflate.decompress($0, expectedLength: expectedLength, region: "block 7", offset: 99) }
  }

  @Test(arguments: [1, 4, 6, 9, 12]) func streamsRoundTripAtEveryLevel(level: Int32) throws {
    let stream = Self.text.withUnsafeBytes { Deflate.compress($0, level: level) }
    #expect(stream.count < Self.text.count / 4)
    // RFC 1950: CMF 0x78 (deflate, 32 KiB window), a header that is a multiple of 31, and the
    // Adler-32 of the text, big-endian, at the end.
    #expect(stream[0] == 0x78 && (UInt16(stream[0]) << 8 | UInt16(stream[1])) % 31 == 0)
    var a: UInt32 = 1, b: UInt32 = 0
    for byte in Self.text {
      a = (a + UInt32(byte)) % 65521
      b = (b + a) % 65521
    }
    #expect(Array(stream.suffix(4)) == [UInt8(b >> 8), UInt8(b & 0xFF), UInt8(a >> 8), UInt8(a & 0xFF)])
    #expect(try Self.inflate(stream, expectedLength: Self.text.count) == Self.text)
  }

  @Test func emptyInputRoundTrips() throws {
    let stream = [UInt8]().withUnsafeBytes { Deflate.compress($0) }
    #expect(try Self.inflate(stream, expectedLength: 0) == [])
  }

  @Test func badStreamsAreErrorsNamingTheBlock() {
    let stream = Self.text.withUnsafeBytes { Deflate.compress($0) }
    var flipped = stream
    flipped[stream.count / 2] ^= 0x10
    var badChecksum = stream
    badChecksum[stream.count - 1] ^= 0x01
    let cases: [(String, [UInt8], Int)] = [
      ("truncated", Array(stream.dropLast(9)), Self.text.count),
      ("a flipped bit", flipped, Self.text.count),
      ("a wrong Adler-32", badChecksum, Self.text.count),
      ("too long", stream, Self.text.count - 1),
      ("too short", stream, Self.text.count + 1),
      ("trailing bytes", stream + [0], Self.text.count),
      ("not deflate", Array(Self.text.prefix(64)), 64),
      ("empty", [], 10),
    ]
    for (name, bytes, length) in cases {
      #expect(throws: FormatError.self, "\(name)") { try Self.inflate(bytes, expectedLength: length) }
      do {
        _ = try Self.inflate(bytes, expectedLength: length)
      } catch {
        #expect("\(error)".contains("block 7"), "\(name): \(error)")
      }
    }
  }
}
