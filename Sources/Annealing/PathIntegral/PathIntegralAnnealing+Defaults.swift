#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import QUBOModel

// Default inverse temperature and transverse-field range of SQA, derived from
// the model's bias scale on the spin form (so a QUBO and its Ising form get
// the same defaults).
//
// β: at the end of the anneal the slices are locked together and a read
// behaves like one classical replica at inverse temperature β (a worldline
// flip of spin i costs β·ΔE_i). The cold end SA's default had before issue 22,
// β_cold = ln(N_min / 0.01) / (2 min_i m_i) (about a 1% chance per sweep that
// any cheapest flip is accepted, so the final state is a local minimum; m_i
// the smallest non-zero |bias| touching i, N_min how many spins share the
// minimum), is the most we take. (SA's default moved to local-field
// statistics in issue 22; at equal sweeps SQA with that cold end and
// Γ_high = 3σ was no better — G22 −6663.6 against −6679.8 mean, G11 −1078.8
// against −1079.5, G14 −1405.5 against −1404.9, 16 reads, P = 16 — so SQA
// keeps its rule.) Early in the anneal, while J⊥ is small, each slice is
// nearly a classical system of its own at β/P; if β/P is large against the
// typical local field, every slice freezes into the nearest local minimum
// before the slices couple, and few slices (P = 4, 8) then anneal badly. So
// β = min(β_cold, P/σ), σ² = mean_i (h_i² + Σ_j J_ij²) the variance of a
// spin's local field in a random state: a decoupled slice starts with
// β/P · |f| ≈ 1. Measured on the three standard ±1 instances (random n = 2000
// degree 4, random n = 800 degree 48, G22; 1000 sweeps, 10 reads) at
// P = 4, 8, 16, 32 against β ∈ {1, 2, 4, β_cold}: the rule picks the best or
// within a few units of the best mean energy at every P, where β_cold alone
// lost up to 185 (G22, P = 4) at small P.
//
// Γ_high: the quantum term must dominate every local field at the start, so
// that the slices decorrelate and explore: Γ_high = max_i S_i with
// S_i = |h_i| + Σ_j |J_ij|, the largest field any spin can feel.
//
// Γ_low: the slices must be locked at the end. Creating a pair of kinks in
// a slice (flipping one slice of an aligned worldline) costs 4 J⊥ ≈
// −2 ln(βΓ/P) for small βΓ/P, so it is accepted with probability about
// (βΓ/P)². Γ_low = 0.01 · P / β makes that 10⁻⁴ (capped at Γ_high).
//
// Shape: geometric, the same time per decade of Γ, as SA's geometric β.

extension PathIntegralAnnealing {
  /// β_cold = ln(N_min / 0.01) / (2 min_i m_i) for `problem`, the most the
  /// SQA default takes (see the derivation above).
  ///
  /// An all-zero model has no scale: it gets β = 1 and `isDegenerate`.
  public static func defaultBeta(for problem: IsingProblem) -> (beta: Double, isDegenerate: Bool) {
    var maxS = 0.0
    var minM = Double.infinity
    var minCount = 0
    for i in 0..<problem.numSpins {
      var s = abs(problem.h[i])
      var m = problem.h[i] != 0 ? abs(problem.h[i]) : Double.infinity
      for k in Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1]) {
        let a = abs(problem.coupling[k])
        s += a
        if a > 0 && a < m { m = a }
      }
      maxS = max(maxS, s)
      if m < minM {
        minM = m
        minCount = 1
      } else if m == minM && m.isFinite {
        minCount += 1
      }
    }
    guard maxS > 0, minM.isFinite else { return (1, true) }
    let cold = log(Double(minCount) / 0.01) / (2 * minM)
    return (max(cold, log(2.0) / (2 * maxS)), false)
  }

  /// The default β for `problem` with `trotter` slices:
  /// `min(β_cold, P/σ)`, σ the root-mean-square local field of a random
  /// state (see the derivation above).
  public static func defaultBeta(
    for problem: IsingProblem, trotter: Int
  ) -> (beta: Double, isDegenerate: Bool) {
    let (cold, degenerate) = defaultBeta(for: problem)
    if degenerate { return (cold, true) }
    let sigma = fieldScale(of: problem)
    guard sigma > 0 else { return (cold, false) }
    return (min(cold, Double(max(1, trotter)) / sigma), false)
  }

  /// σ = √(mean_i (h_i² + Σ_j J_ij²)): the standard deviation of a spin's
  /// local field when the other spins are uniformly random.
  public static func fieldScale(of problem: IsingProblem) -> Double {
    let n = problem.numSpins
    guard n > 0 else { return 0 }
    var total = 0.0
    for i in 0..<n {
      total += problem.h[i] * problem.h[i]
      for e in Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1]) {
        total += problem.coupling[e] * problem.coupling[e]
      }
    }
    return (total / Double(n)).squareRoot()
  }

  /// The default Γ range for `problem` at `beta` with `trotter` slices:
  /// `Γ_high = max_i S_i`, `Γ_low = min(Γ_high, 0.01·P/β)`.
  public static func defaultGammaRange(
    for problem: IsingProblem, beta: Double, trotter: Int
  ) -> GammaRange {
    let maxS = problem.maxAbsField
    let high = maxS > 0 ? maxS : 1
    let low = min(high, 0.01 * Double(max(1, trotter)) / max(beta, .leastNormalMagnitude))
    return GammaRange(high: high, low: low)
  }
}
