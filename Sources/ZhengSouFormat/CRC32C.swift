import CChecksum

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every region of an index.
///
/// Chosen over zlib's CRC-32 because it is what modern storage formats use (iSCSI, ext4, RocksDB) and
/// detects all single-bit and burst errors up to 32 bits. Computed with the CPU's CRC-32C
/// instruction where there is one (SSE 4.2, through `CChecksum`: about 8 bytes per 3 cycles),
/// otherwise slicing-by-8 in portable Swift (about 1 byte per cycle; on news.jsonl's 196 MB index,
/// 0.15 s of a build's single-threaded end). `zhengsou verify` reads every byte through it.
/// Check value: `CRC32C.checksum("123456789")` is 0xE3069283.
public enum CRC32C {
  /// Whether `checksum` uses the CPU's instruction.
  public static let usesHardware = zs_crc32c_available() != 0

  @usableFromInline static let tables: [UInt32] = {
    var t = [UInt32](repeating: 0, count: 8 * 256)
    for i in 0..<256 {
      var c = UInt32(i)
      for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
      t[i] = c
    }
    for i in 0..<256 {
      for k in 1..<8 {
        let prev = t[(k - 1) * 256 + i]
        t[k * 256 + i] = (prev >> 8) ^ t[Int(prev & 0xFF)]
      }
    }
    return t
  }()

  /// The CRC-32C of `bytes`, continuing from `initial` (the checksum of preceding bytes, or 0).
  public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing initial: UInt32 = 0) -> UInt32 {
    guard let base = bytes.baseAddress else { return initial }
    if usesHardware { return ~zs_crc32c_update(~initial, base, bytes.count) }
    return softwareChecksum(bytes, continuing: initial)
  }

  /// The same checksum with the tables, whatever the CPU (the fallback, and the tests' reference).
  public static func softwareChecksum(_ bytes: UnsafeRawBufferPointer, continuing initial: UInt32 = 0) -> UInt32 {
    var crc = ~initial
    guard let base = bytes.baseAddress else { return initial }
    let count = bytes.count
    tables.withUnsafeBufferPointer { t in
      let tp = t.baseAddress!
      var i = 0
      while i + 8 <= count {
        let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ UInt64(crc)
        crc = tp[7 * 256 + Int(word & 0xFF)] ^ tp[6 * 256 + Int((word >> 8) & 0xFF)]
          ^ tp[5 * 256 + Int((word >> 16) & 0xFF)] ^ tp[4 * 256 + Int((word >> 24) & 0xFF)]
          ^ tp[3 * 256 + Int((word >> 32) & 0xFF)] ^ tp[2 * 256 + Int((word >> 40) & 0xFF)]
          ^ tp[1 * 256 + Int((word >> 48) & 0xFF)] ^ tp[Int(word >> 56)]
        i += 8
      }
      while i < count {
        crc = tp[Int((crc ^ UInt32(base.load(fromByteOffset: i, as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
        i += 1
      }
    }
    return ~crc
  }

  /// Convenience for arrays and literals.
  public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
    Array(bytes).withUnsafeBytes { checksum($0) }
  }
}
