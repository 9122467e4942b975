import Foundation
import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// Exhaustive checks of the cached ΔE of every kernel against brute force:
/// for every state of small models and every spin, the kernel's energy
/// change equals E(flipped) − E(state), and after the flip the running
/// energy equals a recomputation.
@Suite struct KernelDeltaTests {
  static let models: [(BinaryQuadraticModel, Bool)] = [
    (RandomInstances.ising(n: 6, density: 0.7, integer: false, seed: 1), false),
    (RandomInstances.ising(n: 7, density: 0.6, integer: true, seed: 2), true),
    (RandomInstances.ising(n: 5, density: 1, integer: true, fields: false, seed: 3), true),
  ]

  @Test func spinSystemDeltaMatchesBruteForce() {
    for (model, _) in Self.models {
      let problem = IsingProblem(model)
      let buffers = ProblemBuffers(problem)
      let n = problem.numSpins
      let energies = BruteForce.energies(problem)
      for x in 0..<(1 << n) {
        let start = BruteForce.spins(x, n: n)
        for i in 0..<n {
          var system = SpinSystem(buffers, rule: MetropolisRule()) { s in
            for k in 0..<n { s[k] = Double(start[k]) }
          }
          defer { system.deallocate() }
          #expect(abs(system.energy - energies[x]) < 1e-9)
          let dE = system.delta(i)
          let y = x ^ (1 << i)
          #expect(abs(dE - (energies[y] - energies[x])) < 1e-9)
          system.flip(i, dE)
          #expect(abs(system.energy - energies[y]) < 1e-9)
          for j in 0..<n {
            let fresh = problem.localField(j, in: BruteForce.spins(y, n: n))
            #expect(abs(system.f[j] - fresh) < 1e-9)
          }
        }
      }
    }
  }

  @Test func quantizedSystemIsExact() {
    for (model, integer) in Self.models where integer {
      let problem = IsingProblem(model)
      let buffers = ProblemBuffers(problem)
      #expect(buffers.quantum == 1)
      guard let biases = buffers.quantized else {
        Issue.record("an integer model has no quantum")
        continue
      }
      let n = problem.numSpins
      let energies = BruteForce.energies(problem)
      for x in 0..<(1 << n) {
        let start = BruteForce.spins(x, n: n)
        var system = QuantizedSystem(buffers, biases, acceptance: .metropolis) { s in
          for k in 0..<n { s[k] = Double(start[k]) }
        }
        defer { system.deallocate() }
        #expect(system.energy == energies[x])
        // Every flip's ΔE (in units of the quantum, 1 here) and every
        // field after it against brute force; the flip is undone only after
        // the checks, and the fields are checked again once it is.
        for i in 0..<n {
          let k = 0 - Int32(system.s[i]) * system.f[i]
          let y = x ^ (1 << i)
          #expect(2 * Double(k) == energies[y] - energies[x], "state \(x), spin \(i)")
          system.flip(i, k)
          #expect(system.energy == energies[y])
          let flipped = BruteForce.spins(y, n: n)
          for j in 0..<n {
            #expect(
              Double(system.f[j]) == problem.localField(j, in: flipped), "state \(y), field \(j)")
          }
          system.flip(i, 0 - k)
          for j in 0..<n {
            #expect(
              Double(system.f[j]) == problem.localField(j, in: start), "state \(x), field \(j)")
          }
        }
        #expect(system.energy == energies[x])
      }
    }
  }

  @Test func quantumDetection() {
    var m = BinaryQuadraticModel(vartype: .spin, count: 3)
    m.addQuadratic(index: 0, 1, 0.25)
    m.addLinear(index: 2, -1.5)
    #expect(ProblemBuffers(IsingProblem(m)).quantum == 0.25)
    m.addQuadratic(index: 1, 2, 0.1)
    #expect(ProblemBuffers(IsingProblem(m)).quantum == nil)
  }

  @Test func thresholdsAreTheAcceptanceProbabilities() {
    let model = RandomInstances.ising(n: 5, density: 1, integer: true, seed: 9)
    let buffers = ProblemBuffers(IsingProblem(model))
    guard let biases = buffers.quantized else {
      Issue.record("an integer model has no quantum")
      return
    }
    for acceptance in Acceptance.allCases {
      var system = QuantizedSystem(buffers, biases, acceptance: acceptance) { _ in }
      defer { system.deallocate() }
      system.prepare(beta: 0.4)
      for k in -system.bound...system.bound {
        let x = 0.8 * Double(k)
        let expected: Double
        switch acceptance {
        case .metropolis: expected = min(1, exp(-x))
        case .gibbs: expected = 1 / (1 + exp(x))
        }
        let got = Double(system.threshold[k + system.bound]) * 0x1p-53
        #expect(abs(got - expected) < 1e-15)
      }
    }
  }

  @Test func localSearchGainsMatchBruteForce() {
    for (model, _) in Self.models {
      let problem = IsingProblem(model)
      let buffers = ProblemBuffers(problem)
      let n = problem.numSpins
      let energies = BruteForce.energies(problem)
      for x in 0..<(1 << n) {
        let start = BruteForce.spins(x, n: n)
        var local = LocalSearch(buffers) { s in for k in 0..<n { s[k] = Double(start[k]) } }
        defer { local.deallocate() }
        for i in 0..<n {
          let y = x ^ (1 << i)
          #expect(abs(local.gain[i] - (energies[x] - energies[y])) < 1e-9)
        }
        local.flip(n - 1)
        let y = x ^ (1 << (n - 1))
        #expect(abs(local.energy - energies[y]) < 1e-9)
        for i in 0..<n {
          #expect(abs(local.gain[i] - (energies[y] - energies[y ^ (1 << i)])) < 1e-9)
        }
      }
    }
  }
}
