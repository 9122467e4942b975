import Annealing
import Foundation
import QUBOEncoding
import QUBOModel

/// A tuning run as data: what `anneal tune SPEC.yaml` reads.
///
/// ```yaml
/// name: mlp-digits
/// direction: minimize            # or maximize
/// trials: 100
/// seed: 1
/// sampler: trust-region          # trust-region | random | grid | qubo-surrogate | fm | bocs
/// surrogate: {startup_trials: 10}
/// annealer: {sampler: sa, sweeps: 300, reads: 32}
/// parameters:
///   lr:    {type: float, low: 0.0001, high: 0.1, log: true, steps: 16}
///   width: {type: int, low: 8, high: 128, step: 8}
///   act:   {type: categorical, values: [relu, tanh]}
/// command: ./train --lr {lr} --width {width} --act {act}   # or [./train, --lr, "{lr}", …]
/// metric: loss                   # last JSON object on stdout, or a line "loss: 0.123"
/// timeout: 600                   # seconds per trial
/// storage: sqlite:///mlp-digits.db
/// ```
public struct TuningSpec: Sendable {
  /// The study name.
  public var name: String
  /// Minimise or maximise the metric.
  public var direction: Direction
  /// How many trials the study holds when done.
  public var trials: Int
  /// The seed (0 when not given).
  public var seed: UInt64
  /// The sampler's name: trust-region (the default), random, grid,
  /// qubo-surrogate (= fm), fm or bocs.
  public var sampler: String
  /// Surrogate options (`surrogate:` in the spec).
  public var surrogate: [String: JSONValue]
  /// The annealer of the surrogate (`annealer:`), when given.
  public var annealer: SamplerConfiguration?
  /// The parameters in spec order.
  public var space: SearchSpace
  /// The command, with `{name}` placeholders: a shell line (each value is
  /// quoted for where it stands), or for `arguments` the words joined.
  public var command: String
  /// The command as an argument vector run without a shell (`command:`
  /// given as a list), or `nil`.
  public var arguments: [String]?
  /// The metric's name.
  public var metric: String
  /// Seconds a trial may run (nil: no limit).
  public var timeout: Double?
  /// The storage URL (nil: in memory).
  public var storage: String?
  /// Parallel workers in this process.
  public var workers: Int
  /// Stop after this many complete trials without improvement.
  public var patience: Int?

  /// The sampler names a spec or `--sampler` may give.
  public static let samplerNames = [
    "trust-region", "random", "grid", "qubo-surrogate", "fm", "bocs",
  ]

  static let keys: Set<String> = [
    "name", "direction", "trials", "seed", "sampler", "surrogate", "annealer", "parameters",
    "command", "metric", "timeout", "storage", "workers", "patience",
  ]

  /// Reads and checks a spec; every error names its key.
  ///
  /// - Parameters:
  ///   - parameterOrder: the order of `parameters` in the file (JSON objects
  ///     have none; names not listed follow in sorted order).
  public init(json: JSONValue, parameterOrder: [String] = []) throws {
    guard case .object(let f) = json else {
      throw TuningError.invalidParameter(key: "spec", "must be a mapping of keys")
    }
    for k in f.keys.sorted() where !Self.keys.contains(k) {
      throw TuningError.invalidParameter(
        key: k, "unknown key (known: \(Self.keys.sorted().joined(separator: ", ")))")
    }
    func string(_ key: String) throws -> String? {
      switch f[key] {
      case nil, .null?: return nil
      case .string(let s)?: return s
      case let v?:
        throw TuningError.invalidParameter(key: key, "must be text, got \(v.serialized())")
      }
    }
    func int(_ key: String, min: Int) throws -> Int? {
      switch f[key] {
      case nil, .null?: return nil
      case .int(let i)? where i >= min: return i
      case let v?:
        throw TuningError.invalidParameter(
          key: key, "must be an integer ≥ \(min), got \(v.serialized())")
      }
    }
    name = try string("name") ?? "study"
    let dir = try string("direction") ?? "minimize"
    guard let d = Direction(rawValue: dir) else {
      throw TuningError.invalidParameter(
        key: "direction", "must be minimize or maximize, got \(dir)")
    }
    direction = d
    trials = try int("trials", min: 1) ?? 100
    seed = UInt64(try int("seed", min: 0) ?? 0)
    workers = try int("workers", min: 1) ?? 1
    patience = try int("patience", min: 1)
    sampler = try string("sampler") ?? "trust-region"
    try Self.checkSampler(sampler, key: "sampler")
    switch f["surrogate"] {
    case nil, .null?: surrogate = [:]
    case .object(let o)?: surrogate = o
    case let v?:
      throw TuningError.invalidParameter(
        key: "surrogate", "must be a mapping, got \(v.serialized())")
    }
    // A spec written before the trust-region default that names a model
    // keeps its sampler.
    if f["sampler"] == nil, case .string(let m)? = surrogate["model"], m == "fm" || m == "bocs" {
      sampler = m
    }
    switch f["annealer"] {
    case nil, .null?: annealer = nil
    case let v?:
      do {
        annealer = try SamplerConfiguration(json: v)
      } catch let e as SamplerConfigurationError {
        throw TuningError.invalidParameter(
          key: "annealer" + (e.key.map { ".\($0)" } ?? ""), e.reason)
      }
    }
    guard case .object(let params)? = f["parameters"], !params.isEmpty else {
      throw TuningError.invalidParameter(key: "parameters", "must map at least one name to a type")
    }
    var order = parameterOrder.filter { params[$0] != nil }
    order += params.keys.sorted().filter { !order.contains($0) }
    var space = SearchSpace()
    for n in order {
      guard let p = params[n] else { continue }
      try space.add(n, try Distribution(json: p, key: "parameters.\(n)"))
    }
    self.space = space
    switch f["command"] {
    case .array(let words)?:
      let list = try words.enumerated().map { k, w -> String in
        guard case .string(let s) = w else {
          switch w {
          case .int, .double, .bool: return w.serialized()
          case .null, .array, .object:
            throw TuningError.invalidParameter(
              key: "command[\(k)]", "must be a word, got \(w.serialized())")
          case .string: return ""
          }
        }
        return s
      }
      guard let first = list.first, !first.isEmpty else {
        throw TuningError.invalidParameter(key: "command", "needs the program as its first word")
      }
      arguments = list
      command = ProgramObjective(arguments: list, metric: "", timeout: nil, space: space).command
    default:
      guard let c = try string("command"), !c.trimmingCharacters(in: .whitespaces).isEmpty
      else {
        throw TuningError.invalidParameter(
          key: "command", "is missing (a shell line, or a list of words run without a shell)")
      }
      command = c
      arguments = nil
    }
    for p in (arguments ?? [command]).flatMap(ProgramObjective.placeholders(in:))
    where space.distributions[p] == nil && p != "trial" {
      throw TuningError.invalidParameter(
        key: "command", "{\(p)} is not a parameter (parameters: \(order.joined(separator: ", ")))")
    }
    metric = try string("metric") ?? "loss"
    storage = try string("storage")
    switch f["timeout"] {
    case nil, .null?: timeout = nil
    case let v?:
      guard let t = v.doubleValue, t > 0, t.isFinite else {
        throw TuningError.invalidParameter(
          key: "timeout", "must be seconds > 0, got \(v.serialized())")
      }
      timeout = t
    }
    _ = try makeSampler()
  }

  static func checkSampler(_ name: String, key: String) throws {
    guard samplerNames.contains(name) else {
      throw TuningError.invalidParameter(
        key: key, "unknown sampler '\(name)' (\(samplerNames.joined(separator: ", ")))")
    }
  }

  /// The objective that runs the spec's command.
  public var objective: ProgramObjective {
    if let arguments {
      return ProgramObjective(arguments: arguments, metric: metric, timeout: timeout, space: space)
    }
    return ProgramObjective(command: command, metric: metric, timeout: timeout, space: space)
  }

  /// The sampler the spec names, with its surrogate and annealer options.
  public func makeSampler() throws -> any TuningSampler {
    try Self.checkSampler(sampler, key: "sampler")
    switch sampler {
    case "random": return RandomSearch()
    case "grid": return GridSearch()
    default: break
    }
    let allowed: Set<String> =
      sampler == "trust-region"
      ? [
        "model", "startup_trials", "rank", "epochs", "levels", "members", "polish_starts",
        "local_noise", "nearest_first_below", "regrow_at_best", "hamming_noise",
        "initial_radius", "jump_after", "caution", "start_radius", "deterministic",
      ]
      : ["model", "encoding", "startup_trials", "rank", "epochs", "gibbs_steps", "penalty"]
    for k in surrogate.keys.sorted() where !allowed.contains(k) {
      throw TuningError.invalidParameter(
        key: "surrogate.\(k)",
        "unknown key for sampler \(sampler) (known: \(allowed.sorted().joined(separator: ", ")))")
    }
    func int(_ k: String, _ fallback: Int, min: Int) throws -> Int {
      guard let v = surrogate[k] else { return fallback }
      guard case .int(let i) = v, i >= min else {
        throw TuningError.invalidParameter(
          key: "surrogate.\(k)", "must be an integer ≥ \(min), got \(v.serialized())")
      }
      return i
    }
    func bool(_ k: String, _ fallback: Bool) throws -> Bool {
      guard let v = surrogate[k] else { return fallback }
      guard case .bool(let b) = v else {
        throw TuningError.invalidParameter(
          key: "surrogate.\(k)", "must be true or false, got \(v.serialized())")
      }
      return b
    }
    // A count where 0 (the default) is off: `jump_after`, `start_radius`.
    func countOrOff(_ k: String) throws -> Int? {
      let n = try int(k, 0, min: 0)
      return n == 0 ? nil : n
    }
    if sampler == "trust-region" {
      var regression: QuadraticRegression? = QuadraticRegression(thompson: false)
      var hammingKernel = false
      var hammingResidual = false
      var expectedImprovement = false
      var cubicTerm: HigherOrder?
      var neighbourhoods = true
      // The default (and `gp-ei`): the Matérn GP where a parameter is
      // ordered (issue 17, fifteenth round); every other model keeps the
      // regression there.
      var orderedSearch = true
      // The default (and `hamming-ard`): in spaces of booleans and
      // categoricals the kernel a weight per parameter when the evidence
      // prefers it (issue 17, seventeenth round); `gp-ei` keeps the fixed one.
      var weightedHamming = true
      if let v = surrogate["model"] {
        let models = [
          "bqr", "bqr-thompson", "bqr-switch", "bqr-hamming", "bqr-cubic", "bqr-spin3",
          "bqr-spin34", "fm", "hamming-gp", "hamming-gp-ei", "hamming-ei", "hamming-ard",
          "gp-ei",
        ]
        guard case .string(let m) = v, models.contains(m) else {
          throw TuningError.invalidParameter(
            key: "surrogate.model",
            "must be \(models.dropLast().joined(separator: ", ")) or \(models.last ?? "") "
              + "for sampler trust-region")
        }
        neighbourhoods = m == "hamming-ei" || m == "gp-ei" || m == "hamming-ard"
        // `hamming-ard` changes only the booleans' and categoricals' search.
        orderedSearch = m == "gp-ei" || m == "hamming-ard"
        weightedHamming = m == "hamming-ard"
        if m == "hamming-gp" || m == "hamming-gp-ei" { hammingKernel = true }
        if m == "hamming-gp-ei" { expectedImprovement = true }
        if m == "bqr-cubic" { cubicTerm = .bitTriples }
        if m == "bqr-spin3" { cubicTerm = .spinTriples }
        if m == "bqr-spin34" { cubicTerm = .spinTriplesAndQuadruples }
        if m == "bqr-hamming" { hammingResidual = true }
        if m == "fm" { regression = nil }
        if m == "bqr-thompson" { regression = QuadraticRegression(thompson: true) }
        if m == "bqr-switch" {
          regression = QuadraticRegression(
            thompson: false, thompsonBelow: QuadraticRegression.switchCorrelation)
        }
      }
      let localNoise = try bool("local_noise", true)
      // `deterministic` (gp-ei): the objective gives the same value for the
      // same parameters, so the GP's noise is pinned (Optuna's
      // `deterministic_objective`).
      let deterministic = try bool("deterministic", false)
      let regrowAtBest = try bool("regrow_at_best", true)
      var hammingNoise = HammingNoise.off
      if let v = surrogate["hamming_noise"] {
        // YAML reads a bare `off` as false.
        let name: String? =
          switch v {
          case .string(let f): f
          case .bool(false): "off"
          default: nil
          }
        guard let name, let form = HammingNoise(rawValue: name) else {
          throw TuningError.invalidParameter(
            key: "surrogate.hamming_noise",
            "must be off, quadratic or exponential, got \(v.serialized())")
        }
        hammingNoise = form
      }
      var initialRadius = 0.25
      if let v = surrogate["initial_radius"] {
        guard let x = v.doubleValue, x > 0, x <= 1 else {
          throw TuningError.invalidParameter(
            key: "surrogate.initial_radius",
            "must be a share of the parameters above 0 and at most 1, got \(v.serialized())")
        }
        initialRadius = x
      }
      // `caution`: κ ≥ 0 (0, the default, is off).
      var caution: Double?
      if let v = surrogate["caution"] {
        guard let x = v.doubleValue, x >= 0, x.isFinite else {
          throw TuningError.invalidParameter(
            key: "surrogate.caution",
            "must be a number ≥ 0 (posterior standard deviations), got \(v.serialized())")
        }
        caution = x == 0 ? nil : x
      }
      var nearestFirstBelow: Double?
      if let v = surrogate["nearest_first_below"] {
        guard let x = v.doubleValue, x >= -1, x <= 1 else {
          throw TuningError.invalidParameter(
            key: "surrogate.nearest_first_below",
            "must be a number from -1 to 1 (a rank correlation), got \(v.serialized())")
        }
        nearestFirstBelow = x
      }
      return TrustRegionSampler(
        startupTrials: try int("startup_trials", 10, min: 1),
        model: FactorizationMachine(
          rank: try int("rank", 8, min: 1), epochs: try int("epochs", 300, min: 1)),
        annealer: annealer ?? QUBOSurrogateSampler.defaultAnnealer,
        levels: try int("levels", 8, min: 2), members: try int("members", 4, min: 1),
        regression: regression, polishStarts: try int("polish_starts", 0, min: 0),
        localNoise: localNoise, nearestFirstBelow: nearestFirstBelow,
        regrowAtBest: regrowAtBest, hammingNoise: hammingNoise, hammingKernel: hammingKernel,
        hammingResidual: hammingResidual, initialRadius: initialRadius,
        expectedImprovement: expectedImprovement, cubicTerm: cubicTerm,
        jumpAfter: try countOrOff("jump_after"), caution: caution,
        startRadius: try countOrOff("start_radius"), neighbourhoods: neighbourhoods,
        orderedSearch: orderedSearch, deterministic: deterministic,
        weightedHamming: weightedHamming)
    }
    var model = sampler == "bocs" ? "bocs" : "fm"
    if let v = surrogate["model"] {
      guard case .string(let m) = v, m == "fm" || m == "bocs" else {
        throw TuningError.invalidParameter(key: "surrogate.model", "must be fm or bocs")
      }
      model = m
    }
    var encoding = IntegerEncoding.oneHot
    if let v = surrogate["encoding"] {
      guard case .string(let e) = v, let enc = IntegerEncoding(rawValue: e), enc != .unary else {
        throw TuningError.invalidParameter(
          key: "surrogate.encoding", "must be one-hot, binary or domain-wall")
      }
      encoding = enc
    }
    var penalty = 2.0
    if let v = surrogate["penalty"] {
      guard let p = v.doubleValue, p > 0 else {
        throw TuningError.invalidParameter(key: "surrogate.penalty", "must be a number > 0")
      }
      penalty = p
    }
    let s: QUBOSurrogateSampler.Surrogate =
      model == "bocs"
      ? .bocs(BayesianQuadratic(gibbsSteps: try int("gibbs_steps", 100, min: 1)))
      : .factorizationMachine(
        FactorizationMachine(
          rank: try int("rank", 8, min: 1), epochs: try int("epochs", 500, min: 1)))
    return QUBOSurrogateSampler(
      surrogate: s, encoding: encoding, startupTrials: try int("startup_trials", 10, min: 1),
      annealer: annealer ?? QUBOSurrogateSampler.defaultAnnealer, penaltyStrength: penalty)
  }
}
