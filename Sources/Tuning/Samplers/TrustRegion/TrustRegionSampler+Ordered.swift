import Annealing
import QUBOModel

// The `gp-ei` search (issue 17, fourteenth round), for spaces with ordered
// parameters: OrderedGP.swift's process ranks, by exact expected
// improvement, the unseen configurations one move from any evaluated one
// (best losses first, up to `NeighbourhoodEI.candidateLimit`), `randomCandidates`
// uniformly random ones, and the ends of greedy EI climbs from the
// `climbs` best of those. A move changes one parameter: an ordered one by
// ½, ¼, … of its range down to one grid step, either way (all its other
// values when it has at most 17); a categorical one to each other value.
// Proposals note `source` (`neighbour`, `random` or `climb`), `predicted`
// and `log_expected_improvement`. A batch takes the next best candidates.

extension TrustRegionSampler {
  /// Random configurations ranked beside the neighbours.
  static let randomCandidates = 512
  /// The greedy EI climbs per proposal.
  static let climbs = 5
  /// The most moves of one climb.
  static let climbLength = 50

  /// The configurations one move from `x` (see the file comment), in
  /// parameter order.
  static func moves(_ x: [Int], space: SearchSpace) -> [[Int]] {
    var out: [[Int]] = []
    for (k, d) in space.ordered.enumerated() {
      let r = d.count
      let c = x[k]
      var targets: [Int]
      if !d.isOrdered || r <= 17 {
        targets = (0..<r).filter { $0 != c }
      } else {
        var set = Set<Int>()
        var step = (r - 1) / 2
        while step >= 1 {
          set.insert(min(c + step, r - 1))
          set.insert(max(c - step, 0))
          step /= 2
        }
        set.remove(c)
        targets = set.sorted()
      }
      for v in targets {
        var z = x
        z[k] = v
        out.append(z)
      }
    }
    return out
  }

  /// `count` proposals of the `gp-ei` search (see the file comment).
  func orderedProposals(
    _ gp: OrderedGP, history: History, space: SearchSpace, direction: Direction, count: Int,
    using rng: inout Xoshiro256PlusPlus
  ) -> [(configuration: [Int], notes: [String: JSONValue])] {
    var excluded = history.seen
    for x in history.running { excluded.insert(x) }
    var listed = excluded
    var candidates: [(x: [Int], source: String)] = []
    let order = history.observed.indices.sorted {
      (history.observed[$0].loss, $0) < (history.observed[$1].loss, $1)
    }
    bases: for i in order {
      for z in Self.moves(history.observed[i].configuration, space: space)
      where listed.insert(z).inserted {
        candidates.append((z, "neighbour"))
        if candidates.count >= NeighbourhoodEI.candidateLimit { break bases }
      }
    }
    for z in space.randomUnseen(Self.randomCandidates, excluding: listed, using: &rng)
    where listed.insert(z).inserted {
      candidates.append((z, "random"))
    }
    var scores = candidates.map { gp.score($0.x) }
    let starts = candidates.indices.sorted {
      (scores[$0].logEI, $1) > (scores[$1].logEI, $0)
    }.prefix(Self.climbs)
    for s in starts {
      var x = candidates[s].x
      var best = scores[s]
      for _ in 0..<Self.climbLength {
        var next: ([Int], (logEI: Double, mean: Double))?
        for z in Self.moves(x, space: space) where !excluded.contains(z) {
          let v = gp.score(z)
          if v.logEI > (next?.1.logEI ?? best.logEI) + 1e-12 { next = (z, v) }
        }
        guard let (z, v) = next else { break }
        x = z
        best = v
      }
      if listed.insert(x).inserted {
        candidates.append((x, "climb"))
        scores.append(best)
      }
    }
    let ranked = candidates.indices.sorted {
      (scores[$0].logEI, $1) > (scores[$1].logEI, $0)
    }
    var out: [(configuration: [Int], notes: [String: JSONValue])] = ranked.prefix(count).map {
      (
        candidates[$0].x,
        [
          "design": .string("gp"),
          "source": .string(candidates[$0].source),
          "predicted": .double(direction.loss(scores[$0].mean)),
          "log_expected_improvement": .double(scores[$0].logEI),
        ]
      )
    }
    if out.count < count {
      let seen = excluded.union(out.map(\.configuration))
      out += space.randomUnseen(count - out.count, excluding: seen, using: &rng).map {
        ($0, ["design": .string("random")])
      }
    }
    return out
  }
}
