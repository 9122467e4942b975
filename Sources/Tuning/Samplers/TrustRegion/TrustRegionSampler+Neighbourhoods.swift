import Annealing
import QUBOModel

// The default acquisition in spaces of booleans and categoricals
// (`TrustRegionSampler.unordered`): NeighbourhoodEI.swift's process.
// Its posterior mean, expanded to second order around the incumbent
// (HammingKernel.swift), is the QUBO our annealer minimises; the reads, cut
// back into the trust region, join the unseen one-parameter neighbours of
// every evaluated configuration, and the exact expected improvement ranks
// them all. Running trials and a batch's members already chosen are
// pseudo-observations at their posterior mean (kriging believer,
// NeighbourhoodEI+Fantasies.swift): each proposal is the highest expected
// improvement given them. Each proposal notes its `source` (`anneal` or
// `neighbour`) and, when there are any, its `fantasies`.

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
    var fromAnnealer = candidates.indices.map { $0 < annealed }
    // Running trials and chosen members as pseudo-observations at their
    // posterior mean (NeighbourhoodEI+Fantasies.swift); each member the
    // highest expected improvement given them.
    var process = search
    var fantasies = 0
    func believe(_ x: [Int]) {
      guard let next = process.believing(x) else { return }
      process = next
      fantasies += 1
      candidates = candidates.map { process.appending(x, to: $0) }
    }
    for x in history.running { believe(x) }
    var out: [(configuration: [Int], notes: [String: JSONValue])] = []
    while out.count < count, let s = process.best(candidates, top: 1).first {
      let full = candidates[s.index].configuration
      var notes: [String: JSONValue] = [
        "design": .string("region"),
        "source": .string(fromAnnealer[s.index] ? "anneal" : "neighbour"),
        "predicted": .double(direction.loss(s.mean)),
        "log_expected_improvement": .double(s.logEI),
        "radius": .double(region.radius),
        "incumbent_distance": .int(Self.distance(full, region.center)),
        "restarts": .int(region.restarts),
      ]
      if fantasies > 0 { notes["fantasies"] = .int(fantasies) }
      if let gain = search.evidenceGain {
        // `model: hamming-ard`: which kernel ranked, and the evidence for it.
        notes["kernel"] = .string(search.fit == nil ? "fixed" : "weighted")
        notes["log_bayes_factor"] = .double(gain)
      }
      out.append((full, notes))
      candidates.remove(at: s.index)
      fromAnnealer.remove(at: s.index)
      if out.count < count { believe(full) }
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
