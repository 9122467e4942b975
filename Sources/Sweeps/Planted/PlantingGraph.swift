// The graphs frustrated loops are planted on: periodic cubic lattices L×L×L
// and random 3-regular graphs (configuration model, Bollobás 1980: pair the
// 3n half-edges uniformly and reject pairings with self-loops or repeated
// edges, which leaves every simple 3-regular graph equally likely).

import Annealing

/// An undirected simple graph as sorted adjacency lists over `0..<n`.
public struct PlantingGraph: Sendable, Equatable {
  /// Neighbours of each vertex, ascending.
  public var neighbours: [[Int]]

  /// Vertices.
  public var count: Int { neighbours.count }

  /// A graph from adjacency lists (deduplicated and sorted).
  public init(neighbours: [[Int]]) {
    self.neighbours = neighbours.map { Array(Set($0)).sorted() }
  }

  /// The periodic cubic lattice with `side`³ vertices; vertex
  /// `x + side·y + side²·z`. With side 2 the ±1 neighbours coincide and the
  /// graph is the 3-cube.
  ///
  /// - Throws: `PlantingError` when `side < 2`.
  public static func cubicLattice(side l: Int) throws -> PlantingGraph {
    guard l >= 2 else { throw PlantingError("a cubic lattice needs side ≥ 2, got \(l)") }
    func index(_ x: Int, _ y: Int, _ z: Int) -> Int {
      ((x + l) % l) + l * ((y + l) % l) + l * l * ((z + l) % l)
    }
    var adj = [[Int]](repeating: [], count: l * l * l)
    for z in 0..<l {
      for y in 0..<l {
        for x in 0..<l {
          adj[index(x, y, z)] = [
            index(x + 1, y, z), index(x - 1, y, z), index(x, y + 1, z),
            index(x, y - 1, z), index(x, y, z + 1), index(x, y, z - 1),
          ]
        }
      }
    }
    return PlantingGraph(neighbours: adj)
  }

  /// A uniformly random simple 3-regular graph on `n` vertices.
  ///
  /// - Throws: `PlantingError` unless `n` is even and at least 4.
  public static func randomRegular3<G: RandomNumberGenerator>(
    vertices n: Int, using rng: inout G
  ) throws -> PlantingGraph {
    guard n >= 4 && n % 2 == 0 else {
      throw PlantingError("a 3-regular graph needs an even vertex count ≥ 4, got \(n)")
    }
    while true {
      var stubs = (0..<(3 * n)).map { $0 / 3 }
      stubs.shuffle(using: &rng)
      var adj = [Set<Int>](repeating: [], count: n)
      var simple = true
      for k in stride(from: 0, to: stubs.count, by: 2) {
        let (u, v) = (stubs[k], stubs[k + 1])
        if u == v || adj[u].contains(v) {
          simple = false
          break
        }
        adj[u].insert(v)
        adj[v].insert(u)
      }
      if simple { return PlantingGraph(neighbours: adj.map { Array($0) }) }
    }
  }
}
