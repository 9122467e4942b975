import QUBOModel

// The parameter tables of each sampler: key, type, range, and where the
// value lives in the sampler's Parameters. One table per sampler serves
// reading (specs, CLI flags), writing (`--json` echo) and the key lists.

extension SamplerKind {
  /// The keys every sampler takes: the shared `ReadOptions`.
  static func readFields<P: ReadConfigurable>(_: P.Type = P.self) -> [ParameterField<P>] {
    [
      .int("reads", \P.readOptions.reads, min: 1),
      .int("threads", \P.readOptions.threads, min: 1, max: 4096),
      .number(
        "time_limit", \P.readOptions.control.timeLimit, "a positive number of seconds",
        valid: { $0 > 0 }),
      .states("initial_states", \P.readOptions.initialStates),
    ]
  }

  static func annealingFields() -> [ParameterField<SimulatedAnnealing.Parameters>] {
    typealias P = SimulatedAnnealing.Parameters
    return readFields() + [
      .int("sweeps", \P.sweeps, min: 1),
      .pair(
        "beta_range", \P.betaRange, make: { BetaRange(hot: $0, cold: $1) },
        write: { [$0.hot, $0.cold] }),
      .choice("schedule", \P.shape),
      .int("sweeps_per_beta", \P.sweepsPerBeta, min: 1),
      .bool("sweeps_fill_time_limit", \P.sweepsFillTimeLimit),
      .choice("acceptance", \P.acceptance),
      .choice("order", \P.order),
      .bool("return_best", \P.returnBest),
      .bool("pack_reads", \P.packReads),
      .choice("couplings", \P.couplings),
      .choice("reorder", \P.reorder),
      .choice("colour_sweeps", \P.colourSweeps),
    ]
  }

  static func quantumFields() -> [ParameterField<PathIntegralAnnealing.Parameters>] {
    typealias P = PathIntegralAnnealing.Parameters
    return readFields() + [
      .int("sweeps", \P.sweeps, min: 1),
      .int("trotter", \P.trotter, min: 1, max: 1 << 16),
      .number("beta", \P.beta, "a positive number", valid: { $0 > 0 }),
      .pair(
        "gamma_range", \P.gammaRange, make: { GammaRange(high: $1, low: $0) },
        write: { [$0.high, $0.low] }),
      .choice("schedule", \P.shape),
      .bool("worldline_moves", \P.worldlineMoves),
      .bool("return_all_slices", \P.returnAllSlices),
    ]
  }

  static func temperingFields() -> [ParameterField<ParallelTempering.Parameters>] {
    typealias P = ParallelTempering.Parameters
    return readFields() + [
      .int("sweeps", \P.sweeps, min: 1),
      .int("replicas", \P.replicas, min: 2, max: 1 << 16),
      .pair(
        "beta_range", \P.betaRange, make: { BetaRange(hot: $0, cold: $1) },
        write: { [$0.hot, $0.cold] }),
      .ascending("ladder", \P.ladder),
      .int("swap_interval", \P.swapInterval, min: 1),
      .choice("acceptance", \P.acceptance),
      .bool("return_best", \P.returnBest),
      .bool("sweeps_fill_time_limit", \P.sweepsFillTimeLimit),
    ]
  }

  static func tabuFields() -> [ParameterField<TabuSearch.Parameters>] {
    typealias P = TabuSearch.Parameters
    return readFields() + [
      .int("tenure", \P.tenure, min: 0),
      .int("stall_iterations", \P.stallIterations, min: 0),
      .int("restarts", \P.restarts, min: 1),
      .number("target_energy", \P.targetEnergy, "a finite number", valid: { _ in true }),
      .number("perturbation", \P.perturbation, "a fraction in [0, 1]", valid: { $0 >= 0 && $0 <= 1 }),
    ]
  }

  static func portfolioFields() -> [ParameterField<Portfolio.Parameters>] {
    typealias P = Portfolio.Parameters
    return readFields() + [
      .int("sweeps", \P.sweeps, min: 1),
      .int("tempering_reads", \P.temperingReads, min: 0),
      .int("tempering_sweeps", \P.temperingSweeps, min: 1),
      .bool("fill_time_limit", \P.fillTimeLimit),
    ]
  }

  static func exactFields() -> [ParameterField<ExactSolver.Parameters>] {
    typealias P = ExactSolver.Parameters
    return readFields() + [.int("keep_lowest", \P.keepLowest, min: 1)]
  }

  /// Applies `fields` to `p` in sorted key order through `table`.
  static func apply<P>(
    _ fields: [String: JSONValue], to p: inout P, _ table: [ParameterField<P>], kind: SamplerKind
  ) throws {
    var byKey: [String: ParameterField<P>] = [:]
    for field in table { byKey[field.key] = field }
    for key in fields.keys.sorted() {
      guard let field = byKey[key] else {
        let known = byKey.keys.sorted().joined(separator: ", ")
        throw SamplerConfigurationError(
          key: key, "is not a parameter of sampler \(kind.rawValue) (it takes: \(known))")
      }
      if let value = fields[key] { try field.read(&p, value) }
    }
  }

  /// The fields of `table` that have a value in `p`.
  static func write<P>(_ p: P, _ table: [ParameterField<P>]) -> [String: JSONValue] {
    var out: [String: JSONValue] = [:]
    for field in table {
      if let v = field.write(p) { out[field.key] = v }
    }
    return out
  }
}
