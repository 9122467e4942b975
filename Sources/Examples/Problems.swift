// The examples of problems/manifest.json written with the QUBOEncoding DSL,
// each with an independent oracle (dynamic programming, brute force) and a
// scorer that recomputes the problem's value from the decoded variables.

import Foundation
import QUBOEncoding

/// One instance of problems/manifest.json.
struct ManifestInstance: Decodable {
  struct Data: Decodable {
    var values: [Int]?
    var weights: [Int]?
    var capacity: Int?
    var nodes: Int?
    var edges: [[Int]]?
    var colors: Int?
    var numbers: [Int]?
    var distances: [[Int]]?
  }
  var name: String
  var kind: String
  var solver: String
  var sense: String
  var optimum: Int
  var data: Data
}

struct Manifest: Decodable {
  var instances: [ManifestInstance]

  /// The manifest at `path`, or the repository's `problems/manifest.json`.
  static func load(path: String? = nil) throws -> Manifest {
    let url =
      path.map { URL(fileURLWithPath: $0) }
      ?? URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("problems/manifest.json")
    return try JSONDecoder().decode(Manifest.self, from: Foundation.Data(contentsOf: url))
  }
}

/// A problem written with the DSL, with its own scorer.
struct Example {
  var model: Model
  /// The problem's value recomputed from the decoded variables, `nil` when
  /// the decoded variables do not form a valid solution of the problem.
  var score: (Solution) -> Int?
  /// The optimum by an independent oracle.
  var oracle: () -> Int
}

enum Examples {
  static func make(_ i: ManifestInstance) -> Example? {
    let d = i.data
    switch i.kind {
    case "knapsack":
      guard let v = d.values, let w = d.weights, let c = d.capacity else { return nil }
      return knapsack(values: v, weights: w, capacity: c)
    case "coloring":
      guard let n = d.nodes, let e = d.edges, let k = d.colors else { return nil }
      return coloring(nodes: n, edges: e, colors: k)
    case "partition":
      guard let a = d.numbers else { return nil }
      return partition(a)
    case "maxcut":
      guard let n = d.nodes, let e = d.edges else { return nil }
      return maxCut(nodes: n, edges: e)
    case "tsp":
      guard let dist = d.distances else { return nil }
      return travellingSalesperson(dist)
    default:
      return nil
    }
  }

  /// Maximise Σ v_i x_i subject to Σ w_i x_i ≤ C.
  static func knapsack(values v: [Int], weights w: [Int], capacity c: Int) -> Example {
    var m = Model()
    let x = m.binaries("x", count: v.count)
    m.maximize(Expr.sum(x.indices) { v[$0] * x[$0] })
    m.constrain("capacity", Expr.sum(x.indices) { w[$0] * x[$0] } <= c)
    let score: (Solution) -> Int? = { s in
      guard let bits = s.array("x") else { return nil }
      let weight = bits.indices.reduce(0) { $0 + w[$1] * bits[$1] }
      return weight <= c ? bits.indices.reduce(0) { $0 + v[$1] * bits[$1] } : nil
    }
    let oracle = { () -> Int in
      var best = [Int](repeating: 0, count: c + 1)
      for k in v.indices where w[k] <= c {
        for cap in stride(from: c, through: w[k], by: -1) {
          best[cap] = max(best[cap], best[cap - w[k]] + v[k])
        }
      }
      return best[c]
    }
    return Example(model: m, score: score, oracle: oracle)
  }

  /// Colour each node with exactly one of k colours; minimise the number of
  /// edges whose ends share a colour.
  static func coloring(nodes n: Int, edges: [[Int]], colors k: Int) -> Example {
    var m = Model()
    let x = m.binaries("color", rows: n, columns: k)
    m.minimize(Expr.sum(edges) { e in Expr.sum(0..<k) { x[e[0]][$0] * x[e[1]][$0] } })
    for v in 0..<n { m.oneHot("node \(v) has one colour", x[v]) }
    let score: (Solution) -> Int? = { s in
      guard let flat = s.array("color") else { return nil }
      var colour: [Int] = []
      for v in 0..<n {
        let row = Array(flat[(v * k)..<((v + 1) * k)])
        guard row.reduce(0, +) == 1, let c = row.firstIndex(of: 1) else { return nil }
        colour.append(c)
      }
      return edges.filter { colour[$0[0]] == colour[$0[1]] }.count
    }
    let oracle = { () -> Int in
      var best = Int.max
      var colour = [Int](repeating: 0, count: n)
      func visit(_ v: Int) {
        if v == n {
          best = min(best, edges.filter { colour[$0[0]] == colour[$0[1]] }.count)
          return
        }
        for c in 0..<k {
          colour[v] = c
          visit(v + 1)
        }
      }
      visit(0)
      return best
    }
    return Example(model: m, score: score, oracle: oracle)
  }

  /// Split the numbers into two sets: minimise (Σ a_i s_i)².
  static func partition(_ a: [Int]) -> Example {
    var m = Model()
    let s = m.spins("s", count: a.count)
    m.minimize(Expr.sum(a.indices) { a[$0] * s[$0] }.squared())
    let score: (Solution) -> Int? = { sol in
      guard let spins = sol.array("s") else { return nil }
      let d = a.indices.reduce(0) { $0 + a[$1] * spins[$1] }
      return d * d
    }
    let oracle = { () -> Int in
      let total = a.reduce(0, +)
      var reachable = [Bool](repeating: false, count: total + 1)
      reachable[0] = true
      for x in a {
        for t in stride(from: total, through: x, by: -1) where reachable[t - x] {
          reachable[t] = true
        }
      }
      return reachable.indices.filter { reachable[$0] }
        .map { (total - 2 * $0) * (total - 2 * $0) }.min() ?? 0
    }
    return Example(model: m, score: score, oracle: oracle)
  }

  /// Maximise the weight of the edges cut: Σ w_ij (1 − s_i s_j)/2.
  static func maxCut(nodes n: Int, edges: [[Int]]) -> Example {
    var m = Model()
    let s = m.spins("s", count: n)
    m.maximize(Expr.sum(edges) { e in 0.5 * Double(e[2]) * (1 - s[e[0]] * s[e[1]]) })
    let score: (Solution) -> Int? = { sol in
      guard let spins = sol.array("s") else { return nil }
      return edges.filter { spins[$0[0]] != spins[$0[1]] }.reduce(0) { $0 + $1[2] }
    }
    let oracle = { () -> Int in
      // Gray-code enumeration with node n−1 fixed on one side.
      var side = [Int](repeating: 0, count: n)
      var adjacency = [[(Int, Int)]](repeating: [], count: n)
      for e in edges {
        adjacency[e[0]].append((e[1], e[2]))
        adjacency[e[1]].append((e[0], e[2]))
      }
      var cut = 0
      var best = 0
      for step in 1..<(1 << (n - 1)) {
        let v = step.trailingZeroBitCount
        for (u, w) in adjacency[v] { cut += side[u] == side[v] ? w : -w }
        side[v] ^= 1
        best = max(best, cut)
      }
      return best
    }
    return Example(model: m, score: score, oracle: oracle)
  }

  /// A closed tour of minimum length.
  ///
  /// City 0 is fixed at position 0, so
  /// x[c][p] (city c+1 at position p+1) has (n−1)² bits.
  static func travellingSalesperson(_ d: [[Int]]) -> Example {
    let n = d.count
    var m = Model()
    let x = m.binaries("visit", rows: n - 1, columns: n - 1)
    let last = n - 2
    var length = Expr.sum(0..<(n - 1)) { c in
      Double(d[0][c + 1]) * x[c][0] + Double(d[c + 1][0]) * x[c][last]
    }
    for p in 0..<last {
      for a in 0..<(n - 1) {
        for b in 0..<(n - 1) where a != b {
          length += Double(d[a + 1][b + 1]) * (x[a][p] * x[b][p + 1])
        }
      }
    }
    m.minimize(length)
    for c in 0..<(n - 1) { m.oneHot("city \(c + 1) visited once", x[c]) }
    for p in 0..<(n - 1) {
      m.oneHot("one city at position \(p + 1)", (0..<(n - 1)).map { x[$0][p] })
    }
    let score: (Solution) -> Int? = { s in
      guard let flat = s.array("visit") else { return nil }
      var tour = [0]
      for p in 0..<(n - 1) {
        let cities = (0..<(n - 1)).filter { flat[$0 * (n - 1) + p] == 1 }
        guard cities.count == 1 else { return nil }
        tour.append(cities[0] + 1)
      }
      guard Set(tour).count == n else { return nil }
      return (0..<n).reduce(0) { $0 + d[tour[$1]][tour[($1 + 1) % n]] }
    }
    let oracle = { () -> Int in
      var best = Int.max
      var rest = Array(1..<n)
      func permute(_ k: Int) {
        if k == rest.count {
          let tour = [0] + rest
          best = min(best, (0..<n).reduce(0) { $0 + d[tour[$1]][tour[($1 + 1) % n]] })
          return
        }
        for i in k..<rest.count {
          rest.swapAt(k, i)
          permute(k + 1)
          rest.swapAt(k, i)
        }
      }
      permute(0)
      return best
    }
    return Example(model: m, score: score, oracle: oracle)
  }
}
