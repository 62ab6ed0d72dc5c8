/// Normalized UTF-16 text plus, per UTF-16 unit, the original UTF-8 byte range of the code point it
/// came from. Owned by a `Segmenter` and reused across calls, so steady-state segmenting allocates
/// nothing here.
///
/// Raw pointers rather than arrays: the hot loop appends one unit per code point and hands the
/// buffer to ICU; this keeps that to a bounds check and three stores.
final class NormalizedText {
  private(set) var units: UnsafeMutablePointer<UInt16>
  /// Original byte offset where the code point that produced unit `i` starts.
  private(set) var starts: UnsafeMutablePointer<Int32>
  /// Original byte offset where that code point ends.
  private(set) var ends: UnsafeMutablePointer<Int32>
  private(set) var capacity: Int
  var count = 0

  init(capacity: Int = 1024) {
    self.capacity = max(capacity, 16)
    units = .allocate(capacity: self.capacity)
    starts = .allocate(capacity: self.capacity)
    ends = .allocate(capacity: self.capacity)
  }

  deinit {
    units.deallocate()
    starts.deallocate()
    ends.deallocate()
  }

  /// Ensures room for `total` units without losing the current contents.
  func reserve(_ total: Int) {
    guard total > capacity else { return }
    let newCapacity = max(total, capacity * 2)
    let newUnits = UnsafeMutablePointer<UInt16>.allocate(capacity: newCapacity)
    let newStarts = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
    let newEnds = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
    newUnits.update(from: units, count: count)
    newStarts.update(from: starts, count: count)
    newEnds.update(from: ends, count: count)
    units.deallocate()
    starts.deallocate()
    ends.deallocate()
    units = newUnits
    starts = newStarts
    ends = newEnds
    capacity = newCapacity
  }

  @inline(__always)
  func append(_ unit: UInt16, start: Int32, end: Int32) {
    if count == capacity { reserve(count + 1) }
    units[count] = unit
    starts[count] = start
    ends[count] = end
    count += 1
  }

  /// The normalized text as a `String` (not hot).
  var string: String {
    String(decoding: UnsafeBufferPointer(start: units, count: count), as: UTF16.self)
  }
}
