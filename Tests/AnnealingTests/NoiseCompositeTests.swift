import QUBOModel
@testable import Annealing
import Testing
import _TestSupport

/// Control-error emulation (issue 22): the perturbation's distribution, its
/// scale, read-out errors, and determinism of the composite.
@Suite("Noise composite")
struct NoiseCompositeTests {
  /// n spins with fields 1 and couplings on a ring and its chords.
  static func grid(n: Int) -> IsingProblem {
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    for i in 0..<n {
      model.addLinear(index: i, 1)
      model.addQuadratic(index: i, (i + 1) % n, -1)
      model.addQuadratic(index: i, (i + 7) % n, 0.5)
    }
    return IsingProblem(model)
  }

  /// Counts of `values` in the ten deciles of N(0, 1), tested by χ².
  static func normalDeciles(_ values: [Double]) -> ChiSquare {
    let edges = (1..<10).map { ChiSquare.normalQuantile(Double($0) / 10) }
    var counts = [Int](repeating: 0, count: 10)
    for v in values { counts[edges.firstIndex { v < $0 } ?? 9] += 1 }
    return ChiSquare(observed: counts, probabilities: [Double](repeating: 0.1, count: 10))
  }

  @Test("Errors on h and J are N(0, σ²): moments and χ² over deciles; J stays symmetric")
  func distribution() {
    let problem = Self.grid(n: 4000)
    let noise = ControlNoise(sigmaH: 0.1, sigmaJ: 0.2, relative: false)
    var rng = Xoshiro256PlusPlus(seed: 9, stream: 0)
    let p = noise.perturb(problem, using: &rng)
    let dh = (0..<problem.numSpins).map { (p.h[$0] - problem.h[$0]) / 0.1 }
    var dj: [Double] = []
    for i in 0..<problem.numSpins {
      for k in Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1]) {
        let j = Int(problem.neighbor[k])
        // Every coupling equals its mirror in row j.
        let m = (Int(p.rowStart[j])..<Int(p.rowStart[j + 1])).first { Int(p.neighbor[$0]) == i }
        #expect(m.map { p.coupling[$0] == p.coupling[k] } == true)
        if j > i { dj.append((p.coupling[k] - problem.coupling[k]) / 0.2) }
      }
    }
    #expect(p.offset == problem.offset)
    for (name, z) in [("h", dh), ("J", dj)] {
      let n = Double(z.count)
      let mean = z.reduce(0, +) / n
      let variance = z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
      let fourth = z.map { (x: Double) -> Double in
        let d = (x - mean) * (x - mean)
        return d * d
      }.reduce(0, +)
      let kurtosis = fourth / n / (variance * variance)
      // Standard errors: 1/√n for the mean, √(2/n) for the variance,
      // √(24/n) for the kurtosis; 5 of each.
      #expect(abs(mean) < 5 / n.squareRoot(), "mean of δ\(name)/σ = \(mean)")
      #expect(abs(variance - 1) < 5 * (2 / n).squareRoot(), "variance of δ\(name)/σ = \(variance)")
      #expect(abs(kurtosis - 3) < 5 * (24 / n).squareRoot(), "kurtosis of δ\(name)/σ = \(kurtosis)")
      let chi = Self.normalDeciles(z)
      #expect(chi.passes, "δ\(name): \(chi)")
    }
  }

  @Test("The χ² check sees a wrong σ")
  func distributionCheckHasTeeth() {
    let problem = Self.grid(n: 4000)
    var rng = Xoshiro256PlusPlus(seed: 9, stream: 0)
    let p = ControlNoise(sigmaH: 0.12, relative: false).perturb(problem, using: &rng)
    let dh = (0..<problem.numSpins).map { (p.h[$0] - problem.h[$0]) / 0.1 }
    #expect(!Self.normalDeciles(dh).passes)
  }

  @Test("Relative σ are in the QPU's units: scale max(max|h|/2, max|J|)")
  func relativeScale() {
    let problem = Self.grid(n: 50)
    #expect(ControlNoise(sigmaH: 1, relative: true).scale(for: problem) == 1)
    var model = BinaryQuadraticModel(vartype: .spin, count: 3)
    model.addLinear(index: 0, 10)
    model.addQuadratic(index: 1, 2, 3)
    #expect(ControlNoise(relative: true).scale(for: IsingProblem(model)) == 5)
    #expect(ControlNoise(relative: false).scale(for: IsingProblem(model)) == 1)
  }

  @Test("Read-out flips each bit with the given probability")
  func readout() {
    let noise = ControlNoise(readout: 0.1)
    var rng = Xoshiro256PlusPlus(seed: 3, stream: 1)
    var state = [Int8](repeating: 1, count: 100_000)
    noise.readOut(&state, using: &rng)
    let flipped = Double(state.filter { $0 == -1 }.count)
    // Binomial(10⁵, 0.1): mean 10⁴, sd ≈ 95.
    #expect(abs(flipped - 10_000) < 5 * 95)
    var none = [Int8](repeating: 1, count: 1000)
    ControlNoise().readOut(&none, using: &rng)
    #expect(none.allSatisfy { $0 == 1 })
  }

  @Test("Bad noise settings are errors, not traps")
  func validation() {
    for bad in [
      ControlNoise(sigmaH: -1), ControlNoise(sigmaJ: .nan), ControlNoise(readout: 1.5),
    ] {
      #expect(throws: SamplerError.self) { try bad.validate() }
    }
    #expect(throws: SamplerConfigurationError.self) {
      try SamplerConfiguration(json: try JSONValue(parsing: #"{"noise": {"sigma": 1}}"#))
    }
    #expect(throws: SamplerConfigurationError.self) {
      try SamplerConfiguration(json: try JSONValue(parsing: #"{"noise": {"readout": 2}}"#))
    }
  }

  static func composite(
    threads: Int, noise: ControlNoise, sweeps: Int = 50
  ) -> NoiseComposite<SimulatedAnnealing> {
    var child = SimulatedAnnealing.Parameters()
    child.reads = 1
    child.threads = 1
    child.sweeps = sweeps
    var options = ReadOptions(reads: 7, threads: threads)
    options.control = SamplingControl()
    return NoiseComposite(child: SimulatedAnnealing(child), noise: noise, options: options)
  }

  @Test("Same seed, same samples at any thread count; energies are the unperturbed model's")
  func determinism() throws {
    let problem = IsingProblem(RandomInstances.ising(n: 40, density: 0.2, seed: 6))
    let noise = ControlNoise(sigmaH: 0.05, sigmaJ: 0.05, readout: 0.02)
    var r1 = SplitMix64(seed: 21)
    var r2 = SplitMix64(seed: 21)
    var r3 = SplitMix64(seed: 22)
    let one = try Self.composite(threads: 1, noise: noise).sample(problem, using: &r1)
    let three = try Self.composite(threads: 3, noise: noise).sample(problem, using: &r2)
    let other = try Self.composite(threads: 3, noise: noise).sample(problem, using: &r3)
    #expect(one == three)
    #expect(one.samples != other.samples)
    #expect(one.count == 7)
    for r in 0..<one.count {
      #expect(abs(one.energies[r] - problem.energy(Array(one.sample(r)))) < 1e-9)
    }
    // Through a configuration (what --noise builds), the same holds.
    var c = try SamplerConfiguration(
      json: try JSONValue(
        parsing: #"{"sampler": "sa", "reads": 5, "sweeps": 50, "noise": {"sigma_h": 0.05, "readout": 0.01}}"#))
    c.readOptions.threads = 1
    var ra = SplitMix64(seed: 4)
    let a = try c.sampler.sample(problem, using: &ra)
    c.readOptions.threads = 4
    var rb = SplitMix64(seed: 4)
    let b = try c.sampler.sample(problem, using: &rb)
    #expect(a == b && a.count == 5)
    guard case .object(let echoed)? = { () -> JSONValue? in
      if case .object(let o) = c.json { return o["noise"] } else { return nil }
    }() else {
      Issue.record("the configuration's JSON has no noise object")
      return
    }
    #expect(echoed["sigma_h"] == .double(0.05) && echoed["readout"] == .double(0.01))
  }

  @Test("Noise changes the answers; none leaves a stable problem's ground state alone")
  func noiseMatters() throws {
    let problem = Self.grid(n: 12)
    var rq = SplitMix64(seed: 1)
    let quiet = try Self.composite(threads: 2, noise: ControlNoise(), sweeps: 2000).sample(
      problem, using: &rq)
    let ground = BruteForce.groundEnergy(problem)
    #expect(quiet.energies.allSatisfy { abs($0 - ground) < 1e-9 }, "\(quiet.energies) vs \(ground)")
    var rl = SplitMix64(seed: 1)
    let loud = try Self.composite(threads: 2, noise: ControlNoise(readout: 0.2), sweeps: 2000).sample(
      problem, using: &rl)
    #expect(loud.energies.contains { $0 > ground + 1e-9 })
  }
}
