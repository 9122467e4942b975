import QUBOModel

// Exhaustive enumeration in Gray-code order.
//
// Consecutive Gray codes differ in one bit (the lowest set bit of the step
// counter), so each of the 2^n states costs one spin flip: O(degree) to
// update the cached local fields, O(1) for the energy. The whole run is
// O(2^n · mean degree) time and O(n) memory beyond what is kept.

/// Enumerates every spin state: the reference oracle for small models.
///
/// Keeps either every state (n ≤ `maxAllStates`) or the lowest `keepLowest`
/// states. Refuses models of more than 30 variables.
///
/// Of the shared read options it honours the time limit and cancellation:
/// a stopped enumeration returns the lowest states seen so far, with
/// `info["complete"] = false` and a warning. Enumeration runs on one
/// thread; `reads` and `initialStates` do not apply.
public struct ExactSolver: Sampler {
  /// The largest model the solver accepts.
  public static let maxVariables = 30
  /// The largest model whose full state list is returned.
  public static let maxAllStates = 20

  /// The parameters of a run.
  public struct Parameters: ReadConfigurable {
    /// The time limit, cancellation and progress (in `control`).
    public var readOptions = ReadOptions()
    /// When set, keep only this many lowest-energy states (ties broken by
    /// enumeration order); when `nil`, return all `2^n` states.
    public var keepLowest: Int?
    /// The documented defaults.
    public init() {}
  }

  /// The parameters used by `sample`.
  public var parameters: Parameters

  /// A solver that runs with `parameters`.
  public init(_ parameters: Parameters) {
    self.parameters = parameters
  }

  /// A solver keeping the `keepLowest` lowest states (all when `nil`).
  public init(keepLowest: Int? = nil) {
    parameters = Parameters()
    parameters.keepLowest = keepLowest
  }

  /// How many lowest states are kept (`nil`: all).
  public var keepLowest: Int? {
    get { parameters.keepLowest }
    set { parameters.keepLowest = newValue }
  }

  /// Steps between two polls of the stop condition.
  static let checkInterval: UInt64 = 1 << 16

  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    let n = problem.numSpins
    guard n <= ExactSolver.maxVariables else {
      throw SamplerError(
        "the exact solver enumerates 2^n states and accepts at most "
          + "\(ExactSolver.maxVariables) variables; this model has \(n). "
          + "Use a heuristic sampler (sa, pt, tabu) instead.")
    }
    if keepLowest == nil && n > ExactSolver.maxAllStates {
      throw SamplerError(
        "listing all 2^\(n) states is too large; keep only the lowest "
          + "(ExactSolver(keepLowest: k)) for models of more than "
          + "\(ExactSolver.maxAllStates) variables")
    }
    if let k = keepLowest, k < 1 { throw SamplerError("keepLowest must be at least 1") }
    let control = parameters.control
    control.progress?.setTotal(1)
    let stop = control.start()
    var s = [Int8](repeating: -1, count: n)
    var f = (0..<n).map { problem.localField($0, in: s) }
    var energy = problem.energy(s)
    var keeper = LowestKeeper(capacity: keepLowest ?? Int.max, numSpins: n)
    keeper.offer(energy: energy, state: s)
    let total: UInt64 = 1 << UInt64(n)
    var step: UInt64 = 1
    while step < total {
      if step % Self.checkInterval == 0 && stop.shouldStop { break }
      let i = step.trailingZeroBitCount
      let dE = -2 * Double(s[i]) * f[i]
      s[i] = -s[i]
      energy += dE
      let d = 2 * Double(s[i])
      for k in Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1]) {
        f[Int(problem.neighbor[k])] += d * problem.coupling[k]
      }
      keeper.offer(energy: energy, state: s)
      step += 1
    }
    let (rows, _) = keeper.sortedRows()
    var samples: [Int8] = []
    var energies: [Double] = []
    for row in rows {
      samples.append(contentsOf: row.state)
      energies.append(problem.energy(row.state))
    }
    control.progress?.increment()
    var info: [String: JSONValue] = [
      "sampler": .string("exact"), "spin_updates": .int(Int(step) - 1),
      "complete": .bool(step == total),
    ]
    if step < total {
      info["warnings"] = .array([
        .string(
          "enumeration stopped after \(step) of 2^\(n) states (time limit or "
            + "cancellation): the states returned are the lowest seen, not proven lowest")
      ])
    }
    return SampleSet(
      variables: Variables(range: n), vartype: .spin, samples: samples,
      energies: energies, info: info)
  }
}

/// Keeps the `capacity` lowest-energy states offered, as a max-heap.
struct LowestKeeper {
  struct Row {
    var energy: Double
    var order: Int
    var state: [Int8]
  }
  let capacity: Int
  let numSpins: Int
  var heap: [Row] = []
  var counter = 0

  init(capacity: Int, numSpins: Int) {
    self.capacity = capacity
    self.numSpins = numSpins
  }

  static func worse(_ a: Row, _ b: Row) -> Bool { (a.energy, a.order) > (b.energy, b.order) }

  mutating func offer(energy: Double, state: [Int8]) {
    defer { counter += 1 }
    if heap.count < capacity {
      heap.append(Row(energy: energy, order: counter, state: state))
      var c = heap.count - 1
      while c > 0 {
        let p = (c - 1) / 2
        if LowestKeeper.worse(heap[c], heap[p]) {
          heap.swapAt(c, p)
          c = p
        } else {
          break
        }
      }
      return
    }
    guard energy < heap[0].energy else { return }
    heap[0] = Row(energy: energy, order: counter, state: state)
    var p = 0
    while true {
      let l = 2 * p + 1
      let r = l + 1
      var m = p
      if l < heap.count && LowestKeeper.worse(heap[l], heap[m]) { m = l }
      if r < heap.count && LowestKeeper.worse(heap[r], heap[m]) { m = r }
      if m == p { break }
      heap.swapAt(p, m)
      p = m
    }
  }

  func sortedRows() -> ([Row], Int) {
    (heap.sorted { ($0.energy, $0.order) < ($1.energy, $1.order) }, counter)
  }
}
