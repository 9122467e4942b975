import Annealing
import QUBOModel
import Testing

// Validation of path-integral Monte Carlo against exact diagonalisation of
// small transverse-field systems (GSL's symmetric eigensolver). Seeds are
// fixed, so each test is deterministic; the tolerances are statistical
// (several binned standard errors) plus an allowance for the Trotter error,
// which is O((β/P)²). Sweep counts are modest so that the whole suite stays
// fast in a debug build.

@Suite("Path-integral Monte Carlo against exact diagonalisation")
struct PathIntegralPhysicsTests {
  static func estimate(
    _ problem: IsingProblem, trotter: Int, beta: Double, gamma: Double, scale: Double = 1,
    sweeps: Int, seed: UInt64, correlations: Bool = true
  ) throws -> ThermalEstimate {
    var p = PathIntegralEstimator.Parameters()
    p.trotter = trotter
    p.beta = beta
    p.transverseField = gamma
    p.problemScale = scale
    p.thermalizationSweeps = 300
    p.sweeps = sweeps
    p.bins = 20
    p.correlations = correlations
    var rng = SplitMix64(seed: seed)
    return try PathIntegralEstimator(p).estimate(problem, using: &rng)
  }

  /// Checks ⟨H_p⟩ and every ⟨σᶻ_i σᶻ_j⟩ within `sigmas` standard errors
  /// plus `allowance`.
  static func expectAgreement(
    _ est: ThermalEstimate, _ exact: ExactTransverseIsing, beta: Double,
    sigmas: Double = 4.5, allowance: Double, _ label: String
  ) {
    let e = exact.energy(beta: beta)
    #expect(
      abs(est.energy.mean - e) <= sigmas * est.energy.standardError + allowance,
      "\(label): ⟨H_p⟩ \(est.energy) vs exact \(e)")
    let n = exact.n
    let sx = (0..<n).reduce(0) { $0 + exact.transverseMagnetization(beta: beta, $1) } / Double(n)
    let m = est.transverseMagnetization
    #expect(
      abs(m.mean - sx) <= sigmas * m.standardError + allowance,
      "\(label): ⟨σˣ⟩ \(m) vs exact \(sx)")
    for i in 0..<n {
      for j in (i + 1)..<n {
        let c = est.correlation(i, j)
        let x = exact.correlation(beta: beta, i, j)
        #expect(
          abs(c.mean - x) <= sigmas * c.standardError + allowance,
          "\(label): ⟨σᶻ\(i)σᶻ\(j)⟩ \(c) vs exact \(x)")
      }
    }
  }

  @Test("⟨H_p⟩ and ⟨σᶻσᶻ⟩ match exact thermal values, 3–8 spins", arguments: 3...8)
  func matchesExact(n: Int) throws {
    let problem = randomIsing(n: n, seed: UInt64(100 + n))
    let beta = 1.0
    let gamma = 1.0
    // Odd P exercises the last-slice-alone path of the checkerboard, P = 12
    // and 20 the masked four-lane path, P = 16 the colour-split vectors.
    let trotter = [5: 15, 6: 12, 7: 20][n] ?? 16
    let exact = try ExactTransverseIsing(problem, gamma: gamma)
    let est = try Self.estimate(
      problem, trotter: trotter, beta: beta, gamma: gamma, sweeps: 4000, seed: UInt64(n))
    Self.expectAgreement(est, exact, beta: beta, allowance: 0.01, "n=\(n)")
  }

  @Test("The A(s)/B(s) form: A·(−Σσˣ) + B·H_p at β equals Γ = A/B at βB")
  func abForm() throws {
    let problem = randomIsing(n: 4, seed: 7)
    let (a, b, beta) = (0.6, 0.5, 2.0)
    let exact = try ExactTransverseIsing(problem, gamma: a / b)
    let est = try Self.estimate(
      problem, trotter: 16, beta: beta, gamma: a, scale: b, sweeps: 4000, seed: 3)
    Self.expectAgreement(est, exact, beta: beta * b, allowance: 0.01, "A/B form")
  }

  @Test("The Trotter error shrinks as P grows (P = 4, 16, 64)")
  func trotterConvergence() throws {
    let problem = randomIsing(n: 5, seed: 2)
    let beta = 2.0
    let gamma = 1.0
    let exact = try ExactTransverseIsing(problem, gamma: gamma)
    let e = exact.energy(beta: beta)
    var errors: [Int: (error: Double, se: Double)] = [:]
    for trotter in [4, 16, 64] {
      // Local moves decorrelate more slowly with more slices: longer runs.
      let est = try Self.estimate(
        problem, trotter: trotter, beta: beta, gamma: gamma,
        sweeps: 3000 * max(1, trotter / 8),
        seed: UInt64(trotter), correlations: false)
      errors[trotter] = (abs(est.energy.mean - e), est.energy.standardError)
    }
    let e4 = try #require(errors[4])
    let e16 = try #require(errors[16])
    let e64 = try #require(errors[64])
    print("Trotter errors of ⟨H_p⟩ (error, standard error):", e4, e16, e64)
    // P = 4 is visibly biased; P = 16 and 64 are within noise of the truth.
    #expect(e4.error > 5 * e4.se, "P=4 error \(e4)")
    #expect(e16.error < e4.error / 2, "P=16 \(e16) vs P=4 \(e4)")
    #expect(e64.error < e4.error / 2, "P=64 \(e64) vs P=4 \(e4)")
    #expect(e64.error <= 4.5 * e64.se + 0.01, "P=64 error \(e64)")
  }

  @Test("A very large Γ gives a paramagnet")
  func paramagnet() throws {
    let problem = randomIsing(n: 5, seed: 11)
    let beta = 1.0
    let gamma = 50.0
    let exact = try ExactTransverseIsing(problem, gamma: gamma)
    let est = try Self.estimate(
      problem, trotter: 16, beta: beta, gamma: gamma, sweeps: 2000, seed: 5)
    for i in 0..<5 {
      let m = est.magnetization[i]
      #expect(abs(m.mean) < 0.05, "⟨σᶻ\(i)⟩ = \(m)")
      let x = exact.magnetization(beta: beta, i)
      #expect(abs(m.mean - x) <= 4.5 * m.standardError + 0.01, "⟨σᶻ\(i)⟩ \(m) vs \(x)")
    }
    #expect(est.sliceCorrelation.mean < 0.1, "slice correlation \(est.sliceCorrelation)")
    // With Γ → 0 the slices lock together instead.
    let locked = try Self.estimate(
      problem, trotter: 16, beta: beta, gamma: 1e-6, sweeps: 200, seed: 5, correlations: false)
    #expect(locked.sliceCorrelation.mean > 0.999)
  }

  @Test("Γ → 0 reduces to the classical Boltzmann distribution (χ² against enumeration)")
  func classicalLimit() throws {
    let problem = randomIsing(n: 3, density: 1, seed: 21)
    let beta = 1.0
    let trotter = 4
    var p = PathIntegralAnnealing.Parameters()
    p.reads = 3000
    p.trotter = trotter
    p.beta = beta
    p.schedule = TransverseFieldSchedule(gammas: [(gamma: 1e-9, sweeps: 40)])
    p.returnAllSlices = true
    p.threads = 2
    var rng = SplitMix64(seed: 99)
    let ss = try PathIntegralAnnealing(p).sample(problem, using: &rng)
    #expect(ss.count == p.reads * trotter)
    var counts = [Int](repeating: 0, count: 8)
    var locked = 0
    for r in 0..<p.reads {
      let slice0 = Array(ss.sample(r * trotter))
      if (1..<trotter).allSatisfy({ Array(ss.sample(r * trotter + $0)) == slice0 }) {
        locked += 1
      }
      let x = slice0.enumerated().reduce(0) { $0 | ($1.element < 0 ? 1 << $1.offset : 0) }
      counts[x] += 1
    }
    #expect(locked >= p.reads * 99 / 100, "\(locked) of \(p.reads) reads have locked slices")
    var weights = [Double](repeating: 0, count: 8)
    for x in 0..<8 {
      let s = (0..<3).map { (x >> $0) & 1 == 0 ? Int8(1) : Int8(-1) }
      weights[x] = exp(-beta * problem.energy(s))
    }
    let z = weights.reduce(0, +)
    var chi2 = 0.0
    for x in 0..<8 {
      let expected = Double(p.reads) * weights[x] / z
      chi2 += (Double(counts[x]) - expected) * (Double(counts[x]) - expected) / expected
    }
    // 7 degrees of freedom: P(χ² > 29) ≈ 1e-4.
    #expect(chi2 < 29, "χ² = \(chi2), counts \(counts)")
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
