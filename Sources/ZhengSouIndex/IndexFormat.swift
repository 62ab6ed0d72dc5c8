import ZhengSouFormat

/// Version and section names of the index file (docs/FORMAT.md is the normative description).
public enum IndexFormat {
  /// Bumped whenever any byte on disk changes meaning (see docs/FORMAT.md, "History").
  public static let currentVersion: UInt32 = 8
  /// Oldest version this build reads.
  public static let oldestSupportedVersion: UInt32 = 8
  public static var supportedVersions: ClosedRange<UInt32> { oldestSupportedVersion...currentVersion }

  /// Documents per postings block; each full block has a skip entry with its block-max pair.
  public static let blockSize = 128
  /// A block's positions are bit-packed when it has at least this many (format 8), varints when
  /// fewer (docs/FORMAT.md, POSN): below it a width byte costs more than packing saves.
  public static let packedPositionsMinimum = 4
  /// Terms per term-dictionary block (front-coded; the block's first term is stored whole).
  public static let termsPerDictionaryBlock = 32
  /// Stored documents per deflated DOCS block.
  public static let storedBlockDocuments = 16
  /// Bytes of one skip entry: lastDoc u32, docEnd u32, positionsEnd u32, maxTf u32, minNorm u8, 3 zero bytes.
  public static let skipEntrySize = 20

  public static let meta = SectionID("META")
  public static let segmenter = SectionID("SEGM")
  /// Optional (version 3): the user dictionary the segmenter was built with, in canonical text.
  public static let userDictionary = SectionID("USER")
  public static let termDictionary = SectionID("TDIC")
  public static let postings = SectionID("POST")
  public static let positions = SectionID("POSN")
  public static let fieldNorms = SectionID("FNRM")
  public static let storedDocuments = SectionID("DOCS")

  /// Sections in file order (USER only when the index was built with a user dictionary).
  public static let allSections = [meta, segmenter, userDictionary, termDictionary, postings, positions, fieldNorms, storedDocuments]
}
