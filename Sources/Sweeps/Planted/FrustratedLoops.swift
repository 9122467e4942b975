// Planted-solution instances by frustrated loops (Hen, Job, Albash,
// Rønnow, Troyer & Lidar, Phys. Rev. A 92, 042325 (2015)).
//
// Build M = round(α·N) loops on a graph. Each loop is a simple cycle cut from
// a random walk that never steps straight back: walk until a vertex repeats,
// keep the cycle from its first visit. On the cycle every coupling is −1
// (ferromagnetic) except one, chosen at random, which is +1. A loop's energy
// Σ J_e s_i s_j is then at least 2 − L (the product of −J_e round the cycle is
// −1, so at least one edge is unsatisfied), and the all-up state reaches it.
// H = Σ_loops H_loop is therefore minimised by all-up, with ground energy
// E₀ = Σ_loops (2 − L_loop). A loop that would push some |J_ij| above the
// bound R is discarded (R tunes hardness). Finally a random gauge s* hides the
// planted state: J_ij → J_ij s*_i s*_j, whose ground state is s*.

import Annealing
import QUBOModel

/// A planted instance: an Ising model with known ground energy.
public struct PlantedInstance: Sendable {
  /// The spin model (no fields, couplings on the graph's edges).
  public var model: BinaryQuadraticModel
  /// The ground energy, exactly.
  public var groundEnergy: Double
  /// A ground state (±1 per variable, in variable order).
  public var plantedState: [Int8]
  /// How many loops were planted.
  public var loops: Int
}

/// The frustrated-loop generator's parameters.
public struct FrustratedLoops: Sendable {
  /// Loops per spin, α.
  public var density: Double = 0.5
  /// The largest |J_ij| allowed, R.
  public var maxCoupling: Double = 3
  /// The shortest loop kept.
  public var minLength: Int = 4

  /// The documented defaults (α = 0.5, R = 3, loops of length ≥ 4).
  public init() {}

  /// Plants `round(α·N)` loops on `graph`.
  ///
  /// Walks that keep failing (too short, or over R) are abandoned after
  /// 1000·M tries; `loops` then says how many were planted.
  public func generate<G: RandomNumberGenerator>(
    on graph: PlantingGraph, using rng: inout G
  ) -> PlantedInstance {
    let n = graph.count
    let target = Int((density * Double(n)).rounded())
    var couplings: [QuadraticKey: Double] = [:]
    var ground = 0.0
    var planted = 0
    var tries = 0
    while planted < target && tries < 1000 * max(target, 1) {
      tries += 1
      guard let cycle = randomCycle(graph, using: &rng), cycle.count >= minLength else {
        continue
      }
      let frustrated = Int.random(in: 0..<cycle.count, using: &rng)
      var update: [(QuadraticKey, Double)] = []
      var ok = true
      for k in cycle.indices {
        let key = QuadraticKey(cycle[k], cycle[(k + 1) % cycle.count])
        let value = (couplings[key] ?? 0) + (k == frustrated ? 1 : -1)
        if abs(value) > maxCoupling {
          ok = false
          break
        }
        update.append((key, value))
      }
      guard ok else { continue }
      for (key, value) in update { couplings[key] = value }
      ground += Double(2 - cycle.count)
      planted += 1
    }
    let gauge = (0..<n).map { _ in Bool.random(using: &rng) ? Int8(1) : -1 }
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    for key in couplings.keys.sorted() {
      guard let j = couplings[key], j != 0 else { continue }
      model.addQuadratic(index: key.i, key.j, j * Double(gauge[key.i]) * Double(gauge[key.j]))
    }
    return PlantedInstance(model: model, groundEnergy: ground, plantedState: gauge, loops: planted)
  }

  /// A simple cycle from a non-backtracking random walk, or nil when the
  /// walk hits a dead end.
  func randomCycle<G: RandomNumberGenerator>(
    _ graph: PlantingGraph, using rng: inout G
  ) -> [Int]? {
    var position = [Int: Int]()
    var path = [Int.random(in: 0..<graph.count, using: &rng)]
    position[path[0]] = 0
    var previous = -1
    while true {
      let here = path[path.count - 1]
      let options = graph.neighbours[here].filter { $0 != previous }
      guard let next = options.randomElement(using: &rng) else { return nil }
      if let first = position[next] { return Array(path[first...]) }
      position[next] = path.count
      path.append(next)
      previous = here
    }
  }
}
