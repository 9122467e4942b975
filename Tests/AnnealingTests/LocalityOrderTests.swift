import QUBOModel
@testable import Annealing
import Testing
import _TestSupport

/// Renumbering spins for locality (issue 22): a permutation that keeps
/// energies, and SA that hands rows back in the caller's numbering.
@Suite("Locality order")
struct LocalityOrderTests {
  @Test("Reverse Cuthill–McKee gives a shuffled path bandwidth 1")
  func pathBandwidth() {
    var rng = SplitMix64(seed: 3)
    var labels = Array(0..<200)
    labels.shuffle(using: &rng)
    var model = BinaryQuadraticModel(vartype: .spin, count: 200)
    for k in 0..<199 { model.addQuadratic(index: labels[k], labels[k + 1], k % 3 == 0 ? 1 : -1) }
    let problem = IsingProblem(model)
    let order = LocalityOrder(reverseCuthillMcKee: problem)
    #expect(Set(order.old.map(Int.init)) == Set(0..<200))
    let p = order.apply(to: problem)
    var bandwidth = 0
    for a in 0..<200 {
      for k in Int(p.rowStart[a])..<Int(p.rowStart[a + 1]) {
        bandwidth = max(bandwidth, abs(Int(p.neighbor[k]) - a))
      }
    }
    #expect(bandwidth == 1)
  }

  @Test("The renumbered problem has the same energies, and maps round-trip")
  func energiesKept() {
    let problem = IsingProblem(RandomInstances.ising(n: 60, density: 0.1, seed: 8))
    let order = LocalityOrder(reverseCuthillMcKee: problem)
    let p = order.apply(to: problem)
    var rng = SplitMix64(seed: 2)
    for _ in 0..<20 {
      let state = (0..<60).map { _ in rng.next() & 1 == 0 ? Int8(-1) : 1 }
      let renumbered = order.toNew(state)
      #expect(order.toOld(renumbered) == state)
      #expect(abs(p.energy(renumbered) - problem.energy(state)) < 1e-9)
    }
    // Rows sorted and symmetric, as IsingProblem requires.
    for a in 0..<60 {
      let row = p.neighbor[Int(p.rowStart[a])..<Int(p.rowStart[a + 1])]
      #expect(row.sorted() == Array(row))
    }
  }

  @Test("SA with renumbering: caller's order, exact energies, initial states, any thread count")
  func annealing() throws {
    let model = RandomInstances.sparseSpinGlass(n: 300, degree: 3, seed: 5)
    let problem = IsingProblem(model)
    var p = SimulatedAnnealing.Parameters()
    p.reorder = .always
    p.reads = 6
    p.sweeps = 200
    p.threads = 1
    var r1 = SplitMix64(seed: 9)
    let one = try SimulatedAnnealing(p).sample(problem, using: &r1)
    p.threads = 3
    var r2 = SplitMix64(seed: 9)
    let three = try SimulatedAnnealing(p).sample(problem, using: &r2)
    #expect(one == three)
    #expect(one.info["reordered"] == .string("rcm"))
    let buffers = ProblemBuffers(problem)
    for r in 0..<one.count {
      let row = Array(one.sample(r))
      let energy = row.withUnsafeBufferPointer { b in b.baseAddress.map { buffers.energy($0) } }
      #expect(energy == one.energies[r])
    }
    // Zero sweeps return the initial states unchanged, in the caller's order.
    var starts: [Int8] = []
    var rng = SplitMix64(seed: 4)
    for _ in 0..<(2 * 300) { starts.append(rng.next() & 1 == 0 ? -1 : 1) }
    p.sweeps = 0
    p.reads = 2
    p.initialStates = starts
    var r3 = SplitMix64(seed: 1)
    let kept = try SimulatedAnnealing(p).sample(problem, using: &r3)
    #expect(kept.samples == starts)
    // Auto leaves small models alone.
    p.reorder = .auto
    var r4 = SplitMix64(seed: 1)
    #expect(try SimulatedAnnealing(p).sample(problem, using: &r4).info["reordered"] == nil)
  }
}
