import Foundation

// Pseudo-observations for trials that are running and for a batch's
// members already chosen (issue 17, thirteenth round: kriging believer).
//
// Why: with parallel workers each proposal was made as if the running
// trials did not exist — they were only kept out of the candidates — so a
// worker that asked while three others ran got the best unseen candidate
// of the same posterior, most often a neighbour of a running trial, and a
// batch was "the next-best candidates, at least two parameters apart".
// MaxSAT 60 at 60 evaluations: mean regret 56.7 / 82.5 / 95.8 with 1 / 4 / 8
// workers (docs/tuning.md, twelfth round).
//
// The standard remedy (Ginsbourger, Le Riche and Carraro 2010): each
// running trial or chosen member x is added to the process as an
// observation, with the observations' noise, of the value the process
// believes — its posterior mean μ(x). Conditioning on y = μ(x) leaves the
// mean everywhere as it was and shrinks the variance near x, so the
// expected improvement of x's neighbours falls and the next member goes
// where the process is still unsure. The best loss stays the real one.
//
// The update appends one row to the Cholesky factor of K + σ²I:
// l = L⁻¹ k(x, ·), d = √(1 + σ² − |l|²) — O(n²) against O(n³) for a new
// factor — and α = (K + σ²I)⁻¹ y is solved again (O(n²)). A candidate's
// distances gain x's (O(p)). The ranking stays NeighbourhoodEI.best's
// bound-then-solve: the latent variance is still at most 1.

extension NeighbourhoodEI {
  /// The process with one more observation at `x`, of `value` (in the
  /// losses' units; by default the posterior mean at `x`, the kriging
  /// believer) and the observations' noise; `nil` when the appended row
  /// does not factor (x numerically a copy of the observations).
  func believing(_ x: [Int], value: Double? = nil) -> NeighbourhoodEI? {
    let n = gp.alpha.count
    var row = candidate(x).distances.map { similarity[Int($0)] }
    var mean = 0.0
    for j in 0..<n { mean += gp.alpha[j] * row[j] }
    // l = L⁻¹ k; the new diagonal d² = 1 + σ² − |l|².
    forwardSolveFlat(gp.factor, n, &row)
    var squares = 0.0
    for v in row { squares += v * v }
    let pivot = 1 + gp.noise - squares
    guard pivot > 0 else { return nil }
    let m = n + 1
    var factor = [Double](repeating: 0, count: m * m)
    for i in 0..<n {
      for j in 0...i { factor[i * m + j] = gp.factor[i * n + j] }
    }
    for j in 0..<n { factor[n * m + j] = row[j] }
    factor[n * m + n] = pivot.squareRoot()
    let believed = value ?? gp.mean + gp.scale * mean
    let all = losses + [believed]
    let alpha = solveFlat(factor, m, all.map { ($0 - gp.mean) / gp.scale })
    let process = HammingKernel(
      conditioned: gp, configurations: gp.configurations + [x], alpha: alpha, factor: factor)
    return NeighbourhoodEI(process: process, losses: all, similarity: similarity, target: target)
  }

  /// `c` with its distance to `x` appended (the candidate seen by the
  /// process `believing(x)`).
  static func appending(_ x: [Int], to c: Candidate) -> Candidate {
    Candidate(
      configuration: c.configuration,
      distances: c.distances + [Int32(TrustRegionSampler.distance(c.configuration, x))])
  }

  /// A process assembled from its parts (the fantasies' result).
  init(process: HammingKernel, losses: [Double], similarity: [Double], target: Double) {
    gp = process
    self.losses = losses
    self.similarity = similarity
    self.target = target
  }
}

extension HammingKernel {
  /// `base` with its observations replaced by `configurations` and its
  /// solved weights and factor by `alpha` and `factor`; the decay, noise,
  /// standardisation, evidence and best loss are `base`'s (pseudo-
  /// observations change none of them).
  init(conditioned base: HammingKernel, configurations: [[Int]], alpha: [Double], factor: [Double])
  {
    self.configurations = configurations
    decay = base.decay
    noise = base.noise
    self.alpha = alpha
    mean = base.mean
    scale = base.scale
    evidence = base.evidence
    self.factor = factor
    bestLoss = base.bestLoss
  }
}
