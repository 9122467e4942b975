// Weak-strong cluster networks (Denchev, Boixo, Isakov, Ding, Babbush,
// Smelyanskiy, Martinis & Neven, Phys. Rev. X 6, 031015 (2016)), with the
// ground state known by construction.
//
// A cluster is a complete bipartite graph K_{k,k} (k = 4: a Chimera unit
// cell of 8 spins) with ferromagnetic couplings J = −1. A pair joins a
// strong and a weak cluster by k ferromagnetic couplers, spin a_i of one to
// spin a_i of the other (the sides a_1…a_k face each other, as between
// neighbouring Chimera cells). The strong cluster's spins feel h = −1, the
// weak cluster's h = +h_w with 0 < h_w < ½ (0.44 in the paper): its field
// pulls it against the strong cluster. The strong clusters of the M pairs
// are joined into a network (a ring for M ≤ 3, a random 3-regular graph of
// clusters otherwise) by k ferromagnetic couplers b_i–b_i per network edge.
// With E(s) = Σ h_i s_i + Σ J_ij s_i s_j, every coupling and every strong
// field is satisfied by all-up; only the weak fields prefer down.
//
// Why all-up is the unique ground state: let D be the set of down spins of
// some state. Then (E(s) − E(↑))/2 = cut(D) + |D ∩ strong| − h_w |D ∩ weak|,
// with cut(D) the number of couplings between D and the rest. Charge each
// weak spin a_i in D that faces the strong spin a'_i to that coupling if a'_i
// is up (it is cut) or to a'_i's field if a'_i is down (each strong a'_i
// faces one weak spin, so nothing is charged twice). With a of the weak
// cluster's a-side and b of its b-side in D, the cluster contributes at
// least a(k − b) + b(k − a) + a − h_w (a + b) ≥ 0, which is 0 only for
// a = b = 0; at a = b = k it is k(1 − 2h_w) > 0 for h_w < ½. The strong
// spins in D add their fields and the remaining couplings only add cuts.
// So E(s) > E(↑) for every D ≠ ∅, and
//   E₀ = −M(2k² + k) − (network edges)·k − 2kM + 2kM·h_w.
// The lowest excited states flip one weak cluster whole (the false minimum
// that SA must leave over a barrier of order k² while path-integral Monte
// Carlo can tunnel): ΔE = 2k(1 − 2h_w) = 0.96 for k = 4, h_w = 0.44.
// A random gauge s* hides the state: h_i → h_i s*_i, J_ij → J_ij s*_i s*_j.

import Annealing
import QUBOModel

/// The weak-strong cluster network generator's parameters.
public struct WeakStrongClusters: Sendable, Equatable {
  /// Spins per side of a cluster, k (a cluster has 2k spins).
  public var side: Int = 4
  /// The weak clusters' field h_w, in (0, ½).
  public var weakField: Double = 0.44

  /// The paper's clusters: k = 4, h_w = 0.44.
  public init() {}

  /// A network of `pairs` weak-strong pairs (4k·pairs spins).
  ///
  /// - Throws: `PlantingError` when `pairs < 2`, `side < 1` or `weakField`
  ///   is outside (0, ½).
  public func generate<G: RandomNumberGenerator>(pairs m: Int, using rng: inout G) throws
    -> PlantedInstance
  {
    guard m >= 2 else { throw PlantingError("a network needs at least 2 pairs, got \(m)") }
    guard side >= 1 else { throw PlantingError("a cluster side needs k ≥ 1, got \(side)") }
    guard weakField > 0 && weakField < 0.5 else {
      throw PlantingError(
        "the weak field must lie in (0, 0.5) for the planted state to be the ground state, got"
          + " \(weakField)")
    }
    let k = side
    let n = 4 * k * m
    // Spin of pair p, cluster c (0 strong, 1 weak), side s (0: a, 1: b), index i.
    func spin(_ p: Int, _ c: Int, _ s: Int, _ i: Int) -> Int { ((p * 2 + c) * 2 + s) * k + i }
    var fields = [Double](repeating: 0, count: n)
    var couplings: [(Int, Int)] = []
    for p in 0..<m {
      for c in 0..<2 {
        for i in 0..<k {
          for j in 0..<k { couplings.append((spin(p, c, 0, i), spin(p, c, 1, j))) }
        }
        for s in 0..<2 {
          for i in 0..<k { fields[spin(p, c, s, i)] = c == 0 ? -1 : weakField }
        }
      }
      for i in 0..<k { couplings.append((spin(p, 0, 0, i), spin(p, 1, 0, i))) }
    }
    let network: [(Int, Int)]
    if m <= 3 {
      network = m == 2 ? [(0, 1)] : [(0, 1), (1, 2), (2, 0)]
    } else {
      let graph = try PlantingGraph.randomRegular3(vertices: m % 2 == 0 ? m : m + 1, using: &rng)
      // An odd M: the graph on M + 1 clusters with the last one taken out.
      network = graph.neighbours.enumerated().flatMap { u, list in
        list.filter { $0 > u && $0 < m && u < m }.map { (u, $0) }
      }
    }
    for (u, v) in network {
      for i in 0..<k { couplings.append((spin(u, 0, 1, i), spin(v, 0, 1, i))) }
    }
    let ground =
      -Double(couplings.count) - Double(2 * k * m) + Double(2 * k * m) * weakField
    let gauge = (0..<n).map { _ in Bool.random(using: &rng) ? Int8(1) : -1 }
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    for i in 0..<n { model.addLinear(index: i, fields[i] * Double(gauge[i])) }
    for (i, j) in couplings { model.addQuadratic(index: i, j, -Double(gauge[i] * gauge[j])) }
    return PlantedInstance(
      model: model, groundEnergy: ground, plantedState: gauge, loops: 0, search: nil)
  }
}
