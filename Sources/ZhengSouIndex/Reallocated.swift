/// A buffer of `capacity` elements holding the first `count` elements moved from `old`, which is
/// freed. The build's raw buffers (`TermInterner`, `TermBatch`, `PostingsScratch`) grow with it:
/// they are raw so that appending a token or a posting pays no array uniqueness or bounds checks.
@inline(__always)
func reallocated<T>(_ old: UnsafeMutablePointer<T>, count: Int, capacity: Int) -> UnsafeMutablePointer<T> {
  let new = UnsafeMutablePointer<T>.allocate(capacity: capacity)
  new.moveInitialize(from: old, count: count)
  old.deallocate()
  return new
}
