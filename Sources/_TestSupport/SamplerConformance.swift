import Annealing
import Dispatch
import QUBOModel

// One conformance suite for every `Sampler` (after dimod's
// `testing/sampler.py`): a sampler is made by a factory from the options of
// each check, so the suite is generic over any sampler and its parameters.
//
// Usage, in a Swift Testing test:
//
//     @Test func conformance() {
//       let failures = SamplerConformance.check { options in
//         var p = MySampler.Parameters()
//         p.readOptions = options.readOptions
//         if options.work == .none { p.sweeps = 0 }
//         if options.work == .unbounded { p.sweeps = 1 << 40 }
//         return MySampler(p)
//       }
//       #expect(failures.isEmpty, "\(failures)")
//     }
//
// Capabilities a sampler lacks (exact enumeration has no initial states or
// time limit) are switched off in `SamplerConformance.Capabilities`.

/// What a conformance check asks the factory for.
public struct ConformanceOptions: Sendable {
  /// How much work the sampler should do.
  public enum Work: Sendable, Equatable {
    /// The sampler's usual effort for a small problem (≈100 sweeps is plenty).
    case normal
    /// No moves at all: each read returns its initial state.
    case none
    /// Far more than the time limit allows (the time limit must stop it).
    case unbounded
  }

  /// Reads to run.
  public var reads: Int
  /// Worker threads.
  public var threads: Int
  /// A time limit, when the check sets one.
  public var timeLimit: Double?
  /// Initial spin states (row-major, spin form), when the check gives some.
  public var initialStates: [Int8]?
  /// How much work to do.
  public var work: Work

  /// The shared read options these ask for: reads, threads, the time limit
  /// and the initial states, for a factory to set as `readOptions` (each
  /// sampler's `Parameters` embeds one).
  public var readOptions: ReadOptions {
    var o = ReadOptions(reads: reads, threads: threads)
    o.control.timeLimit = timeLimit
    o.initialStates = initialStates
    return o
  }
}

/// The shared sampler conformance suite.
public enum SamplerConformance {
  /// What the sampler under test supports.
  public struct Capabilities: Sendable {
    /// Honours `initialStates` (and `.none` work returns them unchanged).
    public var initialStates = true
    /// Honours `timeLimit` and `.unbounded` work.
    public var timeLimit = true
    /// Runs reads on several threads (results must not depend on it).
    public var threads = true
    /// Returns exactly `reads` rows.
    public var rowsEqualReads = true
    /// The documented defaults.
    public init() {}
  }

  /// Runs every check; returns a description of each failure (empty: pass).
  public static func check<S: Sampler>(
    capabilities: Capabilities = Capabilities(),
    _ make: (ConformanceOptions) -> S
  ) -> [String] {
    var failures: [String] = []
    func fail(_ s: String) { failures.append(s) }
    func options(
      reads: Int = 6, threads: Int = 1, timeLimit: Double? = nil,
      initial: [Int8]? = nil, work: ConformanceOptions.Work = .normal
    ) -> ConformanceOptions {
      ConformanceOptions(
        reads: reads, threads: threads, timeLimit: timeLimit, initialStates: initial, work: work)
    }
    func run(_ o: ConformanceOptions, _ model: BinaryQuadraticModel, seed: UInt64) -> SampleSet? {
      do {
        return try make(o).sample(model, seed: seed)
      } catch {
        fail("sampling threw: \(error)")
        return nil
      }
    }
    // The model path against the dense path with the same seed: the rows
    // must be the dense rows in the model's vartype, and the energies the
    // sampler reported on the dense path must equal the model's energy of
    // each row. (The model path recomputes its energies from the model, so
    // comparing those with `model.energy` again could not fail.)
    func checkModelPath(_ model: BinaryQuadraticModel, seed: UInt64, _ name: String) {
      guard let set = run(options(), model, seed: seed) else { return }
      let dense: SampleSet
      do {
        var rng = SplitMix64(seed: seed)
        dense = try make(options()).sample(IsingProblem(model), using: &rng)
      } catch {
        fail("sampling the \(name) as a problem threw: \(error)")
        return
      }
      guard set.count == dense.count else {
        fail("\(name): \(set.count) rows from the model, \(dense.count) from its problem")
        return
      }
      for r in 0..<set.count {
        let row = set.sample(r)
        let spins = row.lazy.map { model.vartype == .binary ? 2 * $0 - 1 : $0 }
        guard spins.elementsEqual(dense.sample(r)) else {
          fail("\(name) row \(r) is not the problem's row \(r) of the same seed")
          return
        }
        let e = model.energy(row)
        if abs(e - dense.energies[r]) > 1e-9 * max(1, abs(e)) {
          fail("\(name) row \(r): the sampler reported \(dense.energies[r]), the model gives \(e)")
        }
      }
    }

    // 1. Energies the sampler reports equal the oracle's, recomputed from
    //    the model's labels and biases (`EnergyOracle`), on the dense
    //    problem and through the model (real-valued and integer biases).
    for integer in [false, true] {
      let model = RandomInstances.ising(n: 12, density: 0.5, integer: integer, seed: 11)
      let problem = IsingProblem(model)
      do {
        var rng = SplitMix64(seed: 3)
        let dense = try make(options()).sample(problem, using: &rng)
        for r in 0..<dense.count {
          let e = EnergyOracle.energy(of: dense, row: r, in: model)
          if !EnergyOracle.agrees(dense.energies[r], e) {
            fail("problem row \(r): reported \(dense.energies[r]), the oracle gives \(e)")
          }
          if dense.sample(r).contains(where: { $0 != 1 && $0 != -1 }) {
            fail("problem row \(r) holds a value that is not a spin")
          }
        }
        if capabilities.rowsEqualReads && dense.count != 6 {
          fail("asked for 6 reads, got \(dense.count) rows")
        }
        guard case .int(let updates)? = dense.info["spin_updates"], updates >= 0 else {
          fail("info[\"spin_updates\"] missing or not a non-negative integer")
          continue
        }
      } catch {
        fail("sampling the problem threw: \(error)")
      }
      checkModelPath(model, seed: 5, integer ? "integer model" : "real-valued model")
    }

    // 2. Labels and vartype survive: a string-labelled QUBO.
    let qubo = RandomInstances.labelledQUBO(n: 9, seed: 17)
    if let set = run(options(), qubo, seed: 9) {
      if set.variables != qubo.variables { fail("labels changed: \(set.variables.allLabels)") }
      if set.vartype != .binary { fail("vartype changed to \(set.vartype)") }
      if set.samples.contains(where: { $0 != 0 && $0 != 1 }) {
        fail("binary sample outside {0, 1}")
      }
    }
    checkModelPath(qubo, seed: 9, "QUBO")

    // 3. Seeds reproduce bit-identically; 4. thread counts do not matter.
    let medium = RandomInstances.ising(n: 20, density: 0.3, seed: 23)
    let reference = run(options(reads: 9), medium, seed: 42)
    if let reference {
      if let again = run(options(reads: 9), medium, seed: 42),
        again.samples != reference.samples || again.energies != reference.energies
      {
        fail("the same seed gave different samples")
      }
      if capabilities.threads {
        for t in [2, 7] {
          if let other = run(options(reads: 9, threads: t), medium, seed: 42),
            other.samples != reference.samples || other.energies != reference.energies
          {
            fail("\(t) threads gave samples different from 1 thread")
          }
        }
      }
    }

    // 5. Initial states are honoured and not mutated.
    if capabilities.initialStates {
      let problem = IsingProblem(medium)
      var initial: [Int8] = []
      var rng = SplitMix64(seed: 77)
      for _ in 0..<3 {
        var row = (0..<problem.numSpins).map { _ in rng.next() & 1 == 0 ? Int8(-1) : 1 }
        _ = SteepestDescent.descend(problem, &row)
        initial.append(contentsOf: row)
      }
      let copy = initial
      if let set = run(options(reads: 5, initial: initial, work: .none), medium, seed: 1) {
        if initial != copy { fail("the caller's initial states were mutated") }
        let n = problem.numSpins
        for r in 0..<set.count {
          let expected = initial[((r % 3) * n)..<((r % 3 + 1) * n)]
          if !set.sample(r).elementsEqual(expected) {
            fail("read \(r) with no work did not return its initial state (row \(r % 3))")
            break
          }
        }
      }
      if let set = run(options(reads: 5, initial: initial), medium, seed: 1) {
        let n = problem.numSpins
        for r in 0..<set.count {
          let start = problem.energy(initial[((r % 3) * n)..<((r % 3 + 1) * n)])
          if set.energies[r] > start + 1e-9 {
            fail("read \(r) ended above the energy of its initial state")
            break
          }
        }
      }
      do {
        var bad = options(initial: [1, -1, 1])
        bad.reads = 2
        _ = try make(bad).sample(medium, seed: 1)
        fail("initial states of the wrong length were accepted")
      } catch {}
    }

    // 6. Time limits hold and still return samples.
    if capabilities.timeLimit {
      let big = RandomInstances.sparseSpinGlass(n: 20_000, degree: 6, seed: 5)
      let t0 = DispatchTime.now().uptimeNanoseconds
      let set = run(options(reads: 4, threads: 2, timeLimit: 0.2, work: .unbounded), big, seed: 3)
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
      // Unbounded work would run for hours, so any bound catches a sampler
      // that ignores the limit. The bound is loose (5× the limit) because
      // the test suites run in parallel on small CI machines, where a
      // 0.2 s limit was seen to end after 0.77 s of wall clock; how tightly
      // a kernel meets its limit is a benchmark question, not a test's.
      // The rest of the total budget covers freezing the model and
      // recomputing energies. Reads cut by the limit are then polished by
      // descent for up to 0.25 s more (ReadRun), and in a debug build on a
      // busy machine setting up a 20k-spin kernel can take the whole 0.2 s,
      // so that polishing starts from a random state: hence 2 s.
      if let set {
        if case .double(let s)? = set.info["sample_seconds"] {
          if s > 2.0 { fail("a 0.2 s time limit took \(s) s of sampling") }
        } else {
          fail("info[\"sample_seconds\"] missing or not a number")
        }
      }
      if seconds > 5 { fail("a 0.2 s time limit took \(seconds) s in all") }
      if let set, set.count < 1 { fail("a time-limited run returned no sample") }
    }
    return failures
  }
}
