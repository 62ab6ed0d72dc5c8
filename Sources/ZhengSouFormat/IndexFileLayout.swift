/// Constants of the container layout (docs/FORMAT.md, "Container").
///
/// ```
/// File    := Header Section* Padding SectionTable Footer
/// Header  := magic[8] version:u32 reserved:u32(=0) fileLength:u64 headerCRC:u32 reserved:u32(=0)
/// Entry   := id:u32 crc:u32 offset:u64 length:u64          (24 bytes; the table is Entry*count)
/// Footer  := tableOffset:u64 sectionCount:u32 tableCRC:u32 footerCRC:u32 footerMagic[4]
/// ```
/// Every byte is covered by a check: magics, CRC-32C of header/table/footer/sections, and padding
/// that must be zero. So any single-byte change is detected by `IndexFileReader.verifyAll()`.
public enum IndexFileLayout {
  public static let magic: [UInt8] = [0x89, 0x5A, 0x53, 0x58, 0x0D, 0x0A, 0x1A, 0x0A]  // \x89 Z S X \r \n ^Z \n
  public static let footerMagic: [UInt8] = [0x5A, 0x53, 0x58, 0x21]  // "ZSX!"
  public static let headerSize = 32
  public static let headerCRCCoverage = 24
  public static let entrySize = 24
  public static let footerSize = 24
  public static let alignment = 8

  @inlinable static func align(_ n: Int) -> Int { (n + alignment - 1) & ~(alignment - 1) }
}
