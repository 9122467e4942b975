import Dispatch
import QUBOModel

/// When simulated annealing renumbers spins for memory locality.
public enum Reordering: String, Sendable, CaseIterable {
  /// From `SimulatedAnnealing.reorderMinSpins` spins on.
  case auto
  /// Always (reverse Cuthill–McKee, `LocalityOrder`).
  case always
  /// Never.
  case never
}

extension SimulatedAnnealing {
  /// The fewest spins for which `.auto` renumbers. Measured on random
  /// 3-regular ±1 graphs, one thread, per CPU second
  /// (docs/kernels-issue22.md): packed reads ×1.6–3.3 at 10⁶ spins and
  /// ×1.3–1.5 at 10⁵, nothing at 10⁴, single reads unclear at 10⁶.
  public static let reorderMinSpins = 500_000

  /// Whether a run on `n` spins renumbers them.
  func reorders(numSpins n: Int) -> Bool {
    switch parameters.reorder {
    case .auto: return n >= Self.reorderMinSpins
    case .always: return n > 1
    case .never: return false
    }
  }

  /// Samples `problem` in reverse Cuthill–McKee order and maps the rows
  /// back: samples in the caller's numbering, energies recomputed on
  /// `problem` exactly as an unrenumbered run computes them.
  func sampleReordered<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    let started = DispatchTime.now().uptimeNanoseconds
    let order = LocalityOrder(reverseCuthillMcKee: problem)
    var inner = self
    inner.parameters.reorder = .never
    if let states = parameters.initialStates {
      inner.parameters.initialStates = order.toNew(states)
    }
    if let limit = parameters.control.timeLimit {
      inner.parameters.control.timeLimit = TimeBudget.left(of: limit, since: started)
    }
    let set = try inner.sample(order.apply(to: problem), using: &rng)
    let n = problem.numSpins
    let samples = order.toOld(set.samples)
    let buffers = ProblemBuffers(problem)
    let energies: [Double] = samples.withUnsafeBufferPointer { s in
      guard let base = s.baseAddress, n > 0 else { return set.energies }
      return (0..<set.count).map { buffers.energy(base + $0 * n) }
    }
    var info = set.info
    info["reordered"] = .string("rcm")
    return SampleSet(
      variables: Variables(range: n), vartype: .spin, samples: samples, energies: energies,
      occurrences: set.occurrences, info: info)
  }
}
