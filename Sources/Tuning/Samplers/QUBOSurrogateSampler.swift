import Annealing
import QUBOEncoding
import QUBOModel

// The QUBO-surrogate sampler, in order of priority:
// 1. never propose a configuration that is running or evaluated while an
//    unseen one exists;
// 2. propose what the surrogate predicts best among unseen, feasible
//    configurations, as found by annealing its QUBO;
// 3. stay well under a second per proposal at 100 trials and 30 bits.
//
// Each call: encode the evaluated configurations as bits (`BitEncoding`),
// fit the surrogate (a factorization machine, or a BOCS posterior draw),
// add the encoding's penalties with strength `penaltyStrength × the
// surrogate's largest single-flip change`, anneal, decode the reads in order
// of energy, and keep the feasible unseen ones. When the reads give fewer
// than `count`, the remaining proposals are the unseen configurations with
// the best prediction (spaces up to 65 536 configurations, enumerated) or
// unseen random ones (larger spaces).

/// A sampler that fits a quadratic surrogate of the loss over the bits of
/// the configuration, writes it as a QUBO and anneals it (FMQA / BOCS).
///
/// The first `startupTrials` complete trials are uniform random (without
/// repeats); from then on every proposal comes from the surrogate.
public struct QUBOSurrogateSampler: NotingTuningSampler {
  /// Which model of the loss to fit.
  public enum Surrogate: Sendable {
    /// A factorization machine (FMQA, Kitai et al. 2020).
    case factorizationMachine(FactorizationMachine)
    /// A Bayesian quadratic model with a horseshoe prior and Thompson
    /// sampling (BOCS, Baptista & Poloczek 2018).
    case bocs(BayesianQuadratic)
  }

  /// The surrogate model.
  public var surrogate: Surrogate
  /// How parameter indices are spelled in bits.
  public var encoding: IntegerEncoding
  /// Random trials before the surrogate takes over (default 10).
  public var startupTrials: Int
  /// The annealer that minimises the surrogate QUBO.
  public var annealer: SamplerConfiguration
  /// Penalty strength, in units of the surrogate's largest single-flip change.
  public var penaltyStrength: Double

  /// The default annealer: SA, 32 reads of 300 sweeps on one thread.
  public static var defaultAnnealer: SamplerConfiguration {
    var c = SamplerConfiguration(.sa)
    try? c.update(with: ["reads": .int(32), "sweeps": .int(300), "threads": .int(1)])
    return c
  }

  /// A QUBO-surrogate sampler.
  public init(
    surrogate: Surrogate = .factorizationMachine(FactorizationMachine()),
    encoding: IntegerEncoding = .oneHot, startupTrials: Int = 10,
    annealer: SamplerConfiguration = QUBOSurrogateSampler.defaultAnnealer,
    penaltyStrength: Double = 2
  ) {
    self.surrogate = surrogate
    self.encoding = encoding
    self.startupTrials = startupTrials
    self.annealer = annealer
    self.penaltyStrength = penaltyStrength
  }

  /// Fits the surrogate to the observed configurations of `space`.
  public func fit(
    _ encoded: BitEncoding, observed: [(configuration: [Int], loss: Double)], seed: UInt64
  ) -> QuadraticSurrogate {
    let bits = observed.map { encoded.bits(of: $0.configuration) }
    let losses = observed.map(\.loss)
    switch surrogate {
    case .factorizationMachine(let fm): return fm.fit(bits: bits, losses: losses, seed: seed)
    case .bocs(let b): return b.fit(bits: bits, losses: losses, seed: seed)
    }
  }

  /// The acquisition QUBO: the surrogate plus the encoding's penalties.
  public func acquisitionModel(_ encoded: BitEncoding, _ s: QuadraticSurrogate) throws
    -> BinaryQuadraticModel
  {
    var bqm = s.quadraticModel(labels: encoded.labels)
    let strength = penaltyStrength * max(s.maxFlipChange, 1e-9)
    bqm.merge(try encoded.penaltyModel(strength: strength))
    return bqm
  }

  /// The proposals, each noted (after the start-up trials) with the
  /// surrogate's `predicted` value in the study's direction.
  public func proposeWithNotes(
    space: SearchSpace, trials: [FrozenTrial], direction: Direction, count: Int, seed: UInt64
  ) throws -> [(configuration: [Int], notes: [String: JSONValue])] {
    var rng = Xoshiro256PlusPlus(seed: seed)
    let history = History(space: space, trials: trials, direction: direction)
    guard history.observed.count >= max(1, startupTrials) else {
      return space.randomUnseen(count, excluding: history.seen, using: &rng).map { ($0, [:]) }
    }
    let encoded = try BitEncoding(space: space, encoding: encoding)
    let s = fit(encoded, observed: history.observed, seed: rng.next())
    let bqm = try acquisitionModel(encoded, s)
    let set = try annealer.sampler.sample(bqm, seed: rng.next())
    var taken = history.seen
    var out: [[Int]] = []
    let order = set.energies.indices.sorted { set.energies[$0] < set.energies[$1] }
    for r in order where out.count < count {
      guard let c = encoded.configuration(of: Array(set.sample(r))), !taken.contains(c) else {
        continue
      }
      taken.insert(c)
      out.append(c)
    }
    if out.count < count, let pool = space.unseenConfigurations(excluding: taken) {
      let ranked = pool.map { (c: $0, f: s.predict(encoded.bits(of: $0))) }
        .sorted { $0.f < $1.f }
      out += ranked.prefix(count - out.count).map(\.c)
    }
    if out.count < count {
      out += space.randomUnseen(count - out.count, excluding: taken, using: &rng)
    }
    return out.map { c in
      (c, ["predicted": .double(direction.loss(s.predict(encoded.bits(of: c))))])
    }
  }
}
