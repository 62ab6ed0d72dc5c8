import ZhengSouFormat

/// Encodes one term's postings in one field: doc ids, term frequencies and positions.
///
/// Layout of a list in POST (docs/FORMAT.md, "POST"):
/// `SkipEntry × blockCount` (only when blockCount > 1), then the blocks. A full block of 128 is
/// `docBits:u8 tfBits:u8 packedDocDeltas packedTfMinus1`; the last, partial block is varints
/// `(delta << 1 | tf == 1)` followed by `tf` when it is not 1 (Lucene's trick). Doc deltas are
/// against the previous doc in the list (the first against 0). Positions go to POSN: per doc, `tf`
/// deltas (the first against 0), unless the list keeps none; a block's are varints when it has
/// fewer than 4, else bit-packed after a width byte. Skip entries give each block's last doc, where its doc data
/// and its positions end, and its block-max pair (max tf, min norm code).
struct PostingsWriter {
  var post: SpillableBytes
  var posn: SpillableBytes
  private var blockData = ByteWriter(capacity: 4096)
  private var skips = ByteWriter(capacity: 256)
  private var deltaBuffer = [UInt32](repeating: 0, count: IndexFormat.blockSize)
  private var tfBuffer = [UInt32](repeating: 0, count: IndexFormat.blockSize)
  /// A block's position values (firsts and deltas), when they are packed.
  private var positionValues: [UInt32] = []

  /// With spill files, POST and POSN move to disk in chunks as they grow (`spillIfLarge`).
  init(postingsSpill: SpillFile? = nil, positionsSpill: SpillFile? = nil) {
    post = SpillableBytes(capacity: 1 << 20, spillingTo: postingsSpill)
    posn = SpillableBytes(capacity: 1 << 20, spillingTo: positionsSpill)
  }

  /// Lets POST and POSN move to their spill files (between lists).
  mutating func spillIfLarge() throws {
    try post.spillIfLarge()
    try posn.spillIfLarge()
  }

  /// The first document of the last list written whose positions did not increase (nil: none).
  /// Such a list is written wrong (its deltas wrap) and the builder refuses to finish the file.
  private(set) var disorderedDocument: UInt32? = nil

  /// Writes a list: `postings` holds docs ascending, `tfs[i] ≥ 1`, and the concatenated
  /// strictly increasing positions of each doc (`tfs[i]` of them; otherwise `disorderedDocument`
  /// is set); `norms` gives each doc's field-norm code. Without `positions`, nothing goes to POSN
  /// and every skip entry's positionsEnd is 0.
  mutating func write(_ postings: borrowing PostingsScratch, positions keepsPositions: Bool = true, norms: (UInt32) -> UInt8) -> TermFieldInfo {
    let docs = postings.documentBuffer, tfs = postings.frequencyBuffer, positions = postings.positionBuffer
    let df = docs.count
    let postingsOffset = post.count
    let positionsOffset = posn.count
    let blockCount = (df + IndexFormat.blockSize - 1) / IndexFormat.blockSize
    blockData.removeAll()
    skips.removeAll()
    var termMaxTf: UInt32 = 0
    var termMinNorm: UInt8 = 255
    var prevDoc: UInt32 = 0
    var posIndex = 0
    disorderedDocument = nil
    for block in 0..<blockCount {
      let lo = block * IndexFormat.blockSize
      let hi = min(df, lo + IndexFormat.blockSize)
      var maxTf: UInt32 = 0
      var minNorm: UInt8 = 255
      var blockPositions = 0
      for i in lo..<hi {
        let doc = docs[i], tf = tfs[i]
        deltaBuffer[i - lo] = doc &- prevDoc
        tfBuffer[i - lo] = tf
        prevDoc = doc
        maxTf = max(maxTf, tf)
        minNorm = min(minNorm, norms(doc))
        blockPositions += Int(tf)
      }
      // The block's positions: per doc, its first position and then the deltas, written straight
      // into POSN: as varints when the block has fewer than `packedPositionsMinimum`, else as a
      // width byte and the values bit-packed at that width.
      if keepsPositions {
        positionValues.removeAll(keepingCapacity: true)
        var disordered: Int? = nil
        var p = posIndex
        var all: UInt32 = 0
        for i in lo..<hi {
          var prevPos: UInt32 = 0
          for k in 0..<Int(tfs[i]) {
            let position = positions[p]
            if position <= prevPos && k > 0 && disordered == nil { disordered = i }
            let value = position &- prevPos
            positionValues.append(value)
            all |= value
            prevPos = position
            p += 1
          }
        }
        let values = positionValues
        if blockPositions < IndexFormat.packedPositionsMinimum {
          posn.writeRaw(maxCount: 5 * blockPositions) { out in
            values.reduce(0) { w, value in w + VarInt.writeUInt32(value, to: out + w) }
          }
        } else {
          let width = 32 - all.leadingZeroBitCount
          posn.writeRaw(maxCount: 1 + BitPacker.packedByteCount(count: blockPositions, bitWidth: width)) { out in
            out[0] = UInt8(width)
            return 1 + values.withUnsafeBufferPointer { BitPacker.pack($0, bitWidth: width, to: out + 1) }
          }
        }
        if let i = disordered, disorderedDocument == nil { disorderedDocument = docs[i] }
      }
      posIndex += blockPositions
      let n = hi - lo
      if n == IndexFormat.blockSize {
        for i in 0..<n { tfBuffer[i] -= 1 }
        deltaBuffer.withUnsafeBufferPointer { d in
          tfBuffer.withUnsafeBufferPointer { t in
            let db = BitPacker.bitWidth(of: d), tb = BitPacker.bitWidth(of: t)
            blockData.writeUInt8(UInt8(db))
            blockData.writeUInt8(UInt8(tb))
            BitPacker.pack(d, bitWidth: db, into: &blockData)
            BitPacker.pack(t, bitWidth: tb, into: &blockData)
          }
        }
      } else {
        for i in 0..<n {
          let tf = tfBuffer[i]
          blockData.writeVarUInt(UInt64(deltaBuffer[i]) << 1 | (tf == 1 ? 1 : 0))
          if tf != 1 { blockData.writeVarUInt(UInt64(tf)) }
        }
      }
      skips.writeUInt32(prevDoc)
      skips.writeUInt32(UInt32(blockData.count))
      skips.writeUInt32(UInt32(posn.count - positionsOffset))
      skips.writeUInt32(maxTf)
      skips.writeUInt8(minNorm)
      skips.writeUInt8(0)
      skips.writeUInt16(0)
      termMaxTf = max(termMaxTf, maxTf)
      termMinNorm = min(termMinNorm, minNorm)
    }
    if blockCount > 1 { post.writeBytes(skips.bytes) }
    post.writeBytes(blockData.bytes)
    return TermFieldInfo(
      docFrequency: df, maxTermFrequency: termMaxTf, minNormCode: termMinNorm,
      postingsOffset: postingsOffset, positionsOffset: positionsOffset, hasPositions: keepsPositions)
  }
}
