import QUBOModel

/// A sampler and its parameters as data: the one form in which the CLI's
/// flags, sweep and tuning specs, and `--json` output name a sampler.
///
/// ```json
/// {"sampler": "sqa", "trotter": 16, "sweeps": 2000, "gamma_range": [3, 0.01]}
/// ```
///
/// Keys are the parameters' names in snake case (`SamplerKind.keys` lists
/// them per sampler). Every sampler takes `reads`, `threads`, `time_limit`
/// and `initial_states` (rows of ±1, or 0/1). A range is two numbers in
/// either order: β rises from the smaller to the larger, Γ falls from the
/// larger to the smaller. An unknown key, a wrong type or a value out of
/// range is an error that names the key; `null` leaves a default in place.
public struct SamplerConfiguration: Sendable {
  /// Which sampler.
  public var kind: SamplerKind
  /// The sampler's parameters (the case matches `kind`).
  public var parameters: SamplerParameters
  /// Control errors to emulate (`"noise"`), or `nil` for none; the
  /// sampler then runs under a `NoiseComposite`.
  public var noise: ControlNoise?

  /// The documented defaults of `kind`.
  public init(_ kind: SamplerKind) {
    self.kind = kind
    parameters = kind.defaults
  }

  /// Reads a configuration from a JSON object; `"sampler"` names the
  /// sampler (default `defaultKind`).
  public init(json: JSONValue, defaultKind: SamplerKind = .sa) throws {
    guard case .object(let fields) = json else {
      throw SamplerConfigurationError(
        key: nil, "a sampler must be an object such as {\"sampler\": \"sa\"}, got \(json.serialized())")
    }
    try self.init(fields, defaultKind: defaultKind)
  }

  /// Reads a configuration from the fields of a JSON object.
  public init(_ fields: [String: JSONValue], defaultKind: SamplerKind = .sa) throws {
    var kind = defaultKind
    if let name = fields["sampler"] {
      guard case .string(let s) = name, let k = SamplerKind(rawValue: s) else {
        let names = SamplerKind.allCases.map(\.rawValue).joined(separator: ", ")
        throw SamplerConfigurationError(
          key: "sampler", "must be one of \(names), got \(name.serialized())")
      }
      kind = k
    }
    self.init(kind)
    if let value = fields["noise"] { noise = try Self.noise(from: value) }
    try update(with: fields.filter { $0.key != "sampler" && $0.key != "noise" })
  }

  /// Sets the parameters named in `fields` (keys without `"sampler"`),
  /// in sorted key order; throws on the first unknown key or bad value.
  public mutating func update(with fields: [String: JSONValue]) throws {
    switch parameters {
    case .sa(var p):
      try SamplerKind.apply(fields, to: &p, SamplerKind.annealingFields(), kind: kind)
      parameters = .sa(p)
    case .sqa(var p):
      // "schedule": "openjij" anneals in OpenJij's form with its quartic
      // schedule (`TransverseFieldSchedule.openJijQuartic`, Γ = the high end
      // of gamma_range, default 1), built once sweeps is known.
      let openJij = fields["schedule"] == .string("openjij")
      try SamplerKind.apply(
        openJij ? fields.filter { $0.key != "schedule" } : fields, to: &p,
        SamplerKind.quantumFields(), kind: kind)
      if openJij {
        p.schedule = .openJijQuartic(gamma: p.gammaRange?.high ?? 1, sweeps: p.sweeps)
      }
      parameters = .sqa(p)
    case .pt(var p):
      try SamplerKind.apply(fields, to: &p, SamplerKind.temperingFields(), kind: kind)
      parameters = .pt(p)
    case .tabu(var p):
      try SamplerKind.apply(fields, to: &p, SamplerKind.tabuFields(), kind: kind)
      parameters = .tabu(p)
    case .descent(var p):
      try SamplerKind.apply(fields, to: &p, SamplerKind.readFields(), kind: kind)
      parameters = .descent(p)
    case .exact(var p):
      try SamplerKind.apply(fields, to: &p, SamplerKind.exactFields(), kind: kind)
      parameters = .exact(p)
    case .random(var p):
      try SamplerKind.apply(fields, to: &p, SamplerKind.readFields(), kind: kind)
      parameters = .random(p)
    case .portfolio(var p):
      try SamplerKind.apply(fields, to: &p, SamplerKind.portfolioFields(), kind: kind)
      parameters = .portfolio(p)
    }
  }

  /// The configuration as a JSON object: `"sampler"` and every parameter
  /// that has a value (defaults included; initial states left out), so a
  /// run can be repeated from it.
  public var json: JSONValue {
    var out: [String: JSONValue]
    switch parameters {
    case .sa(let p): out = SamplerKind.write(p, SamplerKind.annealingFields())
    case .sqa(let p): out = SamplerKind.write(p, SamplerKind.quantumFields())
    case .pt(let p): out = SamplerKind.write(p, SamplerKind.temperingFields())
    case .tabu(let p): out = SamplerKind.write(p, SamplerKind.tabuFields())
    case .descent(let p): out = SamplerKind.write(p, SamplerKind.readFields())
    case .exact(let p): out = SamplerKind.write(p, SamplerKind.exactFields())
    case .random(let p): out = SamplerKind.write(p, SamplerKind.readFields())
    case .portfolio(let p): out = SamplerKind.write(p, SamplerKind.portfolioFields())
    }
    out["sampler"] = .string(kind.rawValue)
    if let noise { out["noise"] = Self.json(noise) }
    return .object(out)
  }

  /// The shared read options of the parameters.
  public var readOptions: ReadOptions {
    get { parameters.readOptions }
    set { parameters.readOptions = newValue }
  }

  /// The sampler these parameters configure; with `noise`, a
  /// `NoiseComposite` over it (`noisySampler`).
  public var sampler: any Sampler {
    if let noise { return noisySampler(noise) }
    return plainSampler
  }

  /// The sampler of `parameters`, without noise.
  var plainSampler: any Sampler {
    switch parameters {
    case .sa(let p): return SimulatedAnnealing(p)
    case .sqa(let p): return PathIntegralAnnealing(p)
    case .pt(let p): return ParallelTempering(p)
    case .tabu(let p): return TabuSearch(p)
    case .descent(let p): return SteepestDescent(p)
    case .exact(let p): return ExactSolver(p)
    case .random(let p): return RandomSampler(p)
    case .portfolio(let p): return Portfolio(p)
    }
  }
}

/// The samplers a configuration can name.
public enum SamplerKind: String, Sendable, CaseIterable {
  case sa, sqa, pt, tabu, descent, exact, random, portfolio

  /// The parameter keys this sampler takes (besides `"sampler"`), sorted.
  public var keys: [String] {
    let names: [String]
    switch self {
    case .sa: names = Self.annealingFields().map(\.key)
    case .sqa: names = Self.quantumFields().map(\.key)
    case .pt: names = Self.temperingFields().map(\.key)
    case .tabu: names = Self.tabuFields().map(\.key)
    case .descent: names = Self.readFields(SteepestDescent.Parameters.self).map(\.key)
    case .exact: names = Self.exactFields().map(\.key)
    case .random: names = Self.readFields(RandomSampler.Parameters.self).map(\.key)
    case .portfolio: names = Self.portfolioFields().map(\.key)
    }
    return names.sorted()
  }

  /// The documented defaults of this sampler's parameters.
  var defaults: SamplerParameters {
    switch self {
    case .sa: return .sa(.init())
    case .sqa: return .sqa(.init())
    case .pt: return .pt(.init())
    case .tabu: return .tabu(.init())
    case .descent: return .descent(.init())
    case .exact: return .exact(.init())
    case .random: return .random(.init())
    case .portfolio: return .portfolio(.init())
    }
  }
}

/// The parameters of one of the samplers.
public enum SamplerParameters: Sendable {
  case sa(SimulatedAnnealing.Parameters)
  case sqa(PathIntegralAnnealing.Parameters)
  case pt(ParallelTempering.Parameters)
  case tabu(TabuSearch.Parameters)
  case descent(SteepestDescent.Parameters)
  case exact(ExactSolver.Parameters)
  case random(RandomSampler.Parameters)
  case portfolio(Portfolio.Parameters)

  /// The shared read options.
  public var readOptions: ReadOptions {
    get {
      switch self {
      case .sa(let p): return p.readOptions
      case .sqa(let p): return p.readOptions
      case .pt(let p): return p.readOptions
      case .tabu(let p): return p.readOptions
      case .descent(let p): return p.readOptions
      case .exact(let p): return p.readOptions
      case .random(let p): return p.readOptions
      case .portfolio(let p): return p.readOptions
      }
    }
    set {
      switch self {
      case .sa(var p):
        p.readOptions = newValue
        self = .sa(p)
      case .sqa(var p):
        p.readOptions = newValue
        self = .sqa(p)
      case .pt(var p):
        p.readOptions = newValue
        self = .pt(p)
      case .tabu(var p):
        p.readOptions = newValue
        self = .tabu(p)
      case .descent(var p):
        p.readOptions = newValue
        self = .descent(p)
      case .exact(var p):
        p.readOptions = newValue
        self = .exact(p)
      case .random(var p):
        p.readOptions = newValue
        self = .random(p)
      case .portfolio(var p):
        p.readOptions = newValue
        self = .portfolio(p)
      }
    }
  }
}

/// A sampler configuration that could not be read: the key (if one is at
/// fault) and what was wrong.
public struct SamplerConfigurationError: Error, CustomStringConvertible, Sendable {
  /// The offending key, `nil` for the object as a whole.
  public var key: String?
  /// What was wrong.
  public var reason: String

  public init(key: String?, _ reason: String) {
    self.key = key
    self.reason = reason
  }

  public var description: String { key.map { "'\($0)' \(reason)" } ?? reason }
}
