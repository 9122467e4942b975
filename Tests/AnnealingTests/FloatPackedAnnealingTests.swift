import Foundation
import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// Float packs (eight reads of a real-valued model in SIMD lanes): the
/// vector exponential, the tracked state against recomputation, Boltzmann
/// statistics at fixed β, agreement with the read-by-read Double kernel,
/// determinism at any thread count, and the fallback where Float cannot
/// resolve a model's gaps.
@Suite struct FloatPackedAnnealingTests {
  static func parameters(reads: Int, packed: Bool = true) -> SimulatedAnnealing.Parameters {
    var p = SimulatedAnnealing.Parameters()
    p.reads = reads
    p.packReads = packed
    if !packed { p.colourSweeps = .never }  // the Double kernel, read by read
    p.threads = 2
    return p
  }

  static func lanes(_ set: SampleSet) -> Int? {
    if case .int(let l)? = set.info["lanes"] { return l }
    return nil
  }

  /// A sparse glass with N(0, 1)-like fields and couplings (Box–Muller).
  static func gaussian(n: Int, degree: Int, seed: UInt64) -> BinaryQuadraticModel {
    var rng = SplitMix64(seed: seed)
    func normal() -> Double {
      let u = (Double(rng.next() >> 11) + 1) * 0x1p-53
      let v = Double(rng.next() >> 11) * 0x1p-53
      return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    for i in 0..<n { model.addLinear(index: i, normal()) }
    for _ in 0..<(n * degree / 2) {
      let i = Int(rng.next() % UInt64(n))
      let j = Int(rng.next() % UInt64(n))
      if i != j { model.addQuadratic(index: i, j, normal()) }
    }
    return model
  }

  /// e^{−x} within (3 + x)·10⁻⁷ relative on [0, 40] (the polynomial's
  /// 2.2·10⁻⁷ plus the Float rounding of x·log₂e, which grows with x), and
  /// 1 at 0 up to one ulp.
  @Test func exponentialIsAccurate() {
    var worst = 0.0
    var x = 0.0
    while x <= 40 {
      var lanes = FloatLanes(repeating: 0)
      for l in 0..<8 { lanes[l] = Float(x + Double(l) * 0.000_61) }
      let p = FloatPackedSystem.expNegative(lanes)
      for l in 0..<8 {
        let exact = exp(-Double(lanes[l]))
        worst = max(worst, abs(Double(p[l]) / exact - 1) / (3 + Double(lanes[l])))
      }
      x += 0.0049
    }
    #expect(worst < 1e-7, "worst relative error / (3 + x): \(worst)")
    #expect(FloatPackedSystem.expNegative(FloatLanes(repeating: 0))[0] >= 0.999_999_9)
  }

  /// After sweeps at several β, each lane's fields and energy are within
  /// Float rounding of a recomputation, and `refresh` makes them exact.
  @Test func trackedStateMatchesRecomputation() throws {
    let problem = IsingProblem(Self.gaussian(n: 120, degree: 6, seed: 4))
    let buffers = ProblemBuffers(problem)
    #expect(buffers.floatPacks)
    let n = buffers.n
    var rng = Xoshiro256PlusPlus(seed: 5)
    var system = FloatPackedSystem(buffers) { _, s in
      for i in 0..<n { s[i] = rng.next() & 1 == 0 ? -1 : 1 }
    }
    defer { system.deallocate() }
    let row = UnsafeMutablePointer<Int8>.allocate(capacity: n)
    defer { row.deallocate() }
    var flipped = 0
    for beta in [0.05, 0.5, 3.0] {
      system.prepare(beta: beta)
      for sweep in 0..<6 {
        let before = (0..<n).map { system.s[$0] }
        if sweep % 2 == 0 {
          system.sweep(MetropolisLanes.self, PackedBranchFree.self, rng: &rng)
        } else {
          system.sweep(GibbsLanes.self, PackedSkipping.self, rng: &rng)
        }
        flipped += (0..<n).filter { system.s[$0] != before[$0] }.count
      }
      for refreshed in [false, true] {
        if refreshed { system.refresh() }
        for lane in 0..<FloatPackedSystem.lanes {
          system.extract(system.s, lane: lane, to: row)
          let exact = buffers.energy(row)
          let tolerance = refreshed ? 1e-9 : 1e-3
          #expect(abs(system.energy[lane] - exact) < tolerance, "β \(beta) lane \(lane)")
          for i in 0..<n {
            var field = buffers.h[i]
            for k in Int(buffers.start[i])..<Int(buffers.start[i + 1]) {
              field += buffers.coupling[k] * Double(row[Int(buffers.neighbor[k])])
            }
            #expect(abs(Double(system.f[i][lane]) - field) < 1e-4, "β \(beta) spin \(i)")
          }
        }
      }
    }
    #expect(flipped > 0)
  }

  /// Final states at one fixed β are Boltzmann distributed (χ² at
  /// α = 0.001) on real-valued models: 276 runs of 29 reads (four Float
  /// packs, the last with five reads); a β 20 % off is rejected.
  @Test(arguments: Acceptance.allCases)
  func boltzmannAtFixedBeta(_ acceptance: Acceptance) throws {
    var p = Self.parameters(reads: 29)
    p.couplings = .sparse  // dense models run read by read otherwise
    p.acceptance = acceptance
    try expectBoltzmannAtFixedBeta(p) { set in
      #expect(Self.lanes(set) == 8)
      #expect(set.info["packed_reads"] == .int(29))
    }
  }

  /// At a fixed β on a 64-spin Gaussian glass, Float packs and the
  /// read-by-read Double kernel agree on the mean energy (five standard
  /// errors) and its spread.
  @Test(arguments: Acceptance.allCases)
  func agreesWithScalarKernel(_ acceptance: Acceptance) throws {
    let model = Self.gaussian(n: 64, degree: 5, seed: 9)
    var stats: [EnergyMoments] = []
    for packed in [true, false] {
      var p = Self.parameters(reads: 1501, packed: packed)
      p.schedule = .constant(beta: 0.9, sweeps: 30)
      p.returnBest = false
      p.acceptance = acceptance
      let set = try SimulatedAnnealing(p).sample(model, seed: 11)
      #expect(Self.lanes(set) == (packed ? 8 : nil))
      stats.append(EnergyMoments(set.energies))
    }
    #expect(stats[0].meanDifferenceInStandardErrors(stats[1]) < 5, "\(stats)")
    #expect(stats[0].varianceMismatch(stats[1]) < 0.25, "\(stats)")
  }

  /// Same seed, same samples at 1, 2 and 7 threads, with refreshes inside
  /// the run; reported energies equal a recomputation, lanes differ, and
  /// the best state is no worse than the final one.
  @Test(arguments: [(21, 16), (22, 22), (9, 8), (10, 8), (11, 8), (13, 8), (18, 16), (40, 40)])
  func sameSamplesAtAnyThreadCount(_ reads: Int, _ packed: Int) throws {
    let model = Self.gaussian(n: 300, degree: 6, seed: 2)
    var sets: [SampleSet] = []
    for t in [1, 2, 7] {
      var p = Self.parameters(reads: reads)
      p.sweeps = 150
      p.threads = t
      sets.append(try SimulatedAnnealing(p).sample(model, seed: 77))
    }
    #expect(Self.lanes(sets[0]) == 8)
    #expect(sets[0].info["packed_reads"] == .int(packed))
    #expect(sets[0].samples == sets[1].samples && sets[0].samples == sets[2].samples)
    #expect(sets[0].energies == sets[1].energies && sets[0].energies == sets[2].energies)
    #expect(sets[0].info["spin_updates"] == .int(300 * 150 * reads))
    let rows = (0..<reads).map { Array(sets[0].sample($0)) }
    #expect(Set(rows).count == reads)
    for r in 0..<reads {
      let oracle = EnergyOracle.energy(of: sets[0], row: r, in: model)
      #expect(EnergyOracle.agrees(sets[0].energies[r], oracle), "read \(r)")
    }
    var p = Self.parameters(reads: reads)
    p.sweeps = 150
    p.returnBest = false
    let final = try SimulatedAnnealing(p).sample(model, seed: 77)
    for r in 0..<reads { #expect(sets[0].energies[r] <= final.energies[r] + 1e-9) }
  }

  /// Packs find the ground states of small real-valued models.
  @Test func groundStates() throws {
    for seed in UInt64(1)...4 {
      let problem = IsingProblem(RandomInstances.ising(n: 14, density: 0.6, seed: seed))
      var p = Self.parameters(reads: 5)
      p.couplings = .sparse
      p.sweeps = 400
      var rng = SplitMix64(seed: seed)
      let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
      #expect(Self.lanes(set) == 8)
      #expect(abs((set.lowestEnergy ?? .infinity) - BruteForce.groundEnergy(problem)) < 1e-9)
    }
  }

  /// Models Float cannot resolve (a gap 10⁻⁶ of the largest field), random
  /// order, dense rows asked for, and integer models keep their kernels.
  @Test func fallbacks() throws {
    var wide = Self.gaussian(n: 50, degree: 4, seed: 3)
    for i in 0..<50 { wide.addLinear(index: i, i % 2 == 0 ? 3e4 : 1e-3) }
    var p = Self.parameters(reads: 16)
    p.sweeps = 20
    #expect(Self.lanes(try SimulatedAnnealing(p).sample(wide, seed: 1)) == nil)
    let model = Self.gaussian(n: 50, degree: 4, seed: 3)
    p.order = .random
    #expect(Self.lanes(try SimulatedAnnealing(p).sample(model, seed: 1)) == nil)
    p.order = .sequential
    p.couplings = .dense
    #expect(Self.lanes(try SimulatedAnnealing(p).sample(model, seed: 1)) == nil)
    p.couplings = .auto
    #expect(Self.lanes(try SimulatedAnnealing(p).sample(model, seed: 1)) == 8)
    p.reads = 40
    #expect(Self.lanes(try SimulatedAnnealing(p).sample(model, seed: 1)) == 8)
  }
}
