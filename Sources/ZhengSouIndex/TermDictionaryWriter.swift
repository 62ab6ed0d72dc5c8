import ZhengSouFormat

/// Writes the term dictionary: sorted terms in front-coded blocks, a block key table and a block
/// offset table.
///
/// TDIC := termCount:u32 blockCount:u32 fieldCount:u32 reserved:u32(=0) blockKey:8 bytes×blockCount
///         blockOffset:u32×blockCount Block*
/// Block := Entry×(≤32); Entry := prefix:varint suffixLen:varint suffix[suffixLen] FieldInfo×fieldCount
/// FieldInfo := df:varint, and when df > 0: maxTf:varint minNorm:u8 postingsOffset:varint positionsCode:varint
/// The first entry of a block has prefix 0 (its term is whole, so binary search needs no context).
/// Offsets are deltas from a running value per field that starts at 0 in every block: postings
/// from the previous entry with the field, positions from the previous entry whose list has
/// positions. positionsCode is `delta << 1 | 1` for a list with positions and 0 for one without
/// (version 5). A block's key is its first term's first 8 bytes, zero-padded (version 6).
/// Lookup: binary search the keys (the first terms only where keys tie), then scan one block.
struct TermDictionaryWriter {
  let fieldCount: Int
  private var blocks = ByteWriter(capacity: 1 << 20)
  private var blockOffsets: [UInt32] = []
  private var blockKeys = ByteWriter(capacity: 1 << 16)
  private var termCount = 0
  private var previousTerm: [UInt8] = []
  private var lastOffsets: [(post: Int, pos: Int)?]

  init(fieldCount: Int) {
    self.fieldCount = fieldCount
    lastOffsets = Array(repeating: nil, count: fieldCount)
  }

  /// Appends a term (in ascending byte order) with its per-field infos (nil: absent from the field).
  mutating func add(term: UnsafeRawBufferPointer, infos: [TermFieldInfo?]) {
    var prefix = 0
    if termCount % IndexFormat.termsPerDictionaryBlock == 0 {
      blockOffsets.append(UInt32(blocks.count))
      // The reader's key, written big-endian: the term's first 8 bytes in order, zero-padded.
      blockKeys.writeUInt64(TermDictionaryReader.key(of: term).byteSwapped)
      lastOffsets = Array(repeating: nil, count: fieldCount)
    } else {
      let limit = min(previousTerm.count, term.count)
      while prefix < limit && previousTerm[prefix] == term[prefix] { prefix += 1 }
    }
    blocks.writeVarUInt(UInt64(prefix))
    blocks.writeVarUInt(UInt64(term.count - prefix))
    blocks.writeBytes(UnsafeRawBufferPointer(rebasing: term[prefix...]))
    for f in 0..<fieldCount {
      guard let info = infos[f] else {
        blocks.writeVarUInt(0)
        continue
      }
      blocks.writeVarUInt(UInt64(info.docFrequency))
      blocks.writeVarUInt(UInt64(info.maxTermFrequency))
      blocks.writeUInt8(info.minNormCode)
      let last = lastOffsets[f] ?? (0, 0)
      blocks.writeVarUInt(UInt64(info.postingsOffset - last.post))
      if info.hasPositions {
        blocks.writeVarUInt(UInt64(info.positionsOffset - last.pos) << 1 | 1)
        lastOffsets[f] = (info.postingsOffset, info.positionsOffset)
      } else {
        blocks.writeVarUInt(0)
        lastOffsets[f] = (info.postingsOffset, last.pos)
      }
    }
    previousTerm = Array(term)
    termCount += 1
  }

  func finish() -> [UInt8] {
    var out = ByteWriter(capacity: 16 + blockOffsets.count * 12 + blocks.count)
    out.writeUInt32(UInt32(termCount))
    out.writeUInt32(UInt32(blockOffsets.count))
    out.writeUInt32(UInt32(fieldCount))
    out.writeUInt32(0)
    out.writeBytes(blockKeys.bytes)
    for o in blockOffsets { out.writeUInt32(o) }
    out.writeBytes(blocks.bytes)
    return out.bytes
  }
}
