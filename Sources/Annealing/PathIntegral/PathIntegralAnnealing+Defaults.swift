import QUBOModel

// Default inverse temperature and transverse-field range of SQA, derived from
// the model's bias scale on the spin form (so a QUBO and its Ising form get
// the same defaults), in the spirit of `BetaRange.default(for:)`.
//
// β: at the end of the anneal the slices are locked together and a read
// behaves like one classical replica at inverse temperature β (a worldline
// flip of spin i costs β·ΔE_i). We take SA's cold end,
// β = ln(N_min / 0.01) / (2 min_i m_i): about a 1% chance per sweep that
// any cheapest flip is accepted, so the final state is a local minimum.
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
  /// The default β for `problem`: SA's cold β (see the derivation above).
  ///
  /// An all-zero model has no scale: it gets β = 1 and `isDegenerate`.
  public static func defaultBeta(for problem: IsingProblem) -> (beta: Double, isDegenerate: Bool) {
    let (range, degenerate) = BetaRange.default(for: problem)
    return (degenerate ? 1 : range.cold, degenerate)
  }

  /// The default Γ range for `problem` at `beta` with `trotter` slices:
  /// `Γ_high = max_i S_i`, `Γ_low = min(Γ_high, 0.01·P/β)`.
  public static func defaultGammaRange(
    for problem: IsingProblem, beta: Double, trotter: Int
  ) -> GammaRange {
    var maxS = 0.0
    for i in 0..<problem.numSpins {
      var s = abs(problem.h[i])
      for e in Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1]) {
        s += abs(problem.coupling[e])
      }
      maxS = max(maxS, s)
    }
    let high = maxS > 0 ? maxS : 1
    let low = min(high, 0.01 * Double(max(1, trotter)) / max(beta, .leastNormalMagnitude))
    return GammaRange(high: high, low: low)
  }
}
