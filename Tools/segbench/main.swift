// A stand-alone driver for ZhengSouAnalysis, compiled together with the module's sources by
// Tools/segbench.sh (so it builds even while the rest of the package is mid-change).
//   segbench segment [--dict FILE] < in.txt > out.txt   surface segments, like `zhengsou segment`
//   segbench bench FILE [--dict FILE]                   segmenter vs raw ICU word breaking, same run
import Glibc

func fail(_ message: String) -> Never {
  fputs("segbench: \(message)\n", stderr)
  exit(2)
}

func readAll(_ path: String) -> [UInt8] {
  guard let f = fopen(path, "rb") else { fail("cannot open \(path)") }
  defer { fclose(f) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 20)
  while true {
    let n = fread(&chunk, 1, chunk.count, f)
    if n <= 0 { break }
    bytes.append(contentsOf: chunk[0..<n])
  }
  return bytes
}

func now() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var args = Array(CommandLine.arguments.dropFirst())
var options = SegmenterOptions()
if let i = args.firstIndex(of: "--dict") {
  guard i + 1 < args.count else { fail("--dict needs a file") }
  do { options.userDictionary = try UserDictionary(contentsOf: args[i + 1]) } catch { fail("\(error)") }
  args.removeSubrange(i...(i + 1))
}
let segmenter: Segmenter
do { segmenter = try Segmenter(options: options) } catch { fail("\(error)") }

switch args.first {
case "segment":
  while let line = readLine(strippingNewline: true) {
    let bytes = Array(line.utf8)
    print(segmenter.surfaceSegments(line).map { String(decoding: bytes[$0], as: UTF8.self) }.joined(separator: " "))
  }
case "bench":
  guard args.count > 1 else { fail("bench needs a file") }
  let data = readAll(args[1])
  let lines = data.split(separator: 0x0A).map { Array($0) }
  let megabytes = Double(data.count) / 1_000_000
  let raw: RawICUWordBreaker
  do { raw = try RawICUWordBreaker() } catch { fail("\(error)") }
  var buffer = TokenBuffer()
  var boundaries = 0
  var tokens = 0
  var best = (raw: Double.infinity, seg: Double.infinity)
  // Alternate twice and keep each side's best time, so neither pays alone for a cold cache.
  for _ in 0..<2 {
    var t = now()
    boundaries = 0
    for line in lines { boundaries += line.withUnsafeBytes { raw.countBoundaries($0) } }
    best.raw = min(best.raw, now() - t)
    t = now()
    tokens = 0
    for line in lines {
      buffer.removeAll()
      line.withUnsafeBytes { segmenter.segment($0, into: &buffer) }
      tokens += buffer.count
    }
    best.seg = min(best.seg, now() - t)
  }
  print("input \(megabytes) MB, \(lines.count) lines")
  print("raw ICU word break: \(megabytes / best.raw) MB/s (\(boundaries) boundaries)")
  print("segmenter:          \(megabytes / best.seg) MB/s (\(tokens) tokens)")
  print("identity: \(segmenter.identity)")
default:
  fail("usage: segbench segment [--dict FILE] | segbench bench FILE [--dict FILE]")
}
