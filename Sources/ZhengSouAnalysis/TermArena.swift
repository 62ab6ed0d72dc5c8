/// The bytes behind a `TokenBuffer`'s terms: a raw growable buffer that one buffer owns, copied
/// when a copy of the buffer is about to be written (`TokenBuffer.makeArenaUnique`).
///
/// Raw rather than a `[UInt8]`: appending a term to an array checked its uniqueness and capacity
/// and called `memmove` for a few bytes, about 3% of a news build's CPU (`perf`: the array append
/// 1.7%, its `memmove` 0.9%). The segmenter encodes each term straight into `bytes + count`.
final class TermArena: @unchecked Sendable {
  /// Properties read and written for every term, so without dynamic exclusivity checks: the arena
  /// is only ever mutated through its one `TokenBuffer`'s `mutating` methods.
  @exclusivity(unchecked) private(set) var bytes: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) var count = 0
  @exclusivity(unchecked) private(set) var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    bytes = .allocate(capacity: self.capacity)
  }

  deinit { bytes.deallocate() }

  /// A new arena with the same bytes (and room for as many).
  func copy() -> TermArena {
    let other = TermArena(capacity: capacity)
    other.bytes.update(from: bytes, count: count)
    other.count = count
    return other
  }

  /// Makes room for `extra` more bytes, at least doubling when it grows.
  @inline(__always)
  func reserve(_ extra: Int) {
    if count + extra > capacity { grow(to: max(count + extra, capacity * 2)) }
  }

  private func grow(to newCapacity: Int) {
    let new = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    new.update(from: bytes, count: count)
    bytes.deallocate()
    bytes = new
    capacity = newCapacity
  }

  var view: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: bytes, count: count) }
}
