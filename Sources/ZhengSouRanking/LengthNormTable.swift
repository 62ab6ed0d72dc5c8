/// BM25's length part `k1·(1 − b + b·len/avgLen)` for each of the 256 field-norm codes of one field.
///
/// Built once per field per query (256 multiplications), it turns the inner loop's length handling
/// into one table load per posting.
public struct LengthNormTable: Sendable {
  public let values: [Double]
  /// `lowerBounds[c]` is the smallest value for any code ≥ c. Block-max pruning knows only the
  /// smallest norm code in a block, so this is the length part its score bound must use. For
  /// b ≥ 0 the table grows with the code (decoded lengths grow) and this equals `values`; the
  /// suffix minimum keeps the bound sound for any parameters.
  public let lowerBounds: [Double]

  public init(parameters p: BM25Parameters, averageFieldLength avg: Double) {
    let a = max(avg, 1e-9)
    values = FieldNorm.decodedLengths.map { p.k1 * (1 - p.b + p.b * Double($0) / a) }
    var bounds = values
    for c in stride(from: bounds.count - 2, through: 0, by: -1) { bounds[c] = min(bounds[c], bounds[c + 1]) }
    lowerBounds = bounds
  }

  @inlinable public subscript(code: UInt8) -> Double { values[Int(code)] }
}
