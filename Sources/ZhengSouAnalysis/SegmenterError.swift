/// Failures setting up ICU objects. Segmenting itself never fails: bad input is repaired, not rejected.
public enum SegmenterError: Error, CustomStringConvertible {
  /// An ICU call failed; the payload names the call and ICU's error code.
  case icu(String)

  public var description: String {
    switch self {
    case .icu(let message): return "ICU error: \(message)"
    }
  }
}
