/// BM25's length part `k1·(1 − b + b·len/avgLen)` for each of the 256 field-norm codes of one field.
///
/// Built once per field per query (256 multiplications), it turns the inner loop's length handling
/// into one table load per posting.
public struct LengthNormTable: Sendable {
  public let values: [Double]

  public init(parameters p: BM25Parameters, averageFieldLength avg: Double) {
    let a = max(avg, 1e-9)
    values = FieldNorm.decodedLengths.map { p.k1 * (1 - p.b + p.b * Double($0) / a) }
  }

  @inlinable public subscript(code: UInt8) -> Double { values[Int(code)] }
}
