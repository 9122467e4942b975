import QUBOModel

// Renumbering spins for memory locality (issue 22, item 5).
//
// A sweep visits spins in index order and, for each, reads (and on an
// accepted flip, writes) the state of its neighbours. When n is large the
// spin and field arrays no longer fit in the L2 cache, and on a graph whose
// numbering is random every neighbour access misses. Reverse Cuthill–McKee
// (Cuthill & McKee, 1969; George, 1971) numbers the spins in breadth-first
// order from a low-degree start, neighbours by increasing degree, then
// reverses the order: neighbours get nearby indices, so the accesses of
// consecutive spins fall in the same cache lines. On graphs with geometry
// (lattices, planar, meshes) this bounds the bandwidth; on random expanders
// it only groups each spin with its breadth-first children.
//
// Samples are unaffected in law: a renumbered model is the same model, and
// the sampler maps every row back to the caller's numbering.

/// A renumbering of a problem's spins, and the problem in the new numbering.
public struct LocalityOrder: Sendable {
  /// `old[a]`: the caller's index of new spin `a`.
  public let old: [Int32]
  /// `new[i]`: the new index of the caller's spin `i`.
  public let new: [Int32]

  /// The reverse Cuthill–McKee order of `problem`'s coupling graph (every
  /// connected component from its lowest-degree spin; isolated spins last).
  ///
  /// - Complexity: O(n + m log d), d the largest degree.
  public init(reverseCuthillMcKee problem: IsingProblem) {
    let n = problem.numSpins
    let start = problem.rowStart
    let nb = problem.neighbor
    let degree = (0..<n).map { Int(start[$0 + 1] - start[$0]) }
    var order: [Int32] = []
    order.reserveCapacity(n)
    var seen = [Bool](repeating: false, count: n)
    // Components start from spins in increasing degree.
    let starts = (0..<n).sorted { (degree[$0], $0) < (degree[$1], $1) }
    var children: [Int32] = []
    for s in starts where !seen[s] {
      seen[s] = true
      var head = order.count
      order.append(Int32(s))
      while head < order.count {
        let i = Int(order[head])
        head += 1
        children.removeAll(keepingCapacity: true)
        for k in Int(start[i])..<Int(start[i + 1]) where !seen[Int(nb[k])] {
          seen[Int(nb[k])] = true
          children.append(nb[k])
        }
        children.sort { (degree[Int($0)], $0) < (degree[Int($1)], $1) }
        order.append(contentsOf: children)
      }
    }
    order.reverse()
    self.init(old: order)
  }

  /// The order that puts the caller's spin `old[a]` at index `a`.
  public init(old: [Int32]) {
    self.old = old
    var new = [Int32](repeating: 0, count: old.count)
    for (a, i) in old.enumerated() { new[Int(i)] = Int32(a) }
    self.new = new
  }

  /// `problem` in the new numbering (rows sorted, as `IsingProblem` keeps
  /// them); its energy of a state equals `problem`'s of the state mapped
  /// back.
  public func apply(to problem: IsingProblem) -> IsingProblem {
    let n = problem.numSpins
    var h = [Double](repeating: 0, count: n)
    var rowStart = [Int32](repeating: 0, count: n + 1)
    for a in 0..<n {
      let i = Int(old[a])
      h[a] = problem.h[i]
      rowStart[a + 1] = rowStart[a] + (problem.rowStart[i + 1] - problem.rowStart[i])
    }
    var neighbor = [Int32](repeating: 0, count: problem.neighbor.count)
    var coupling = [Double](repeating: 0, count: problem.coupling.count)
    var row: [(Int32, Double)] = []
    for a in 0..<n {
      let i = Int(old[a])
      row.removeAll(keepingCapacity: true)
      for k in Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1]) {
        row.append((new[Int(problem.neighbor[k])], problem.coupling[k]))
      }
      row.sort { $0.0 < $1.0 }
      var k = Int(rowStart[a])
      for (b, c) in row {
        neighbor[k] = b
        coupling[k] = c
        k += 1
      }
    }
    return IsingProblem(
      numSpins: n, h: h, rowStart: rowStart, neighbor: neighbor, coupling: coupling,
      offset: problem.offset)
  }

  /// Rows of spins in the caller's numbering mapped to the new one
  /// (`rows` holds whole rows of `old.count` spins).
  public func toNew(_ rows: [Int8]) -> [Int8] { remap(rows, by: old) }

  /// Rows of spins in the new numbering mapped back to the caller's.
  public func toOld(_ rows: [Int8]) -> [Int8] { remap(rows, by: new) }

  /// `out[r·n + a] = rows[r·n + index[a]]`.
  private func remap(_ rows: [Int8], by index: [Int32]) -> [Int8] {
    let n = index.count
    guard n > 0 else { return rows }
    var out = [Int8](repeating: 0, count: rows.count)
    for base in stride(from: 0, to: rows.count, by: n) {
      for a in 0..<n { out[base + a] = rows[base + Int(index[a])] }
    }
    return out
  }
}
