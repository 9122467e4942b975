import Foundation
import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// Colour-class sweeps (eight spins of one class of one read in Float
/// lanes): the colouring and its slot layout, the tracked state against
/// recomputation, Boltzmann statistics at fixed β, agreement with the
/// Double kernel, determinism at any thread count, ground states, the
/// conformance suite, and when `.auto` chooses them.
@Suite struct ColourClassTests {
  static func parameters(
    reads: Int, colour: ColourSweeps = .always
  ) -> SimulatedAnnealing.Parameters {
    var p = SimulatedAnnealing.Parameters()
    p.reads = reads
    p.colourSweeps = colour
    p.threads = 2
    return p
  }

  static func colouredReads(_ set: SampleSet) -> Int? {
    if case .int(let r)? = set.info["coloured_reads"] { return r }
    return nil
  }

  static func gaussian(_ n: Int, _ degree: Int, _ seed: UInt64) -> BinaryQuadraticModel {
    FloatPackedAnnealingTests.gaussian(n: n, degree: degree, seed: seed)
  }

  /// No two coupled spins share a class, every spin has one slot and the
  /// slots map back, classes start at multiples of 8, idle slots are empty
  /// rows, and the slot CSR holds the model's couplings (rows of even
  /// length, padded by a zero coupling to the sink slot).
  @Test(arguments: [(300, 6), (200, 40), (64, 5)])
  func colouringIsProperAndRoundTrips(_ n: Int, _ degree: Int) {
    let problem = IsingProblem(Self.gaussian(n, degree, UInt64(n + degree)))
    let buffers = ProblemBuffers(problem)
    let (colour, count) = ColourLayout.greedyColours(buffers)
    #expect(count <= buffers.maxDegree + 1)
    for i in 0..<n {
      #expect(colour[i] >= 0 && Int(colour[i]) < count)
      for k in Int(buffers.start[i])..<Int(buffers.start[i + 1]) {
        #expect(colour[i] != colour[Int(buffers.neighbor[k])], "spins \(i), \(buffers.neighbor[k])")
      }
    }
    let layout = ColourLayout(buffers)
    #expect(layout.colours == count)
    #expect(layout.classSizes.reduce(0, +) == n)
    #expect(layout.slots % ColourLayout.width == 0)
    for c in 0...layout.colours { #expect(layout.classStart[c] % ColourLayout.width == 0) }
    var seen = Set<Int32>()
    for i in 0..<n {
      let a = Int(layout.slot[i])
      #expect(layout.spin[a] == Int32(i))
      seen.insert(layout.slot[i])
      #expect(layout.h[a] == buffers.h[i])
      var fromLayout: [Int32: Double] = [:]
      #expect((layout.start[a + 1] - layout.start[a]) % 2 == 0)
      for k in Int(layout.start[a])..<Int(layout.start[a + 1]) {
        let b = Int(layout.neighbor[k])
        let word = layout.edge[k]
        #expect(Int(UInt32(truncatingIfNeeded: word)) == b)
        let j = Float(bitPattern: UInt32(truncatingIfNeeded: word >> 32))
        #expect(j == Float(layout.coupling[k]))
        if b == layout.slots {
          #expect(layout.coupling[k] == 0)  // the sink pads odd rows
          continue
        }
        fromLayout[layout.spin[b]] = layout.coupling[k]
      }
      var fromModel: [Int32: Double] = [:]
      for k in Int(buffers.start[i])..<Int(buffers.start[i + 1]) {
        fromModel[buffers.neighbor[k]] = buffers.coupling[k]
      }
      #expect(fromLayout == fromModel, "spin \(i)")
    }
    #expect(seen.count == n)
    for c in 0..<layout.colours {
      let range = layout.classStart[c]..<layout.classStart[c + 1]
      for a in range {
        if layout.spin[a] < 0 {
          #expect(layout.start[a] == layout.start[a + 1])
          continue
        }
        #expect(colour[Int(layout.spin[a])] == Int32(c))
        for k in Int(layout.start[a])..<Int(layout.start[a + 1]) {
          #expect(!range.contains(Int(layout.neighbor[k])), "class \(c) slot \(a)")
        }
      }
    }
  }

  /// After sweeps at several β, the fields and energy are within Float
  /// rounding of a recomputation, and `refresh` makes them exact; idle
  /// slots never flip.
  @Test func trackedStateMatchesRecomputation() throws {
    let problem = IsingProblem(Self.gaussian(150, 6, 4))
    let buffers = ProblemBuffers(problem)
    #expect(buffers.floatPacks)
    let layout = ColourLayout(buffers)
    let n = buffers.n
    var rng = Xoshiro256PlusPlus(seed: 5)
    var system = ColourSystem(layout) { s in
      for i in 0..<n { s[i] = rng.next() & 1 == 0 ? -1 : 1 }
    }
    defer { system.deallocate() }
    let row = UnsafeMutablePointer<Int8>.allocate(capacity: n)
    defer { row.deallocate() }
    var flipped = 0
    for beta in [0.05, 0.5, 3.0] {
      system.prepare(beta: beta)
      for sweep in 0..<6 {
        let before = (0..<n).map { system.s[Int(layout.slot[$0])] }
        if sweep % 2 == 0 {
          system.sweep(MetropolisLanes.self, rng: &rng)
        } else {
          system.sweep(GibbsLanes.self, rng: &rng)
        }
        flipped += (0..<n).filter { system.s[Int(layout.slot[$0])] != before[$0] }.count
      }
      for refreshed in [false, true] {
        if refreshed { system.refresh() }
        system.extract(system.s, to: row)
        let exact = buffers.energy(row)
        #expect(abs(system.energy - exact) < (refreshed ? 1e-9 : 1e-3), "β \(beta)")
        for i in 0..<n {
          var field = buffers.h[i]
          for k in Int(buffers.start[i])..<Int(buffers.start[i + 1]) {
            field += buffers.coupling[k] * Double(row[Int(buffers.neighbor[k])])
          }
          #expect(abs(Double(system.f[Int(layout.slot[i])]) - field) < 1e-4, "β \(beta) spin \(i)")
        }
        for a in 0..<layout.slots where layout.spin[a] < 0 {
          #expect(system.s[a] == -1 && system.f[a] == ColourLayout.idleField)
        }
      }
    }
    #expect(flipped > 0)
  }

  /// Final states at one fixed β are Boltzmann distributed (χ² at
  /// α = 0.001) on real-valued models, every read by colour classes; a β
  /// 20 % off is rejected.
  @Test(arguments: Acceptance.allCases)
  func boltzmannAtFixedBeta(_ acceptance: Acceptance) throws {
    var p = Self.parameters(reads: 29)
    p.acceptance = acceptance
    try expectBoltzmannAtFixedBeta(p) { #expect(Self.colouredReads($0) == 29) }
  }

  /// At a fixed β on a 64-spin Gaussian glass, colour-class reads and the
  /// read-by-read Double kernel agree on the mean energy (five standard
  /// errors) and its spread.
  @Test(arguments: Acceptance.allCases)
  func agreesWithScalarKernel(_ acceptance: Acceptance) throws {
    let model = Self.gaussian(64, 5, 9)
    var stats: [EnergyMoments] = []
    for colour in [ColourSweeps.always, .never] {
      var p = Self.parameters(reads: 1501, colour: colour)
      p.packReads = false
      p.schedule = .constant(beta: 0.9, sweeps: 30)
      p.returnBest = false
      p.acceptance = acceptance
      let set = try SimulatedAnnealing(p).sample(model, seed: 11)
      #expect(Self.colouredReads(set) == (colour == .always ? 1501 : nil))
      stats.append(EnergyMoments(set.energies))
    }
    #expect(stats[0].meanDifferenceInStandardErrors(stats[1]) < 5, "\(stats)")
    #expect(stats[0].varianceMismatch(stats[1]) < 0.25, "\(stats)")
  }

  /// Same seed, same samples at 1, 2 and 7 threads (`.auto`: Float packs
  /// for full groups of eight, colour classes for the rest), with refreshes
  /// inside the run; reported energies equal a recomputation and the best
  /// state is no worse than the final one.
  @Test(arguments: [(1, 0), (2, 0), (5, 0), (6, 8), (10, 8), (13, 8), (14, 16), (19, 16)])
  func sameSamplesAtAnyThreadCount(_ reads: Int, _ packed: Int) throws {
    let model = Self.gaussian(300, 6, 2)
    var sets: [SampleSet] = []
    for t in [1, 2, 7] {
      var p = Self.parameters(reads: reads, colour: .auto)
      p.sweeps = 150
      p.threads = t
      sets.append(try SimulatedAnnealing(p).sample(model, seed: 77))
    }
    let expectedPacked = min(packed, reads)
    #expect(sets[0].info["packed_reads"] == (expectedPacked > 0 ? .int(expectedPacked) : nil))
    #expect(Self.colouredReads(sets[0]) == (reads > expectedPacked ? reads - expectedPacked : nil))
    #expect(sets[0].samples == sets[1].samples && sets[0].samples == sets[2].samples)
    #expect(sets[0].energies == sets[1].energies && sets[0].energies == sets[2].energies)
    #expect(sets[0].info["spin_updates"] == .int(300 * 150 * reads))
    #expect(Set((0..<reads).map { Array(sets[0].sample($0)) }).count == reads)
    for r in 0..<reads {
      let oracle = EnergyOracle.energy(of: sets[0], row: r, in: model)
      #expect(EnergyOracle.agrees(sets[0].energies[r], oracle), "read \(r)")
    }
    var p = Self.parameters(reads: reads, colour: .auto)
    p.sweeps = 150
    p.returnBest = false
    let final = try SimulatedAnnealing(p).sample(model, seed: 77)
    for r in 0..<reads { #expect(sets[0].energies[r] <= final.energies[r] + 1e-9) }
  }

  /// Colour-class reads find the ground states of small real-valued
  /// models, and honour initial states (zero sweeps return them).
  @Test func groundStatesAndInitialStates() throws {
    for seed in UInt64(1)...4 {
      let problem = IsingProblem(RandomInstances.ising(n: 14, density: 0.6, seed: seed))
      var p = Self.parameters(reads: 3)
      p.sweeps = 400
      var rng = SplitMix64(seed: seed)
      let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
      #expect(Self.colouredReads(set) == 3)
      #expect(abs((set.lowestEnergy ?? .infinity) - BruteForce.groundEnergy(problem)) < 1e-9)
    }
    let model = Self.gaussian(40, 4, 6)
    var p = Self.parameters(reads: 2)
    p.sweeps = 0
    let rows: [Int8] = (0..<80).map { $0 % 3 == 0 ? 1 : -1 }
    p.initialStates = rows
    let set = try SimulatedAnnealing(p).sample(model, seed: 3)
    #expect(Self.colouredReads(set) == 2)
    #expect(Array(set.sample(0)) == Array(rows[0..<40]))
    #expect(Array(set.sample(1)) == Array(rows[40..<80]))
  }

  /// The shared sampler conformance suite with every read by colour classes.
  @Test(arguments: Acceptance.allCases)
  func conformance(_ acceptance: Acceptance) {
    let failures = SamplerConformance.check { o in
      var s = SimulatedAnnealingTests.make(o)
      s.parameters.colourSweeps = .always
      s.parameters.acceptance = acceptance
      return s
    }
    #expect(failures.isEmpty, "\(failures)")
  }

  /// `.auto` sweeps by colour classes only for the reads outside packs of
  /// sparse real-valued models that Float resolves, in sequential order;
  /// never for integer, dense or wide-ranged models, random order, or
  /// `.never`.
  @Test func autoRule() throws {
    let model = Self.gaussian(300, 6, 2)
    var p = Self.parameters(reads: 10, colour: .auto)
    p.sweeps = 20
    let set = try SimulatedAnnealing(p).sample(model, seed: 1)
    #expect(Self.colouredReads(set) == 2 && set.info["packed_reads"] == .int(8))
    #expect(set.info["kernel"] == .string("colour_classes"))
    p.colourSweeps = .never
    let never = try SimulatedAnnealing(p).sample(model, seed: 1)
    #expect(Self.colouredReads(never) == nil && never.info["packed_reads"] == .int(8))
    p.colourSweeps = .auto
    p.order = .random
    #expect(Self.colouredReads(try SimulatedAnnealing(p).sample(model, seed: 1)) == nil)
    p.order = .sequential
    let integer = RandomInstances.ising(n: 300, density: 0.02, integer: true, seed: 3)
    #expect(Self.colouredReads(try SimulatedAnnealing(p).sample(integer, seed: 1)) == nil)
    let dense = RandomInstances.ising(n: 60, density: 0.8, seed: 3)
    #expect(Self.colouredReads(try SimulatedAnnealing(p).sample(dense, seed: 1)) == nil)
    p.couplings = .sparse  // CSR, but classes of a dense model are small
    #expect(Self.colouredReads(try SimulatedAnnealing(p).sample(dense, seed: 1)) == nil)
    p.couplings = .auto
    var wide = Self.gaussian(50, 4, 3)
    for i in 0..<50 { wide.addLinear(index: i, i % 2 == 0 ? 3e4 : 1e-3) }
    #expect(Self.colouredReads(try SimulatedAnnealing(p).sample(wide, seed: 1)) == nil)
    p.colourSweeps = .always
    let always = try SimulatedAnnealing(p).sample(model, seed: 1)
    #expect(Self.colouredReads(always) == 10 && always.info["packed_reads"] == nil)
  }
}
