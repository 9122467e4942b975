// The exact optimum of a per-neuron rounding QUBO by sphere decoding
// (Fincke–Pohst enumeration with Schnorr–Euchner ordering; see Agrell,
// Eriksson, Vardy and Zeger, "Closest point search in lattices", IEEE
// Trans. Inf. Theory 48, 2002), the exact counterpart of GPTQ's Babai
// nearest-plane rounding (arXiv 2507.18553).
//
// The QUBO energy is E(x) = xᵀMx + gᵀx + E₀ over x ∈ {0,1}^f, with
// M = s² H_FF (the scaled Gram matrix of the free weights, positive
// semidefinite) and g_a = linear_a − M_aa (x_a² = x_a moves the diagonal
// into the linear term). Adding εI to M and subtracting ε from g changes no
// binary energy and makes M' positive definite. With M' = RᵀR (R upper
// triangular, the transposed Cholesky factor) and the centre
// c = −½ M'⁻¹ g', E(x) = E₀ − cᵀM'c + ‖R(x − c)‖², and row i of R(x − c)
// involves only x_i … x_{f−1}. Fixing variables from the last to the first,
// the squared rows already fixed are a lower bound on the energy of every
// completion; a branch is cut when that bound exceeds the best energy found.
// At each level the value that makes the new row smaller is tried first.
//
// Implementation goals, in order: exact (ties kept, a relative slack of
// 10⁻⁹ on the cut, against cancellation between the constant and the rows); an explicit node budget, reported when exhausted; O(f)
// work per node.

/// The exact minimum of a rounding QUBO by sphere decoding.
public struct RoundingSphereDecoder: Sendable {
  /// The largest number of search nodes before giving up.
  public var nodeLimit = 200_000_000

  /// A decoder with the default node budget.
  public init() {}

  /// The result: the minimising assignment, its QUBO energy, the nodes
  /// visited, and whether the search finished (the optimum is proven).
  public struct Solution: Sendable {
    /// The assignment, 0/1 per variable of the QUBO.
    public var assignment: [Int8]
    /// Its energy (`RoundingQUBO.energy`).
    public var energy: Double
    /// Search nodes visited.
    public var nodes: Int
    /// True when the search finished within the node budget.
    public var proven: Bool
  }

  /// The minimum of `q`, built from the Gram matrix `h` (`d × d` over the
  /// row's inputs), starting from the best of `starts` as the incumbent.
  public func solve(_ q: RoundingQUBO, gram h: [Double], starts: [[Int8]] = []) throws -> Solution {
    let f = q.count
    guard f > 0 else { return Solution(assignment: [], energy: q.offset, nodes: 0, proven: true) }
    let d = Int(Double(h.count).squareRoot().rounded())
    guard d * d == h.count else { throw ShapeError("Gram matrix shape") }
    let s2 = q.scale * q.scale * Double(q.step * q.step)
    var m = [Double](repeating: 0, count: f * f)
    var meanDiag = 0.0
    for a in 0..<f {
      for b in 0..<f { m[a * f + b] = s2 * h[q.free[a] * d + q.free[b]] }
      meanDiag += m[a * f + a] / Double(f)
    }
    let eps = max(1e-9 * meanDiag, 1e-300)
    var g = (0..<f).map { q.linear[$0] - m[$0 * f + $0] - eps }
    for a in 0..<f { m[a * f + a] += eps }
    guard let r = Self.upperCholesky(m, f) else {
      return fallback(q, starts)
    }
    // c = −½ M'⁻¹ g' through Rᵀ(R c) = −½ g'.
    for a in 0..<f { g[a] *= -0.5 }
    let c = Self.backSolve(r, Self.forwardSolveTransposed(r, g, f), f)
    var quadC = 0.0
    for a in 0..<f {
      var row = 0.0
      for b in a..<f { row += r[a * f + b] * c[b] }
      quadC += row * row
    }
    let base = q.offset - quadC

    var best = [Int8](repeating: 0, count: f)
    var bestEnergy = q.energy(best)
    for x in starts where x.count == f {
      let e = q.energy(x)
      if e < bestEnergy { (best, bestEnergy) = (x, e) }
    }
    var bound = bestEnergy - base
    var x = [Int8](repeating: 0, count: f)
    var partial = [Double](repeating: 0, count: f + 1)
    var nodes = 0
    var exhausted = false

    // Depth-first over levels f−1 … 0 with an explicit stack of the second
    // choice still to try at each level.
    var level = f - 1
    var secondPending = [Bool](repeating: false, count: f)
    var firstChoice = [Int8](repeating: 0, count: f)
    var descending = true
    while true {
      if descending {
        nodes += 1
        if nodes > nodeLimit {
          exhausted = true
          break
        }
        var acc = 0.0
        for b in (level + 1)..<f { acc += r[level * f + b] * (Double(x[b]) - c[b]) }
        let target = c[level] - acc / r[level * f + level]
        firstChoice[level] = target >= 0.5 ? 1 : 0
        secondPending[level] = true
        x[level] = firstChoice[level]
      }
      let row = Self.rowValue(r, c, x, level, f)
      let total = partial[level + 1] + row * row
      let slack = 1e-9 * max(1, abs(bound), abs(base))
      if total <= bound + slack {
        if level == 0 {
          let e = q.energy(x)
          if e < bestEnergy {
            (best, bestEnergy) = (x, e)
            bound = min(bound, total)
          }
        } else {
          partial[level] = total
          level -= 1
          descending = true
          continue
        }
      }
      // Backtrack: take the pending second choice at this level or above.
      var resumed = false
      while level < f {
        if secondPending[level] {
          secondPending[level] = false
          x[level] = 1 - firstChoice[level]
          nodes += 1
          resumed = true
          break
        }
        level += 1
      }
      if !resumed { break }
      descending = false
    }
    return Solution(assignment: best, energy: bestEnergy, nodes: nodes, proven: !exhausted)
  }

  /// The best of `starts` (or all zeros) when M cannot be factored.
  func fallback(_ q: RoundingQUBO, _ starts: [[Int8]]) -> Solution {
    var best = [Int8](repeating: 0, count: q.count)
    for x in starts where x.count == q.count && q.energy(x) < q.energy(best) { best = x }
    return Solution(assignment: best, energy: q.energy(best), nodes: 0, proven: false)
  }

  /// Row `i` of `R(x − c)`.
  static func rowValue(_ r: [Double], _ c: [Double], _ x: [Int8], _ i: Int, _ f: Int) -> Double {
    var v = 0.0
    for b in i..<f { v += r[i * f + b] * (Double(x[b]) - c[b]) }
    return v
  }

  /// R with RᵀR = m (R upper triangular, row-major), or nil when m is not
  /// positive definite.
  static func upperCholesky(_ m: [Double], _ f: Int) -> [Double]? {
    var r = [Double](repeating: 0, count: f * f)
    for i in 0..<f {
      var diag = m[i * f + i]
      for k in 0..<i { diag -= r[k * f + i] * r[k * f + i] }
      guard diag > 0 else { return nil }
      let rii = diag.squareRoot()
      r[i * f + i] = rii
      for j in (i + 1)..<f {
        var v = m[i * f + j]
        for k in 0..<i { v -= r[k * f + i] * r[k * f + j] }
        r[i * f + j] = v / rii
      }
    }
    return r
  }

  /// z with Rᵀ z = b.
  static func forwardSolveTransposed(_ r: [Double], _ b: [Double], _ f: Int) -> [Double] {
    var z = [Double](repeating: 0, count: f)
    for i in 0..<f {
      var v = b[i]
      for k in 0..<i { v -= r[k * f + i] * z[k] }
      z[i] = v / r[i * f + i]
    }
    return z
  }

  /// x with R x = z.
  static func backSolve(_ r: [Double], _ z: [Double], _ f: Int) -> [Double] {
    var x = [Double](repeating: 0, count: f)
    for i in stride(from: f - 1, through: 0, by: -1) {
      var v = z[i]
      for k in (i + 1)..<f { v -= r[i * f + k] * x[k] }
      x[i] = v / r[i * f + i]
    }
    return x
  }
}
