// swift-tools-version:6.1
import PackageDescription

/// ZhengSou's micro-benchmarks (ordo-one/benchmark), a package of their own as swift-nio's are, so
/// the main package (and CI's `swift build` / `swift test`) never resolves or builds the benchmark
/// tooling. Run from this directory: `swift package benchmark` (see README.md).
///
/// The MallocInterposer trait gives the malloc counters (`mallocCountTotal`) without jemalloc;
/// naming the traits also leaves out the default RuntimeInterposer trait (ARC counters on Linux
/// with Swift 6.3), whose package is not mirrored here.
let package = Package(
  name: "ZhengSouBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "ZhengSou", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    /// Segmenter throughput over the text of Corpus/.
    .executableTarget(
      name: "SegmenterBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "ZhengSou", package: "ZhengSou"),
      ],
      path: "Benchmarks/SegmenterBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    /// Postings decode, leapfrog intersection and top-k scoring on an index of Corpus/.
    .executableTarget(
      name: "SearchBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "ZhengSou", package: "ZhengSou"),
      ],
      path: "Benchmarks/SearchBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ]
)
