#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import QUBOModel

// The ladder of one long parallel-tempering read (issue 22, G55 within 3).
//
// Simulated annealing's default range (`BetaRange.default`) is made for
// many short reads: a hot end that accepts a typical uphill flip half the
// time, a cold end that accepts the typical smallest gap 1 time in 100.
// A tempering read that runs for the whole time limit wants a colder
// ladder: its hottest replica only has to keep the ladder mixing, not to
// randomise a state, and its coldest replica should sit where a state is
// all but frozen, so that the best states are found by the exchanges
// rather than by the last sweeps of a schedule. On Gset G55 (degree 5, ±1)
// the ladder the rule below gives, 0.50 → 4.0, reached the cut 10296 that
// SA's ranges (0.3 → 3, the default 0.15 → 2.3) never did, and 0.19 → 4
// or 0.5 → 2.3 did not either (docs/kernels-issue22.md, round seven):
//
//   hot end:  a typical uphill flip, ΔE_typ = 2 σ √(2/π), accepted 1/6:
//             β_hot = ln 6 / ΔE_typ;
//   cold end: the typical smallest gap g = 2 · median_i m_i accepted
//             1/3000: β_cold = ln 3000 / g
//
// (σ and m_i as in BetaRange.swift). On ±1 models β_cold = 4.0; G22 gets
// 0.25 → 4, K2000 0.025 → 4.
//
// Replicas, geometric in β: neighbouring levels β < β' swap with
// probability about erfc((β' − β) σ_E / 2), σ_E the energy's standard
// deviation at β; the heat capacity C = β² σ_E² grows like n, so at a fixed
// swap rate the steps of a geometric ladder shrink like 1/√n:
//
//   R = 1 + ⌈√n · ln(β_cold / β_hot) / c⌉,  c = 6.4, clamped to 4…64.
//
// c is G55's: 24 replicas over 0.5 → 4, the ladder that reached 10296 in
// rounds seven and eight (G22 gets 21, G43 15, G1 16, G11 10, K2000 37). That ladder is
// not balanced: σ_E falls from 90 at β 0.5 to 1.8 at β 4 on G55, so its
// hottest ten pairs swap only 0.003–0.05 and its coldest 0.65. A ladder
// equalised from the measured σ_E (32 replicas, every pair 0.19–0.21,
// within a few per cent of evenly spaced temperatures) reached 10296 in 1
// of 4 reads at equal CPU, against 3 of 8 for this one, so the cheaper
// geometric ladder stays (docs/kernels-issue22.md, round eight).

extension BetaRange {
  /// Acceptance of a typical uphill flip at the hot end of a tempering
  /// ladder.
  public static let temperingHotAcceptance = 1.0 / 6
  /// Acceptance of the typical smallest gap at the cold end of a tempering
  /// ladder.
  public static let temperingColdAcceptance = 1.0 / 3000

  /// The β range of one long tempering read on `problem`: `β_hot = ln 6 /
  /// (2 σ √(2/π))`, `β_cold = ln 3000 / (2 · median_i m_i)` (see
  /// `range(for:hotAcceptance:coldAcceptance:)`).
  ///
  /// - Complexity: O(n + nnz), plus O(n log n) for the median.
  public static func tempering(for problem: IsingProblem) -> (
    range: BetaRange, isDegenerate: Bool
  ) {
    range(
      for: problem, hotAcceptance: temperingHotAcceptance,
      coldAcceptance: temperingColdAcceptance)
  }
}

extension ParallelTempering {
  /// The constant c of `replicas(numSpins:range:)`.
  public static let replicaScale = 6.4
  /// The fewest and most replicas `replicas(numSpins:range:)` gives.
  public static let replicaRange = 4...64

  /// Replicas of a geometric ladder over `range` on `n` spins, growing
  /// like √n so that neighbours swap about as often at any size: `1 + ⌈√n ·
  /// ln(cold / hot) / 6.4⌉`, clamped to 4…64 (24 on Gset G55 over 0.5 → 4).
  public static func replicas(numSpins n: Int, range: BetaRange) -> Int {
    guard range.hot > 0, range.cold > range.hot else { return replicaRange.lowerBound }
    let raw = (Double(max(1, n)).squareRoot() * log(range.cold / range.hot) / replicaScale)
      .rounded(.up)
    guard raw.isFinite else { return replicaRange.upperBound }
    return min(replicaRange.upperBound, max(replicaRange.lowerBound, 1 + Int(raw)))
  }
}

extension ParallelTempering {
  /// The ladder of one long tempering read on `problem`: `replicas(numSpins:
  /// range:)` levels over `BetaRange.tempering(for:)`, geometric, hottest
  /// first (see BetaRange+Tempering.swift).
  public static func temperingLadder(for problem: IsingProblem) -> [Double] {
    let range = BetaRange.tempering(for: problem).range
    var p = Parameters()
    p.betaRange = range
    p.replicas = replicas(numSpins: problem.numSpins, range: range)
    return ParallelTempering(p).ladder(for: problem)
  }
}
