import Testing
import ZhengSouTestSupport
import ZhengSouFormat

@Suite struct CodecTests {
  @Test func crc32cMatchesTheStandardCheckValue() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8]()) == 0)
    // 32 zero bytes: RFC 3720 (iSCSI) test vector.
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
  }

  @Test func crc32cCanContinueAcrossChunks() {
    let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    let whole = CRC32C.checksum(bytes)
    for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
      let first = bytes[..<split].withUnsafeBytes { CRC32C.checksum($0) }
      let both = bytes[split...].withUnsafeBytes { CRC32C.checksum($0, continuing: first) }
      #expect(both == whole, "split at \(split)")
    }
  }

  /// The CPU's CRC-32C instruction (where `checksum` uses it) and the tables agree on every
  /// length and alignment, continued or not; and both give the standard check values.
  @Test func crc32cHardwareAndTablesAgree() {
    #expect(Array("123456789".utf8).withUnsafeBytes { CRC32C.softwareChecksum($0) } == 0xE306_9283)
    var rng = SplitMix64(seed: 7)
    let bytes = (0..<4_200).map { _ in UInt8.random(in: 0...255, using: &rng) }
    bytes.withUnsafeBytes { all in
      for offset in 0..<9 {
        for length in [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1_000, 4_096] {
          let part = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
          for initial: UInt32 in [0, 0xDEAD_BEEF] {
            #expect(CRC32C.checksum(part, continuing: initial) == CRC32C.softwareChecksum(part, continuing: initial), "offset \(offset), length \(length)")
          }
        }
      }
    }
  }

  @Test func varintsRoundTripAndRejectGarbage() throws {
    let values: [UInt64] = [0, 1, 127, 128, 300, 16383, 16384, UInt64(UInt32.max), UInt64.max]
    var w = ByteWriter()
    for v in values { w.writeVarUInt(v) }
    #expect(w.bytes.prefix(3) == [0, 1, 127])
    let decoded: [UInt64] = try w.bytes.withUnsafeBytes { (raw) throws -> [UInt64] in
      var r = ByteReader(raw, region: "test")
      var out: [UInt64] = []
      while !r.isAtEnd { out.append(try r.readVarUInt()) }
      return out
    }
    #expect(decoded == values)
    // Each refusal names its cause and the offset where the varint starts (after a good one-byte
    // varint): a tenth byte above 1 overflows 64 bits, whether it ends the varint or continues it
    // (so no varint is longer than 10 bytes), and a truncated varint runs past the end.
    let refused: [([UInt8], String)] = [
      ([UInt8](repeating: 0x80, count: 11), "varint overflows 64 bits"),
      ([UInt8](repeating: 0xFF, count: 9) + [0x02], "varint overflows 64 bits"),
      ([0x80, 0x80], "varint runs past the end"),
    ]
    for (bad, reason) in refused {
      ([7] + bad).withUnsafeBytes { raw in
        var r = ByteReader(raw, region: "test")
        #expect((try? r.readVarUInt()) == 7)
        #expect(throws: FormatError.corrupt(region: "test", offset: 1, reason: reason)) { try r.readVarUInt() }
      }
    }
  }

  @Test func readerNeverReadsPastTheEnd() {
    let bytes: [UInt8] = [1, 2, 3]
    bytes.withUnsafeBytes { raw in
      var r = ByteReader(raw, region: "section TEST")
      #expect(throws: FormatError.self) { try r.readUInt32() }
      #expect(r.offset == 0, "a failed read does not move the cursor")
      #expect(throws: FormatError.self) { try r.readBytes(4) }
      #expect(throws: FormatError.self) { try r.readBytes(-1) }
      do {
        _ = try r.readUInt64()
      } catch {
        #expect("\(error)".contains("section TEST"))
      }
    }
    [UInt8]([2, 0xC3, 0x28]).withUnsafeBytes { raw in  // length 2, then invalid UTF-8
      var r = ByteReader(raw, region: "test")
      #expect(throws: FormatError.self) { try r.readString() }
    }
  }

  @Test(arguments: [0, 1, 2, 5, 7, 8, 13, 17, 24, 31, 32])
  func bitPackingRoundTrips(bitWidth: Int) {
    var rng = SplitMix64(seed: UInt64(bitWidth))
    for count in [1, 3, 64, 127, 128] {
      let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
      var values = (0..<count).map { _ in UInt32(rng.next() & mask) }
      if bitWidth > 0 { values[0] = UInt32(mask) }
      var w = ByteWriter()
      values.withUnsafeBufferPointer { v in
        #expect(BitPacker.bitWidth(of: v) == bitWidth)
        BitPacker.pack(v, bitWidth: bitWidth, into: &w)
      }
      #expect(w.count == BitPacker.packedByteCount(count: count, bitWidth: bitWidth))
      var out = [UInt32](repeating: 0xDEAD, count: count)
      w.bytes.withUnsafeBytes { raw in
        out.withUnsafeMutableBufferPointer { o in
          BitPacker.unpack(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, count: count, bitWidth: bitWidth, into: o.baseAddress!)
        }
      }
      #expect(out == values, "width \(bitWidth) count \(count)")
    }
  }

  /// The full-block decoder agrees with the packer for every width, given exactly the block's
  /// 16·w bytes (the copying path) or followed by other bytes (read in place; they must not leak
  /// into the values). From 16 bytes after, widths up to 25 take the AVX2 decoder where the CPU
  /// has it.
  @Test(arguments: [0, 7, 8, 15, 16, 64]) func fullBlockUnpackingMatchesTheGeneralDecoder(trailing: Int) {
    var rng = SplitMix64(seed: 128)
    for bitWidth in 0...32 {
      let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
      let values = (0..<128).map { i in i == 5 ? UInt32(mask) : UInt32(rng.next() & mask) }
      var w = ByteWriter()
      values.withUnsafeBufferPointer { BitPacker.pack($0, bitWidth: bitWidth, into: &w) }
      #expect(w.count == 16 * bitWidth)
      let bytes = w.bytes + [UInt8](repeating: 0xFF, count: trailing)
      var out = [UInt32](repeating: 0xDEAD, count: 128)
      bytes.withUnsafeBytes { raw in
        out.withUnsafeMutableBufferPointer { o in
          BitPacker.unpack128(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, bitWidth: bitWidth, readable: raw.count, into: o.baseAddress!)
        }
      }
      #expect(out == values, "width \(bitWidth), \(trailing) bytes after")
    }
  }

  /// The AVX2 prefix sums turn deltas into the ids the scalar loop computes, with their sum and the
  /// smallest delta from `first` on, for bases up to where the ids reach 2³² − 1.
  @Test func prefixSumsMatchTheScalarLoop() throws {
    guard BitPacker.hasSIMD else {
      var values = [UInt32](repeating: 1, count: 128)
      #expect(BitPacker.prefixSums128(&values, base: 0, first: 0) == nil)
      #expect(values == [UInt32](repeating: 1, count: 128), "nothing is written without AVX2")
      return
    }
    var rng = SplitMix64(seed: 99)
    for bitWidth in 1...BitPacker.maximumSIMDWidth {
      for first in 0...1 {
        let mask = UInt32((1 << UInt64(bitWidth)) - 1)
        var deltas = (0..<128).map { _ in UInt32(truncatingIfNeeded: rng.next()) & mask }
        // A zero delta somewhere (or only at index 0, which `first` = 1 leaves out).
        deltas[Int(rng.next() % 128)] = 0
        if first == 1 && bitWidth % 2 == 0 { for i in 1..<128 { deltas[i] |= 1 } }
        let sum = deltas.reduce(UInt64(0)) { $0 + UInt64($1) }
        for base in [UInt32(0), 1_000, UInt32(truncatingIfNeeded: UInt64(UInt32.max) - sum)] {
          var values = deltas
          let result = try #require(BitPacker.prefixSums128(&values, base: base, first: first))
          var running = UInt64(base)
          let expected = deltas.map { d -> UInt32 in
            running += UInt64(d)
            return UInt32(truncatingIfNeeded: running)
          }
          #expect(values == expected, "width \(bitWidth), base \(base)")
          #expect(UInt64(result.total) == sum)
          #expect(result.smallestDelta == deltas[first...].min()!, "width \(bitWidth), first \(first)")
        }
      }
    }
  }

  /// The one-pass decode of a block's doc-id deltas into ids gives what `unpack128` and then
  /// `prefixSums128` give, for every width it takes, with the deltas followed by exactly the 16
  /// bytes it may read or by more; it declines (writing nothing) what it does not take: width 0,
  /// widths past `maximumSIMDWidth`, too few readable bytes, a CPU without AVX2.
  @Test func oneBlockDecodeMatchesUnpackingThenSumming() throws {
    var rng = SplitMix64(seed: 2026)
    func packed(_ values: [UInt32], _ bitWidth: Int, trailing: Int) -> [UInt8] {
      var w = ByteWriter()
      values.withUnsafeBufferPointer { BitPacker.pack($0, bitWidth: bitWidth, into: &w) }
      return w.bytes + (0..<trailing).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }
    func decode(_ bytes: [UInt8], _ bitWidth: Int, readable: Int? = nil, base: UInt32, first: Int) -> ([UInt32], (total: UInt32, smallestDelta: UInt32)?) {
      var out = [UInt32](repeating: 0xDEAD, count: 128)
      let result = bytes.withUnsafeBytes { raw in
        out.withUnsafeMutableBufferPointer {
          BitPacker.unpackPrefixSums128(raw.baseAddress!, bitWidth: bitWidth, readable: readable ?? raw.count, base: base, first: first, into: $0.baseAddress!)
        }
      }
      return (out, result)
    }
    let untouched = [UInt32](repeating: 0xDEAD, count: 128)
    for bitWidth in 0...32 {
      for first in 0...1 {
        let mask = bitWidth == 32 ? UInt32.max : UInt32((1 << UInt64(bitWidth)) - 1)
        var deltas = (0..<128).map { _ in UInt32(truncatingIfNeeded: rng.next()) & mask }
        deltas[Int(rng.next() % 127) + 1] = 0
        if first == 1 && bitWidth % 2 == 0 { for i in 1..<128 { deltas[i] |= 1 } }
        if bitWidth > 0 { deltas[77] = mask }
        // The list's first delta (an ordinal, which may be 0) is left out of the minimum.
        if first == 1 { deltas[0] = 0 }
        for trailing in [16, 40] {
          let bytes = packed(deltas, bitWidth, trailing: trailing)
          let sum = deltas.reduce(UInt64(0)) { $0 + UInt64($1) }
          for base in [UInt32(0), 7_777, UInt32(truncatingIfNeeded: UInt64(UInt32.max) &- min(sum, UInt64(UInt32.max)))] {
            let (ids, result) = decode(bytes, bitWidth, base: base, first: first)
            guard BitPacker.hasSIMD, (1...BitPacker.maximumSIMDWidth).contains(bitWidth) else {
              #expect(result == nil && ids == untouched, "width \(bitWidth): declined, nothing written")
              continue
            }
            var twoSteps = [UInt32](repeating: 0, count: 128)
            let reference = try bytes.withUnsafeBytes { raw in
              try twoSteps.withUnsafeMutableBufferPointer { o in
                BitPacker.unpack128(raw.baseAddress!, bitWidth: bitWidth, readable: raw.count, into: o.baseAddress!)
                return try #require(BitPacker.prefixSums128(o.baseAddress!, base: base, first: first))
              }
            }
            #expect(ids == twoSteps, "width \(bitWidth), first \(first), base \(base)")
            #expect(result?.total == reference.total && result?.smallestDelta == reference.smallestDelta)
            #expect(result?.smallestDelta == deltas[first...].min()!)
          }
        }
        // One byte short of what it may read: declined.
        if bitWidth >= 1 {
          let bytes = packed(deltas, bitWidth, trailing: 16)
          let (ids, result) = decode(bytes, bitWidth, readable: bytes.count - 1, base: 0, first: first)
          #expect(result == nil && ids == untouched, "width \(bitWidth): too few readable bytes")
        }
      }
    }
  }

  /// The scan of a decoded block finds the first id ≥ the target from any start, with any count,
  /// for targets below, between, on and above the ids (including ids at and above 2³¹, which a
  /// signed compare would get wrong); adding 1 to a block's frequencies reports their minimum, and 0
  /// when one wraps.
  @Test func blockScansMatchTheScalarLoops() {
    var rng = SplitMix64(seed: 7)
    var ids = [UInt32](repeating: 0, count: 128)
    for round in 0..<40 {
      var id = round % 2 == 0 ? UInt32(rng.next() % 100) : 0x7FFF_FF00
      for i in 0..<128 {
        id += 1 + UInt32(rng.next() % (round % 3 == 0 ? 3 : 50))
        ids[i] = id
      }
      ids.withUnsafeBufferPointer { v in
        for _ in 0..<200 {
          let count = Int(rng.next() % 129)
          let from = count == 0 ? 0 : Int(rng.next() % UInt64(count + 1))
          let target = rng.next() % 5 == 0 ? UInt32.max : ids[Int(rng.next() % 128)] &+ UInt32(rng.next() % 3) &- 1
          var expected = from
          while expected < count && v[expected] < target { expected += 1 }
          #expect(BitPacker.firstIndex(in: v.baseAddress!, atLeast: target, from: from, count: count) == expected)
        }
      }
    }
    var tfs = (0..<128).map { _ in UInt32(rng.next() % 40) }
    tfs[77] = 0
    let reference = tfs.map { $0 + 1 }
    if let smallest = BitPacker.addOneReturningMinimum128(&tfs) {
      #expect(BitPacker.hasSIMD)
      #expect(tfs == reference && smallest == 1)
      tfs[3] = UInt32.max
      #expect(BitPacker.addOneReturningMinimum128(&tfs) == 0, "a wrapped value is the minimum")
    } else {
      #expect(!BitPacker.hasSIMD)
    }
  }

  @Test func containerRoundTripsSections() throws {
    var writer = IndexFileWriter(formatVersion: 3)
    writer.addSection(SectionID("AAAA"), [1, 2, 3])
    writer.addSection(SectionID("BBBB"), [])
    writer.addSection(SectionID("CCCC"), Array(repeating: 9, count: 20))
    let bytes = try writer.bytes()
    #expect(bytes.count == writer.totalLength)
    #expect(Array(bytes.prefix(8)) == IndexFileLayout.magic)
    try bytes.withUnsafeBytes { (raw) throws in
      let reader = try IndexFileReader(raw, supportedVersions: 1...3)
      #expect(reader.formatVersion == 3)
      #expect(reader.entries.map(\.id) == [SectionID("AAAA"), SectionID("BBBB"), SectionID("CCCC")])
      #expect(Array(try reader.section(SectionID("AAAA"))) == [1, 2, 3])
      #expect(try reader.section(SectionID("BBBB")).count == 0)
      #expect(reader.entries.allSatisfy { $0.offset % 8 == 0 })
      try reader.verifyAll()
      #expect(throws: FormatError.missingSection("ZZZZ")) { try reader.section(SectionID("ZZZZ")) }
      #expect(throws: FormatError.versionTooNew(found: 3, newestSupported: 2)) { try IndexFileReader(raw, supportedVersions: 1...2) }
    }
  }
}


@Suite struct HotVarIntTests {
  /// The 64-bit pointer decoder (dictionary lookups pass entries with it) accepts and refuses what
  /// `ByteReader.readVarUInt` does, and ends where it ends: one-byte values, 2⁶⁴ − 1, overlong forms
  /// of up to 10 bytes, 11 bytes, a 10th byte past 64 bits, input that runs out, and random bytes.
  @Test func sixtyFourBitVarintsDecodeAsTheCheckedReaderDoes() {
    var cases: [[UInt8]] = [
      [0], [0x7F], [0x80, 0x01], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
      [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], [0x80], [], [0xFF, 0xFF],
    ]
    var rng = SplitMix64(seed: 64)
    for _ in 0..<2_000 { cases.append((0..<Int(rng.next() % 12)).map { _ in UInt8(truncatingIfNeeded: rng.next() | (rng.next() % 4 == 0 ? 0 : 0x80)) }) }
    for bytes in cases {
      let padded = bytes + [0]  // a readable byte after `end`, which neither may read
      padded.withUnsafeBytes { raw in
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[..<bytes.count]), region: "test")
        let checked = try? reader.readVarUInt()
        var o = 0
        let fast = VarInt.readUInt64(raw.baseAddress!, &o, end: bytes.count)
        #expect(fast == checked, "\(bytes)")
        if checked != nil { #expect(o == reader.offset, "\(bytes)") }
      }
    }
  }

  @Test func thirtyTwoBitVarintsDecodeAndWiderOnesAreRejected() {
    for (bytes, want) in [([UInt8(0)], UInt32?(0)), ([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], UInt32.max), ([0xFF, 0xFF, 0xFF, 0xFF, 0x10], nil), ([0x80], nil)] {
      bytes.withUnsafeBytes { raw in
        var o = 0
        #expect(VarInt.readUInt32(raw.baseAddress!, &o, end: raw.count) == want, "\(bytes)")
      }
    }
  }
}
