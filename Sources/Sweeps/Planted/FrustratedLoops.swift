// Planted-solution instances by frustrated loops (Hen, Job, Albash,
// Rønnow, Troyer & Lidar, Phys. Rev. A 92, 042325 (2015)).
//
// Build M = round(α·N) loops on a graph. On a loop every coupling is −1
// (ferromagnetic) except one, which is +1. A loop's energy Σ J_e s_i s_j is
// then at least 2 − L (the product of −J_e round the cycle is −1, so at least
// one edge is unsatisfied), and the all-up state reaches it. H = Σ_loops
// H_loop is therefore minimised by all-up, with ground energy
// E₀ = Σ_loops (2 − L_loop). No |J_ij| may exceed the bound R (R tunes
// hardness). Finally a random gauge s* hides the planted state:
// J_ij → J_ij s*_i s*_j, whose ground state is s*.
//
// Finding the loops, in order of priority: plant exactly M loops or say how
// many could be planted; keep the paper's loop distribution where it can;
// stay fast at N ~ 10³. Each try first cuts a cycle from a random walk that
// never steps straight back (the paper's method: walk until a vertex repeats,
// keep the cycle from its first visit, frustrate a random edge). When that
// cycle is too short or would push a coupling past R, the try falls back to a
// shortest cycle with room: pick a random edge that can still take +1 as the
// frustrated edge, and join its ends by a breadth-first search (neighbours in
// random order) over edges that can still take −1. Random walks on sparse
// graphs such as random 3-regular ones give long cycles that soon saturate
// the couplings (47 of 64 loops at N = 128 with α = 0.5, R = 3); shortest
// cycles use the bound's room sparingly. When even they fail 20·M + 1000
// times in a row, the long walk loops planted early have used up the room:
// generation starts over with shortest cycles only (`PlantedInstance.search`
// says which search made the instance), and when that falls short too it
// stops with a `PlantingError` naming the shortfall instead of returning a
// thinner instance than asked.

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
  /// How many frustrated loops were planted (always the number requested;
  /// 0 for instances of other generators).
  public var loops: Int
  /// The loop search that planted them (nil for other generators).
  public var search: LoopSearch?
}

/// How loops are found.
public enum LoopSearch: String, Sendable, CaseIterable {
  /// Random-walk cycles (Hen et al.), shortest cycles when a walk fails.
  case walk
  /// Shortest cycles through random edges only.
  case shortest
}

/// The frustrated-loop generator's parameters.
public struct FrustratedLoops: Sendable, Equatable {
  /// Loops per spin, α.
  public var density: Double = 0.5
  /// The largest |J_ij| allowed, R.
  public var maxCoupling: Double = 3
  /// The shortest loop kept.
  public var minLength: Int = 4

  /// The documented defaults (α = 0.5, R = 3, loops of length ≥ 4).
  public init() {}

  /// The number of loops planted on `vertices` spins: `round(α·N)`.
  public func loopCount(vertices n: Int) -> Int { Int((density * Double(n)).rounded()) }

  /// Plants `round(α·N)` loops on `graph`.
  ///
  /// - Throws: `PlantingError` naming the shortfall when the bound R leaves
  ///   no room for the requested number of loops.
  public func generate<G: RandomNumberGenerator>(
    on graph: PlantingGraph, using rng: inout G
  ) throws -> PlantedInstance {
    do {
      return try generate(on: graph, search: .walk, using: &rng)
    } catch let error as PlantingError where error.planted != nil {
      return try generate(on: graph, search: .shortest, using: &rng)
    }
  }

  /// Plants `round(α·N)` loops on `graph` with one loop search.
  func generate<G: RandomNumberGenerator>(
    on graph: PlantingGraph, search: LoopSearch, using rng: inout G
  ) throws -> PlantedInstance {
    let n = graph.count
    let target = loopCount(vertices: n)
    var couplings: [QuadraticKey: Double] = [:]
    var ground = 0.0
    var planted = 0
    var failures = 0
    var plantedEdges = 0
    let patience = 20 * max(target, 1) + 1000
    while planted < target {
      var loop: (cycle: [Int], frustrated: Int)?
      switch search {
      case .walk:
        loop = walkLoop(graph, couplings, using: &rng) ?? shortestLoop(graph, couplings, using: &rng)
      case .shortest:
        loop = shortestLoop(graph, couplings, using: &rng)
      }
      guard let (cycle, frustrated) = loop else {
        failures += 1
        if failures >= patience {
          // Each loop adds |1| to each of its edges' couplings, so about
          // R·|E| / (mean loop length) loops fit under the bound.
          let edges = graph.neighbours.reduce(0) { $0 + $1.count } / 2
          let mean = planted > 0 ? Double(plantedEdges) / Double(planted) : 0
          throw PlantingError(
            "planted \(planted) of \(target) loops (density \(density) × \(n) spins), even with"
              + " shortest loops only: with"
              + " max_coupling \(maxCoupling) the \(edges) edges hold about"
              + " \(Int(maxCoupling * Double(edges))) loop-edges, and loops of length"
              + " ≥ \(minLength) here average \(String(format: "%.1f", mean)) edges;"
              + " lower density or raise max_coupling",
            planted: planted, requested: target)
        }
        continue
      }
      plantedEdges += cycle.count
      failures = 0
      for k in cycle.indices {
        let key = QuadraticKey(cycle[k], cycle[(k + 1) % cycle.count])
        couplings[key, default: 0] += k == frustrated ? 1 : -1
      }
      ground += Double(2 - cycle.count)
      planted += 1
    }
    let gauge = (0..<n).map { _ in Bool.random(using: &rng) ? Int8(1) : -1 }
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    for key in couplings.keys.sorted() {
      guard let j = couplings[key], j != 0 else { continue }
      model.addQuadratic(index: key.i, key.j, j * Double(gauge[key.i]) * Double(gauge[key.j]))
    }
    return PlantedInstance(
      model: model, groundEnergy: ground, plantedState: gauge, loops: planted, search: search)
  }

  /// Whether edge `a`–`b` can take `delta` more without passing R.
  func fits(_ couplings: [QuadraticKey: Double], _ a: Int, _ b: Int, _ delta: Double) -> Bool {
    abs((couplings[QuadraticKey(a, b)] ?? 0) + delta) <= maxCoupling
  }

  /// The paper's loop: a random-walk cycle with a random frustrated edge
  /// (the edge from `cycle[k]` to `cycle[k+1]`), or nil when it is too short
  /// or does not fit under R.
  func walkLoop<G: RandomNumberGenerator>(
    _ graph: PlantingGraph, _ couplings: [QuadraticKey: Double], using rng: inout G
  ) -> (cycle: [Int], frustrated: Int)? {
    guard let cycle = randomCycle(graph, using: &rng), cycle.count >= minLength else {
      return nil
    }
    let frustrated = Int.random(in: 0..<cycle.count, using: &rng)
    for k in cycle.indices {
      let delta: Double = k == frustrated ? 1 : -1
      guard fits(couplings, cycle[k], cycle[(k + 1) % cycle.count], delta) else { return nil }
    }
    return (cycle, frustrated)
  }

  /// A shortest cycle through a random edge that can still be frustrated,
  /// over edges that can still take −1; nil when there is none or it is
  /// shorter than `minLength`.
  func shortestLoop<G: RandomNumberGenerator>(
    _ graph: PlantingGraph, _ couplings: [QuadraticKey: Double], using rng: inout G
  ) -> (cycle: [Int], frustrated: Int)? {
    let u = Int.random(in: 0..<graph.count, using: &rng)
    guard let v = graph.neighbours[u].randomElement(using: &rng), fits(couplings, u, v, 1)
    else { return nil }
    // Breadth-first from v towards u, never over the edge u–v itself.
    var parent = [Int](repeating: -1, count: graph.count)
    parent[v] = v
    var frontier = [v]
    var found = false
    search: while !frontier.isEmpty {
      var next: [Int] = []
      for a in frontier {
        for b in graph.neighbours[a].shuffled(using: &rng) where parent[b] < 0 {
          if a == v && b == u { continue }
          guard fits(couplings, a, b, -1) else { continue }
          parent[b] = a
          if b == u {
            found = true
            break search
          }
          next.append(b)
        }
      }
      frontier = next
    }
    guard found else { return nil }
    var path = [u]
    while let last = path.last, last != v { path.append(parent[last]) }
    // path runs u → … → v; closing v → u is the frustrated edge.
    guard path.count >= minLength else { return nil }
    return (path, path.count - 1)
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
