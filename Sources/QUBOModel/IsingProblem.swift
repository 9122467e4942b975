/// The frozen spin form of a model that every kernel reads.
///
///     E(s) = offset + Σ_i h_i s_i + Σ_{i<j} J_ij s_i s_j,   s_i ∈ {−1, +1}
///
/// Variables are the dense indices `0..<numSpins`. The couplings are stored
/// in compressed sparse rows: spin `i`'s neighbours are
/// `neighbor[rowStart[i] ..< rowStart[i+1]]`, sorted, with the matching
/// `coupling` values; every interaction appears in both rows. `h` is kept
/// apart (no auxiliary spin).
public struct IsingProblem: Sendable {
  /// The number of spins.
  public let numSpins: Int
  /// The field on each spin.
  public let h: [Double]
  /// Row starts into `neighbor`/`coupling`, `numSpins + 1` entries.
  public let rowStart: [Int32]
  /// Neighbour indices, each row sorted ascending.
  public let neighbor: [Int32]
  /// `J_ij` for each entry of `neighbor`.
  public let coupling: [Double]
  /// The constant term.
  public let offset: Double

  /// The number of distinct interactions (each stored twice).
  @inlinable public var numInteractions: Int { neighbor.count / 2 }

  /// Freezes `model` in spin form.
  ///
  /// Interactions whose bias is zero are dropped.
  ///
  /// - Complexity: O(n + m).
  public init(_ model: BinaryQuadraticModel) {
    let spin = model.changingVartype(to: .spin)
    let n = spin.numVariables
    let terms = spin.interactionsInOrder(skippingZero: true)
    var degree = [Int32](repeating: 0, count: n + 1)
    for (i, j, _) in terms {
      degree[i] += 1
      degree[j] += 1
    }
    var start = [Int32](repeating: 0, count: n + 1)
    for i in 0..<n { start[i + 1] = start[i] + degree[i] }
    var fill = Array(start.prefix(n))
    var nb = [Int32](repeating: 0, count: terms.count * 2)
    var cp = [Double](repeating: 0, count: terms.count * 2)
    // Sorted (i, j) pairs with i < j fill row i in ascending j; row j receives
    // i in ascending order too, because all pairs with smaller i come first.
    for (i, j, b) in terms {
      let a = Int(fill[i])
      nb[a] = Int32(j)
      cp[a] = b
      fill[i] += 1
      let c = Int(fill[j])
      nb[c] = Int32(i)
      cp[c] = b
      fill[j] += 1
    }
    self.init(
      numSpins: n, h: spin.linear, rowStart: start, neighbor: nb, coupling: cp,
      offset: spin.offset)
  }

  /// A problem from its parts; the CSR arrays must be consistent.
  public init(
    numSpins: Int, h: [Double], rowStart: [Int32], neighbor: [Int32],
    coupling: [Double], offset: Double
  ) {
    precondition(h.count == numSpins && rowStart.count == numSpins + 1)
    precondition(neighbor.count == coupling.count)
    self.numSpins = numSpins
    self.h = h
    self.rowStart = rowStart
    self.neighbor = neighbor
    self.coupling = coupling
    self.offset = offset
  }

  /// The energy of a spin state (values ±1, one per spin).
  ///
  /// - Complexity: O(n + m).
  public func energy<C: RandomAccessCollection>(_ spins: C) -> Double
  where C.Element == Int8, C.Index == Int {
    precondition(spins.count == numSpins)
    let base = spins.startIndex
    var e = offset
    var pair = 0.0
    for i in 0..<numSpins {
      let si = Double(spins[base + i])
      e += h[i] * si
      var f = 0.0
      for k in Int(rowStart[i])..<Int(rowStart[i + 1]) {
        f += coupling[k] * Double(spins[base + Int(neighbor[k])])
      }
      pair += si * f
    }
    return e + pair / 2
  }

  /// The local field `h_i + Σ_j J_ij s_j` acting on spin `i`.
  public func localField<C: RandomAccessCollection>(_ i: Int, in spins: C) -> Double
  where C.Element == Int8, C.Index == Int {
    let base = spins.startIndex
    var f = h[i]
    for k in Int(rowStart[i])..<Int(rowStart[i + 1]) {
      f += coupling[k] * Double(spins[base + Int(neighbor[k])])
    }
    return f
  }

  /// The largest bound on a local field, `max_i (|h_i| + Σ_j |J_ij|)` summed
  /// in row order; zero for an empty model.
  public var maxAbsField: Double {
    var bound = 0.0
    for i in 0..<numSpins {
      var row = abs(h[i])
      for k in Int(rowStart[i])..<Int(rowStart[i + 1]) { row += abs(coupling[k]) }
      bound = max(bound, row)
    }
    return bound
  }

  /// The largest `|h_i|` or `|J_ij|`, zero for an empty model.
  public var maxAbsBias: Double {
    max(h.lazy.map(abs).max() ?? 0, coupling.lazy.map(abs).max() ?? 0)
  }
}
