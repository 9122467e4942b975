import Annealing
import QUBOModel

// The default acquisition in spaces of booleans and categoricals
// (`TrustRegionSampler.unordered`): NeighbourhoodEI.swift's process.
// Its posterior mean, expanded to second order around the incumbent
// (HammingKernel.swift), is the QUBO our annealer minimises; the reads, cut
// back into the trust region, join the unseen one-parameter neighbours of
// every evaluated configuration, and the exact expected improvement ranks
// them all. Each proposal notes its `source` (`anneal` or `neighbour`).

extension TrustRegionSampler {
  /// `count` proposals by expected improvement over the annealed reads and
  /// the neighbourhoods of `history`'s observations (see the file comment);
  /// random unseen configurations when fewer candidates remain.
  func neighbourhoodProposals(
    _ search: NeighbourhoodEI, history: History, space: SearchSpace, grid: LocalGrid,
    encoded: BitEncoding, region: TrustRegion, direction: Direction, count: Int,
    using rng: inout Xoshiro256PlusPlus
  ) throws -> [(configuration: [Int], notes: [String: JSONValue])] {
    var candidates: [NeighbourhoodEI.Candidate] = []
    var listed = history.seen
    if let draw = search.gp.surrogate(grid: grid, encoded: encoded, full: space) {
      for c in try annealedConfigurations(draw, encoded: encoded, using: &rng) {
        let local = Self.project(
          c, into: grid, radius: region.ball, draw: draw, encoded: encoded)
        let full = grid.full(local)
        guard listed.insert(full).inserted else { continue }
        candidates.append(search.candidate(full))
      }
    }
    let annealed = candidates.count
    candidates += search.neighbours(
      radices: space.radices, excluding: listed, limit: NeighbourhoodEI.candidateLimit)
    let ranked = search.best(candidates, top: max(4 * count, count + 8))
    var out: [(configuration: [Int], notes: [String: JSONValue])] = []
    for pass in 0..<2 where out.count < count {
      for s in ranked where out.count < count {
        let full = candidates[s.index].configuration
        guard !out.contains(where: { $0.configuration == full }) else { continue }
        // A batch's members at least two parameters apart when possible.
        if pass == 0, out.contains(where: { Self.distance($0.configuration, full) < 2 }) {
          continue
        }
        out.append(
          (
            full,
            [
              "design": .string("region"),
              "source": .string(s.index < annealed ? "anneal" : "neighbour"),
              "predicted": .double(direction.loss(s.mean)),
              "log_expected_improvement": .double(s.logEI),
              "radius": .double(region.radius),
              "incumbent_distance": .int(Self.distance(full, region.center)),
              "restarts": .int(region.restarts),
            ]
          ))
      }
    }
    if out.count < count {
      let seen = history.seen.union(out.map(\.configuration))
      out += space.randomUnseen(count - out.count, excluding: seen, using: &rng).map {
        ($0, ["design": .string("random")])
      }
    }
    return out
  }
}
