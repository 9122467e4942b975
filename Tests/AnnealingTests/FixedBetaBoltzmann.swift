import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// The fixed-β Boltzmann check the real-valued SA kernels share (Float
/// packs, colour classes): 276 runs of `parameters` on a 5- and a 6-spin
/// real-valued glass at β = 1.1 for 100 sweeps, final states counted (not
/// each read's best). Their frequencies pass χ² at α = 0.001 against
/// Boltzmann's and fail it against a β 20 % off; `check` asserts, on every
/// run, that the kernel under test ran.
func expectBoltzmannAtFixedBeta(
  _ parameters: SimulatedAnnealing.Parameters, check: (SampleSet) -> Void
) throws {
  for (n, seed) in [(5, UInt64(3)), (6, 4)] {
    let problem = IsingProblem(RandomInstances.ising(n: n, density: 0.8, seed: seed))
    let beta = 1.1
    var p = parameters
    p.schedule = .constant(beta: beta, sweeps: 100)
    p.returnBest = false
    var rng = SplitMix64(seed: 7 + seed)
    var counts = [Int](repeating: 0, count: 1 << n)
    for _ in 0..<276 {
      let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
      check(set)
      for r in 0..<set.count { counts[BruteForce.index(set.sample(r))] += 1 }
    }
    let test = ChiSquare(
      observed: counts, probabilities: BruteForce.boltzmann(problem, beta: beta))
    #expect(test.passes, "n=\(n) \(p.acceptance): \(test)")
    let wrong = ChiSquare(
      observed: counts, probabilities: BruteForce.boltzmann(problem, beta: 0.8 * beta))
    #expect(!wrong.passes, "n=\(n) \(p.acceptance): a 20 % wrong β is not rejected")
  }
}
