import Foundation
import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// The ladder of one long tempering read (issue 22, G55 within 3): its β
/// range from the local fields and its replica count.
@Suite("Tempering ladder rule")
struct TemperingLadderTests {
  @Test(
    "The hot end accepts a typical uphill flip 1/6 of the time; the cold end the typical gap 1/3000"
  )
  func formula() {
    // A ±1 ring of 6 spins plus one field of 0.5 on spin 0: σ² = (6·2 + 0.25) / 6;
    // gaps m_i = 0.5 on spin 0, 1 elsewhere (median 1).
    var model = BinaryQuadraticModel(vartype: .spin, count: 6)
    for i in 0..<6 { model.addQuadratic(index: i, (i + 1) % 6, i % 2 == 0 ? 1 : -1) }
    model.addLinear(index: 0, 0.5)
    let (range, degenerate) = BetaRange.tempering(for: IsingProblem(model))
    #expect(!degenerate)
    let typical = 2 * ((12 + 0.25) / 6).squareRoot() * (2 / Double.pi).squareRoot()
    #expect(abs(exp(-range.hot * typical) - 1.0 / 6) < 1e-12)
    #expect(abs(exp(-range.cold * 2) - 1.0 / 3000) < 1e-12)
  }

  @Test("On a ±1 model of degree 4 the ladder is ln 6 / (4 √(2/π)) → ln 3000 / 2")
  func degreeFour() {
    // Couplings ±1 to the neighbours at distance 1 and 2 on a ring: every
    // spin has 4 unit couplings, σ = 2, smallest gap 2.
    let n = 40
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    for i in 0..<n {
      model.addQuadratic(index: i, (i + 1) % n, i % 3 == 0 ? -1 : 1)
      model.addQuadratic(index: i, (i + 2) % n, i % 2 == 0 ? 1 : -1)
    }
    let range = BetaRange.tempering(for: IsingProblem(model)).range
    #expect(abs(range.hot - log(6) / (4 * (2 / Double.pi).squareRoot())) < 1e-12)
    #expect(abs(range.cold - log(3000) / 2) < 1e-12)
    // SA's default on the same model is hotter at both ends.
    let sa = BetaRange.default(for: IsingProblem(model)).range
    #expect(sa.hot < range.hot && sa.cold < range.cold)
  }

  @Test("An all-zero model is degenerate, as for SA's default")
  func degenerate() {
    let model = BinaryQuadraticModel(vartype: .spin, count: 5)
    let (range, degenerate) = BetaRange.tempering(for: IsingProblem(model))
    #expect(degenerate)
    #expect(range == BetaRange(hot: 0.1, cold: 1))
  }

  @Test(
    "Replicas grow like √n · ln(cold / hot): 24 on G55's 5000 spins over 0.5 → 4, clamped to 4…64")
  func replicas() {
    // √5000 · ln 8 / 6.4 = 22.97 → 1 + 23.
    #expect(ParallelTempering.replicas(numSpins: 5000, range: BetaRange(hot: 0.5, cold: 4)) == 24)
    // √2000 · ln 16 / 6.4 = 19.37 → 1 + 20 (G22's ladder, 0.25 → 4).
    #expect(ParallelTempering.replicas(numSpins: 2000, range: BetaRange(hot: 0.25, cold: 4)) == 21)
    #expect(ParallelTempering.replicas(numSpins: 10, range: BetaRange(hot: 0.5, cold: 4)) == 4)
    #expect(
      ParallelTempering.replicas(numSpins: 1_000_000, range: BetaRange(hot: 0.01, cold: 4)) == 64)
    #expect(ParallelTempering.replicas(numSpins: 5000, range: BetaRange(hot: 1, cold: 1)) == 4)
    #expect(ParallelTempering.replicas(numSpins: 5000, range: BetaRange(hot: 0, cold: 1)) == 4)
  }

  @Test("temperingLadder is geometric over the rule's range with the rule's replicas")
  func temperingLadder() {
    let problem = IsingProblem(RandomInstances.sparseSpinGlass(n: 400, degree: 5, seed: 8))
    let range = BetaRange.tempering(for: problem).range
    let ladder = ParallelTempering.temperingLadder(for: problem)
    #expect(ladder.count == ParallelTempering.replicas(numSpins: 400, range: range))
    #expect(
      abs(ladder[0] - range.hot) < 1e-12 && abs(ladder[ladder.count - 1] - range.cold) < 1e-12)
    let ratio = ladder[1] / ladder[0]
    #expect(ratio > 1)
    for k in 1..<ladder.count { #expect(abs(ladder[k] / ladder[k - 1] - ratio) < 1e-9) }
  }
}
