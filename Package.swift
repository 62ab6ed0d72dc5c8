// swift-tools-version:6.1
import PackageDescription

/// ZhengSou (政搜): Chinese full-text search for policy documents.
///
/// Dependencies point one way (leaf first):
///   CICUShim ← ZhengSouAnalysis
///   CDeflateShim, CChecksum, CBitPacking ← ZhengSouFormat
///   ZhengSouFormat, ZhengSouRanking, CPrefetch ← ZhengSouIndex
///   ZhengSouIndex, ZhengSouRanking, ZhengSouAnalysis ← ZhengSouQuery
///   the modules above ← ZhengSou (facade) ← zhengsou (CLI)
let package = Package(
  name: "ZhengSou",
  products: [
    .library(name: "ZhengSou", targets: ["ZhengSou"]),
    .executable(name: "zhengsou", targets: ["ZhengSouCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // MARK: Leaf modules
    /// The only code that includes ICU headers. Its public header uses <stdint.h> types only, so
    /// Swift never sees ICU's types next to the private ICU that Foundation bundles.
    .target(
      name: "CICUShim",
      linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]
    ),
    /// Normalization and word segmentation (the only Swift code that calls ICU, through CICUShim).
    .target(name: "ZhengSouAnalysis", dependencies: ["CICUShim"]),
    /// The only code that includes libdeflate's header (stored documents are deflated as zlib
    /// streams); stdint-only header.
    .target(name: "CDeflateShim", linkerSettings: [.linkedLibrary("deflate")]),
    /// Every byte on disk: container, checksums, integer and deflate codecs. No file I/O; never
    /// traps on bad bytes.
    .target(name: "ZhengSouFormat", dependencies: ["CDeflateShim", "CChecksum", "CBitPacking"]),
    /// CRC-32C with the CPU's instruction (SSE 4.2), which Swift cannot spell; `CRC32C` falls back
    /// to its own tables without it.
    .target(name: "CChecksum"),
    /// Full postings blocks decoded eight values at a time with AVX2 (Swift has no byte shuffle or
    /// per-lane shift); `BitPacker` decodes them itself without it.
    .target(name: "CBitPacking"),
    /// Cache prefetch hints for the build's random-access loops (Swift cannot spell them).
    .target(name: "CPrefetch"),
    /// BM25 maths and field-length quantization. Pure functions.
    .target(name: "ZhengSouRanking"),

    // MARK: Engine
    /// Builds and reads index files from the terms it is given (knows nothing of segmentation).
    .target(name: "ZhengSouIndex", dependencies: ["ZhengSouFormat", "ZhengSouRanking", "CPrefetch"]),
    /// Query parsing → matching → scoring → top-k, and highlighting.
    .target(name: "ZhengSouQuery", dependencies: ["ZhengSouIndex", "ZhengSouRanking", "ZhengSouAnalysis"]),
    /// The small facade other Swift code uses: ingestion, building, opening, searching.
    .target(
      name: "ZhengSou",
      dependencies: ["ZhengSouAnalysis", "ZhengSouFormat", "ZhengSouIndex", "ZhengSouQuery", "ZhengSouRanking"]
    ),

    // MARK: Command-line tool
    /// Release builds link the Swift runtime and Foundation statically: the dynamic loader's
    /// symbol binding for a dozen Swift libraries was 8 ms of every command's start (a cold
    /// `zhengsou search` took 39 ms instead of 28), and the binary runs without a Swift toolchain.
    /// The target also compiles against the static SDK, whose modules link Foundation's own
    /// static dependencies (its private ICU among them). Only this target: the library targets
    /// stay as they are for packages that depend on them (Benchmarks/).
    .executableTarget(
      name: "ZhengSouCLI",
      dependencies: ["ZhengSou", .product(name: "ArgumentParser", package: "swift-argument-parser")],
      swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))],
      linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
    ),

    // MARK: Tests
    /// Helpers shared by the test targets (a seeded random generator).
    .target(name: "ZhengSouTestSupport", path: "Tests/ZhengSouTestSupport"),
    .testTarget(name: "ZhengSouAnalysisTests", dependencies: ["ZhengSouTestSupport", "ZhengSouAnalysis"], resources: [.copy("Golden")]),
    .testTarget(name: "ZhengSouFormatTests", dependencies: ["ZhengSouTestSupport", "ZhengSouFormat"]),
    .testTarget(name: "ZhengSouRankingTests", dependencies: ["ZhengSouRanking"]),
    .testTarget(name: "ZhengSouIndexTests", dependencies: ["ZhengSouTestSupport", "ZhengSouIndex", "ZhengSouFormat", "ZhengSouRanking"]),
    .testTarget(name: "ZhengSouQueryTests", dependencies: ["ZhengSouTestSupport", "ZhengSouQuery", "ZhengSouIndex", "ZhengSouAnalysis"]),
    .testTarget(name: "ZhengSouTests", dependencies: ["ZhengSouTestSupport", "ZhengSou", "ZhengSouCLI"], resources: [.copy("Golden")]),
  ]
)
