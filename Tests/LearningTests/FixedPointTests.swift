import Annealing
import Foundation
import QUBOModel
import Testing

@testable import Learning

@Suite("Fixed-point least squares QUBO")
struct FixedPointTests {
  @Test(arguments: [(2, 3), (3, 2), (1, 4)])
  func energyIsTheLossOfTheDecodedWeightsForEveryAssignment(d: Int, bits: Int) throws {
    var rng = Xoshiro256PlusPlus(seed: UInt64(d * 10 + bits))
    let n = 7
    let x = (0..<(n * d)).map { _ in Double.random(in: -1...1, using: &rng) }
    let y = (0..<n).map { _ in Double.random(in: -2...2, using: &rng) }
    let ls = try FixedPointLeastSquares(x: x, y: y, columns: d, bits: bits, step: 0.25)
    #expect(ls.model.numVariables == d * bits)
    var seen = Set<[Double]>()
    for mask in 0..<(1 << (d * bits)) {
      let b = (0..<(d * bits)).map { Int8((mask >> $0) & 1) }
      let w = ls.decode(b)
      seen.insert(w)
      var loss = 0.0
      for r in 0..<n {
        let z = (0..<d).reduce(0.0) { $0 + x[r * d + $1] * w[$1] } - y[r]
        loss += z * z
      }
      #expect(abs(ls.model.energy(b) - loss) < 1e-9 * max(1, loss))
    }
    // Every assignment is a distinct point of the grid: codes −2^(K−1) … 2^(K−1)−1.
    #expect(seen.count == 1 << (d * bits))
    let codes = Set(
      (0..<(1 << bits)).map { m in
        ls.decode((0..<(d * bits)).map { $0 < bits ? Int8((m >> $0) & 1) : 0 })[0] / 0.25
      })
    #expect(codes == Set((-(1 << (bits - 1))..<(1 << (bits - 1))).map(Double.init)))
  }

  @Test func annealingRecoversAWeightVectorOnTheGrid() throws {
    var rng = Xoshiro256PlusPlus(seed: 11)
    let (n, d, bits, step) = (40, 3, 4, 0.125)
    let truth = [0.5, -0.375, 0.25]
    let x = (0..<(n * d)).map { _ in Double.random(in: -1...1, using: &rng) }
    let y = (0..<n).map { r in (0..<d).reduce(0.0) { $0 + x[r * d + $1] * truth[$1] } }
    let ls = try FixedPointLeastSquares(x: x, y: y, columns: d, bits: bits, step: step)
    let set = try SimulatedAnnealing().sample(ls.model, seed: 3)
    let row = try #require(set.lowestRow)
    let w = ls.decode(Array(set.sample(row)))
    #expect(w == truth)
    #expect(abs(set.energies[row]) < 1e-9)
  }

  @Test func fitDecodesToTheQUBOEnergyAndRefinementNeverHurts() throws {
    var rng = Xoshiro256PlusPlus(seed: 21)
    let (n, d) = (50, 4)
    let truth = [0.83, -0.41, 0.17, -0.66]
    let x = (0..<(n * d)).map { _ in Double.random(in: -1...1, using: &rng) }
    let y = (0..<n).map { r in
      (0..<d).reduce(0.0) { $0 + x[r * d + $1] * truth[$1] }
        + Double.random(in: -0.05...0.05, using: &rng)
    }
    let fit = try FixedPointLeastSquares.fit(
      x: x, y: y, columns: d, bits: 3, maxAbs: 1, sampler: ExactSolver(), seed: 1)
    // The exact optimum over the grid: every code vector, enumerated.
    let step = FixedPointLeastSquares.step(bits: 3, covering: 1)
    var best = Double.infinity
    for mask in 0..<(1 << (3 * d)) {
      let w = (0..<d).map { i in Double(((mask >> (3 * i)) & 7) - 4) * step }
      let loss = (0..<n).reduce(0.0) { acc, r in
        let z = (0..<d).reduce(0.0) { $0 + x[r * d + $1] * w[$1] } - y[r]
        return acc + z * z
      }
      best = min(best, loss)
    }
    #expect(abs(fit.decodedLoss - best) < 1e-9)
    #expect(fit.refinedLoss <= fit.decodedLoss + 1e-12)
    #expect(zip(fit.decoded, truth).allSatisfy { abs($0 - $1) <= step })
  }
}
