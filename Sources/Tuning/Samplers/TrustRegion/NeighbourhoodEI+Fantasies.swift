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
// l = L⁻¹ k(x, ·), d = √(s + σ² − |l|²) — O(n²) against O(n³) for a new
// factor — and α = (K + σ²I)⁻¹ y is solved again (O(n²)). A candidate's
// distances gain x's (O(p)). The ranking stays NeighbourhoodEI.best's
// bound-then-solve: the latent variance is still at most s (1 with the
// fixed kernel).

extension NeighbourhoodEI {
  /// The process with one more observation at `x`, of `value` (in the
  /// losses' units; by default the posterior mean at `x`, the kriging
  /// believer) and the observations' noise; `nil` when the appended row
  /// does not factor (x numerically a copy of the observations). With a
  /// fitted kernel (`fit`) the ranking process gains the observation and
  /// `gp`, the annealed reads' model, stays as it was.
  func believing(_ x: [Int], value: Double? = nil) -> NeighbourhoodEI? {
    let alpha = alpha
    let factor = factor
    let n = alpha.count
    var row = candidate(x).distances.map { kernel($0) }
    var mean = 0.0
    for j in 0..<n { mean += alpha[j] * row[j] }
    // l = L⁻¹ k; the new diagonal d² = s + σ² − |l|².
    forwardSolveFlat(factor, n, &row)
    var squares = 0.0
    for v in row { squares += v * v }
    let pivot = signal + noiseVariance - squares
    guard pivot > 0 else { return nil }
    let m = n + 1
    var grown = [Double](repeating: 0, count: m * m)
    for i in 0..<n {
      for j in 0...i { grown[i * m + j] = factor[i * n + j] }
    }
    for j in 0..<n { grown[n * m + j] = row[j] }
    grown[n * m + n] = pivot.squareRoot()
    let believed = value ?? lossMean + lossScale * mean
    let all = losses + [believed]
    let solved = solveFlat(grown, m, all.map { ($0 - lossMean) / lossScale })
    let xs = configurations + [x]
    if let fit {
      return NeighbourhoodEI(
        gp: gp,
        fit: WeightedHamming(conditioned: fit, configurations: xs, alpha: solved, factor: grown),
        evidenceGain: evidenceGain, losses: all, similarity: similarity)
    }
    let process = HammingKernel(
      conditioned: gp, configurations: xs, alpha: solved, factor: grown)
    return NeighbourhoodEI(
      gp: process, fit: nil, evidenceGain: evidenceGain, losses: all, similarity: similarity)
  }

  /// `c` with its distance to `x` appended (the candidate seen by the
  /// process `believing(x)`).
  func appending(_ x: [Int], to c: Candidate) -> Candidate {
    Candidate(
      configuration: c.configuration,
      distances: c.distances + [distance(c.configuration, x)])
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
