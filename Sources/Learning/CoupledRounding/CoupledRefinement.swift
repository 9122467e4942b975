import Annealing
import QUBOModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Warm-started annealing of a coupled layer QUBO (issue 19, item 3): the
// per-neuron controls (GPTQ, AdaRound) give a good start that knows nothing
// of the coupling through the next layer; simulated annealing from that
// start, at temperatures that only undo small mistakes, looks for a lower
// block error nearby. The hot end accepts the median uphill flip of the
// start with probability `hotAcceptance` (β_hot = ln(1/p) / median ΔE); the
// cold end is the default cold β. Each read starts from the given state,
// returns the best state it saw, and is then polished by steepest descent;
// the start itself (descended) competes too, so the result is never worse
// than the descended start.

/// Simulated annealing of a coupled layer QUBO from a warm start.
public struct CoupledRefinement: Sendable, Equatable {
  /// Reads, each from the warm start.
  public var reads = 2
  /// Sweeps per read.
  public var sweeps = 300
  /// The acceptance of the start's median uphill flip at the hot end.
  public var hotAcceptance = 0.1

  /// The defaults above.
  public init() {}

  /// The lowest-energy assignment found from `start` (0/1 per variable).
  public func refine(_ q: CoupledLayerQUBO, start: [Int8], seed: UInt64) throws -> [Int8] {
    try refine(q.model, start: start, seed: seed)
  }

  /// The lowest-energy assignment of any QUBO `model` found from `start`
  /// (0/1 per variable); never above the start's energy.
  public func refine(_ model: BinaryQuadraticModel, start: [Int8], seed: UInt64) throws -> [Int8] {
    let problem = IsingProblem(model)
    let n = problem.numSpins
    guard n > 0 else { return [] }
    guard start.count == n else { throw ShapeError("a start of \(start.count) for \(n) variables") }
    var spins = start.map { $0 != 0 ? Int8(1) : -1 }
    _ = SteepestDescent.descend(problem, &spins)
    let descended = spins.map { $0 > 0 ? Int8(1) : 0 }
    var costs = [Double]()
    for i in 0..<n {
      var field = problem.h[i]
      for t in Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1]) {
        field += problem.coupling[t] * Double(spins[Int(problem.neighbor[t])])
      }
      let cost = 2 * Double(spins[i]) * field
      if cost > 0 { costs.append(cost) }
    }
    costs.sort()
    let (range, _) = BetaRange.default(for: problem)
    var parameters = SimulatedAnnealing.Parameters()
    if !costs.isEmpty {
      let hot = log(1 / hotAcceptance) / costs[costs.count / 2]
      parameters.betaRange = BetaRange(hot: min(hot, range.cold), cold: range.cold)
    }
    parameters.sweeps = sweeps
    parameters.readOptions.reads = reads
    parameters.readOptions.initialStates = spins
    let set = try SimulatedAnnealing(parameters).sample(model, seed: seed)
    var best = (bits: descended, energy: model.energy(descended))
    for r in 0..<set.count {
      var s = set.sample(r).map { $0 != 0 ? Int8(1) : -1 }
      _ = SteepestDescent.descend(problem, &s)
      let bits = s.map { $0 > 0 ? Int8(1) : 0 }
      let e = model.energy(bits)
      if e < best.energy { best = (bits, e) }
    }
    return best.bits
  }

  /// Steepest single-flip descent on `model` from `start` (0/1 per
  /// variable), to a local minimum.
  public static func descend(_ model: BinaryQuadraticModel, from start: [Int8]) -> [Int8] {
    guard !start.isEmpty else { return [] }
    var spins = start.map { $0 != 0 ? Int8(1) : -1 }
    _ = SteepestDescent.descend(IsingProblem(model), &spins)
    return spins.map { $0 > 0 ? 1 : 0 }
  }

  /// The assignment of `q` closest to the layer codes `codes`: a weight's
  /// variable is 1 when its code is nearer the upper candidate.
  public static func assignment(_ q: CoupledLayerQUBO, codes: [Int]) -> [Int8] {
    q.free.map { a in Double(codes[a] - q.base[a]) >= Double(q.step) / 2 ? 1 : 0 }
  }
}
