/// Keeps the best `k` hits seen so far in a bounded binary heap whose root is the worst kept hit.
///
/// O(log k) per accepted hit and O(1) to reject one (`threshold` is what a new hit must beat,
/// which block-max pruning can use later). Ties on score are broken by document ordinal.
public struct TopKCollector {
  public let k: Int
  private var heap: [SearchHit] = []

  public init(k: Int) {
    self.k = max(0, k)
    heap.reserveCapacity(self.k)
  }

  /// The hit that a new one must rank before to get in (nil while fewer than k are kept).
  public var worstKept: SearchHit? { heap.count == k ? heap.first : nil }

  @inline(__always)
  public mutating func offer(_ hit: SearchHit) {
    guard k > 0 else { return }
    if heap.count < k {
      heap.append(hit)
      siftUp(heap.count - 1)
    } else if hit.ranksBefore(heap[0]) {
      heap[0] = hit
      siftDown(0)
    }
  }

  /// Worst-first heap order: parent ranks after (is worse than) its children.
  private mutating func siftUp(_ i: Int) {
    var c = i
    while c > 0 {
      let p = (c - 1) / 2
      guard heap[p].ranksBefore(heap[c]) else { break }
      heap.swapAt(p, c)
      c = p
    }
  }

  /// Through the heap's buffer: one uniqueness check per call instead of one per swap, and no
  /// bounds checks (the indices are checked against `count` here). A pruned search offers a hit
  /// every time one beats the k-th, and this was 3% of its instructions.
  private mutating func siftDown(_ i: Int) {
    heap.withUnsafeMutableBufferPointer { heap in
      let count = heap.count
      var p = i
      let hit = heap[p]
      while true {
        let l = 2 * p + 1, r = l + 1
        var worst = p
        var worstHit = hit
        if l < count && worstHit.ranksBefore(heap[l]) {
          worst = l
          worstHit = heap[l]
        }
        if r < count && worstHit.ranksBefore(heap[r]) {
          worst = r
          worstHit = heap[r]
        }
        if worst == p { break }
        heap[p] = worstHit  // the worse child moves up into the hole; `hit` lands once, below
        p = worst
      }
      heap[p] = hit
    }
  }

  /// The kept hits, best first.
  public func results() -> [SearchHit] { heap.sorted { $0.ranksBefore($1) } }
}
