import Annealing
import QUBOModel

/// Proposes configurations for a study: given the search space and every
/// trial so far, returns index tuples (`SearchSpace` order).
public protocol TuningSampler: Sendable {
  /// Up to `count` distinct configurations to evaluate next.
  ///
  /// - Parameters:
  ///   - trials: every trial of the study, running ones included (their
  ///     configurations must not be proposed again while unseen ones exist).
  ///   - seed: this call's seed; the same inputs and seed give the same
  ///     proposals.
  func propose(
    space: SearchSpace, trials: [FrozenTrial], direction: Direction, count: Int, seed: UInt64
  ) throws -> [[Int]]

  /// Whether the sampler has nothing left to propose (a finished grid).
  func isExhausted(space: SearchSpace, trials: [FrozenTrial]) -> Bool

  /// Like `propose`, with notes on each proposal that `Study.ask` keeps in
  /// the trial's user attributes (for example the model's prediction, for
  /// diagnosis). The default has no notes.
  func proposeWithNotes(
    space: SearchSpace, trials: [FrozenTrial], direction: Direction, count: Int, seed: UInt64
  ) throws -> [(configuration: [Int], notes: [String: JSONValue])]
}

extension TuningSampler {
  public func isExhausted(space: SearchSpace, trials: [FrozenTrial]) -> Bool { false }

  public func proposeWithNotes(
    space: SearchSpace, trials: [FrozenTrial], direction: Direction, count: Int, seed: UInt64
  ) throws -> [(configuration: [Int], notes: [String: JSONValue])] {
    try propose(space: space, trials: trials, direction: direction, count: count, seed: seed)
      .map { ($0, [:]) }
  }
}

/// A sampler whose proposals carry notes: it implements `proposeWithNotes`,
/// and `propose` is those proposals without their notes.
public protocol NotingTuningSampler: TuningSampler {}

extension NotingTuningSampler {
  public func propose(
    space: SearchSpace, trials: [FrozenTrial], direction: Direction, count: Int, seed: UInt64
  ) throws -> [[Int]] {
    try proposeWithNotes(
      space: space, trials: trials, direction: direction, count: count, seed: seed
    ).map(\.configuration)
  }
}

/// What samplers read from a study's trials.
struct History {
  /// Configurations of trials that are running or finished.
  var seen: Set<[Int]> = []
  /// Complete trials with their configuration and loss (value to minimise).
  var observed: [(configuration: [Int], loss: Double)] = []
  /// Configurations of running trials, in trial order, each once and none
  /// observed (for samplers that condition on them).
  var running: [[Int]] = []

  init(space: SearchSpace, trials: [FrozenTrial], direction: Direction) {
    for t in trials where t.state != .waiting {
      guard let c = space.indices(of: t.parameters) else { continue }
      seen.insert(c)
      if t.state == .complete, let v = t.value, v.isFinite {
        observed.append((c, direction.loss(v)))
      }
    }
    let done = Set(observed.map(\.configuration))
    var listed = Set<[Int]>()
    for t in trials where t.state == .running {
      guard let c = space.indices(of: t.parameters), !done.contains(c) else { continue }
      if listed.insert(c).inserted { running.append(c) }
    }
  }
}

/// Spaces up to this many configurations are enumerated when a sampler
/// must find an unseen one.
let enumerationLimit = 1 << 16

extension SearchSpace {
  /// A uniformly random configuration.
  func randomConfiguration<G: RandomNumberGenerator>(using rng: inout G) -> [Int] {
    radices.map { Int.random(in: 0..<$0, using: &rng) }
  }

  /// Every configuration not in `excluded`, when the space is small enough
  /// to enumerate (`nil` otherwise).
  func unseenConfigurations(excluding excluded: Set<[Int]>) -> [[Int]]? {
    guard size <= Double(enumerationLimit) else { return nil }
    return (0..<Int(size)).map(configuration(rank:)).filter { !excluded.contains($0) }
  }

  /// `count` distinct configurations outside `excluded`, drawn uniformly;
  /// revisits only when the space has fewer unseen configurations.
  func randomUnseen<G: RandomNumberGenerator>(
    _ count: Int, excluding excluded: Set<[Int]>, using rng: inout G
  ) -> [[Int]] {
    var taken = excluded
    var out: [[Int]] = []
    if var pool = unseenConfigurations(excluding: excluded) {
      pool.shuffle(using: &rng)
      out = Array(pool.prefix(count))
    } else {
      for _ in 0..<count {
        var c = randomConfiguration(using: &rng)
        for _ in 0..<256 where taken.contains(c) { c = randomConfiguration(using: &rng) }
        taken.insert(c)
        out.append(c)
      }
    }
    while out.count < count { out.append(randomConfiguration(using: &rng)) }
    return out
  }
}

/// Uniform random search that never repeats a configuration while unseen
/// ones exist.
public struct RandomSearch: TuningSampler {
  /// A random sampler.
  public init() {}

  public func propose(
    space: SearchSpace, trials: [FrozenTrial], direction: Direction, count: Int, seed: UInt64
  ) throws -> [[Int]] {
    var rng = Xoshiro256PlusPlus(seed: seed)
    let h = History(space: space, trials: trials, direction: direction)
    return space.randomUnseen(count, excluding: h.seen, using: &rng)
  }
}

/// Exhaustive search over the grid of the space, in random order; the study
/// stops when every configuration has been tried.
public struct GridSearch: TuningSampler {
  /// A grid sampler.
  public init() {}

  public func propose(
    space: SearchSpace, trials: [FrozenTrial], direction: Direction, count: Int, seed: UInt64
  ) throws -> [[Int]] {
    guard space.size <= Double(1 << 24) else {
      throw TuningError.invalidParameter(
        key: "sampler",
        "grid search over \(space.size) configurations; use random or qubo-surrogate")
    }
    var rng = Xoshiro256PlusPlus(seed: seed)
    let h = History(space: space, trials: trials, direction: direction)
    var free = (0..<Int(space.size)).map(space.configuration(rank:)).filter {
      !h.seen.contains($0)
    }
    free.shuffle(using: &rng)
    return Array(free.prefix(count))
  }

  public func isExhausted(space: SearchSpace, trials: [FrozenTrial]) -> Bool {
    let h = History(space: space, trials: trials, direction: .minimize)
    return Double(h.seen.count) >= space.size
  }
}
