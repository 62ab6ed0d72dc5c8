/// SplitMix64 (Steele, Lea & Flood, 2014): the library's one seeded generator, so a seed always
/// draws the same samples (`LiteralRecallCheck`) and the same benchmark queries
/// (`BenchmarkQueryGenerator`) on every machine and every run. (The test targets have their own
/// copy in ZhengSouTestSupport: tests must not depend on the library's internals.)
struct SplitMix64: RandomNumberGenerator, Sendable {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A value in `0..<n` (n ≥ 1), by modulo: the tiny bias is irrelevant for sampling and keeps
  /// the sequence independent of the standard library's algorithms.
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
