// An indexed binary max-heap of flip gains, for steepest descent.
//
// Key of spin i: its gain g_i = −ΔE_i = 2 s_i f_i. Ties go to the lower index,
// so runs are deterministic. `update(i)` restores the heap after g_i alone
// changed, in O(log n) (with several stale keys a sift can move a clean
// element under a stale one, so callers update after each change). A flip
// changes the gains of the spin and its neighbours, so a descent step costs
// O(degree · log n) instead of an O(n) scan.
// (Williams 1964; the position array makes it "indexed", Sedgewick, Algorithms 4e, §2.4.)

/// An indexed max-heap over `0..<n` keyed by a caller-owned gain array.
struct GainHeap {
  let n: Int
  /// `heap[k]`: the spin at heap slot k.
  let heap: UnsafeMutablePointer<Int32>
  /// `position[i]`: the slot of spin i.
  let position: UnsafeMutablePointer<Int32>
  /// `gain[i]`, owned by the caller and read here.
  let gain: UnsafeMutablePointer<Double>

  init(n: Int, gain: UnsafeMutablePointer<Double>) {
    self.n = n
    self.gain = gain
    heap = .allocate(capacity: max(1, n))
    position = .allocate(capacity: max(1, n))
    rebuild()
  }

  func deallocate() {
    heap.deallocate()
    position.deallocate()
  }

  /// Re-heapifies from the current gains in O(n).
  func rebuild() {
    for i in 0..<n {
      heap[i] = Int32(i)
      position[i] = Int32(i)
    }
    var k = n / 2
    while k > 0 {
      k -= 1
      down(k)
    }
  }

  /// The spin of largest gain (lowest index among equals).
  var top: Int { Int(heap[0]) }

  @inline(__always)
  func above(_ a: Int32, _ b: Int32) -> Bool {
    let ga = gain[Int(a)]
    let gb = gain[Int(b)]
    return ga > gb || (ga == gb && a < b)
  }

  /// Restores the heap after `gain[i]` changed.
  func update(_ i: Int) {
    let k = Int(position[i])
    if k > 0 && above(heap[k], heap[(k - 1) / 2]) { up(k) } else { down(k) }
  }

  private func swapSlots(_ a: Int, _ b: Int) {
    let x = heap[a]
    let y = heap[b]
    heap[a] = y
    heap[b] = x
    position[Int(y)] = Int32(a)
    position[Int(x)] = Int32(b)
  }

  private func up(_ k0: Int) {
    var k = k0
    while k > 0 {
      let p = (k - 1) / 2
      guard above(heap[k], heap[p]) else { return }
      swapSlots(k, p)
      k = p
    }
  }

  private func down(_ k0: Int) {
    var k = k0
    while true {
      let l = 2 * k + 1
      guard l < n else { return }
      var c = l
      if l + 1 < n && above(heap[l + 1], heap[l]) { c = l + 1 }
      guard above(heap[c], heap[k]) else { return }
      swapSlots(k, c)
      k = c
    }
  }
}
