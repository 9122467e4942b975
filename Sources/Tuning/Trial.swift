import Annealing
import Foundation
import QUBOModel
import Synchronization

/// One evaluation of the objective, handed to it by `Study.ask` or
/// `Study.optimize`: define-by-run, so the objective asks for each
/// parameter where it needs it.
///
/// Parameters the study's sampler proposed for this trial come back from
/// `suggest…`; any other parameter is drawn uniformly from its values. Every
/// call is written to the study's storage at once.
public final class Trial: Sendable {
  /// The trial's number in its study.
  public let number: Int
  private let study: Study
  private let proposal: [String: (Distribution, ParameterValue)]
  /// The record as it stands and the generator of unproposed parameters.
  private let state: Mutex<(record: FrozenTrial, rng: SplitMix64)>

  init(
    study: Study, record: FrozenTrial, proposal: [String: (Distribution, ParameterValue)],
    seed: UInt64
  ) {
    self.study = study
    self.proposal = proposal
    number = record.number
    state = Mutex((record, SplitMix64(seed: seed)))
  }

  /// A snapshot of the trial as it stands.
  public var frozen: FrozenTrial { state.withLock { $0.record } }

  /// The parameters suggested so far.
  public var parameters: [String: ParameterValue] { frozen.parameters }

  /// The value of parameter `name` drawn from `distribution` (the same value
  /// again when asked twice).
  ///
  /// - Throws: `TuningError` when `distribution` is invalid or differs from
  ///   the one `name` had before in this trial; storage errors.
  public func suggest(_ name: String, _ distribution: Distribution) throws -> ParameterValue {
    try state.withLock { s throws -> ParameterValue in
      if let v = s.record.parameters[name] {
        guard s.record.distributions[name] == distribution else {
          throw TuningError.conflictingDistribution(name: name)
        }
        return v
      }
      try distribution.validate(key: name)
      let v: ParameterValue
      if let (d, p) = proposal[name], d == distribution {
        v = p
      } else {
        v = distribution.value(at: Int.random(in: 0..<distribution.count, using: &s.rng))
      }
      s.record.parameters[name] = v
      s.record.distributions[name] = distribution
      s.record.parameterOrder.append(name)
      try study.storage.save(study: study.name, trial: s.record)
      return v
    }
  }

  /// A float from `low` to `high` (log-spaced when `log`): continuous
  /// without `steps` (see `Distribution.continuous`), otherwise on a grid of
  /// `steps` points.
  public func suggestFloat(
    _ name: String, low: Double, high: Double, steps: Int? = nil, log: Bool = false
  ) throws -> Double {
    let d: Distribution =
      steps.map { .float(low: low, high: high, steps: $0, log: log) }
      ?? .continuous(low: low, high: high, log: log)
    let v = try suggest(name, d)
    return v.doubleValue ?? .nan
  }

  /// An integer `low, low + step, …, high`.
  public func suggestInt(_ name: String, low: Int, high: Int, step: Int = 1) throws -> Int {
    guard case .int(let i) = try suggest(name, .integer(low: low, high: high, step: step)) else {
      return low
    }
    return i
  }

  /// One of `values`.
  public func suggestCategorical(_ name: String, _ values: [String]) throws -> String {
    guard case .string(let s) = try suggest(name, .categorical(values)) else { return "" }
    return s
  }

  /// `false` or `true`.
  public func suggestBool(_ name: String) throws -> Bool {
    guard case .bool(let b) = try suggest(name, .bool) else { return false }
    return b
  }

  /// Records an intermediate value at `step`, for the pruner.
  ///
  /// For example the validation loss after an epoch.
  public func report(_ value: Double, step: Int) throws {
    try state.withLock { s throws in
      s.record.intermediateValues[step] = value
      try study.storage.save(study: study.name, trial: s.record)
    }
  }

  /// Whether the study's pruner would stop this trial now; the objective
  /// then throws `TrialPruned()`.
  public func shouldPrune() throws -> Bool {
    guard let pruner = study.pruner else { return false }
    let me = frozen
    return pruner.shouldPrune(me, among: try study.trials, direction: study.direction)
  }

  /// Sets a free-form attribute kept with the trial.
  public func setUserAttribute(_ key: String, _ value: JSONValue) throws {
    try state.withLock { s throws in
      s.record.userAttributes[key] = value
      try study.storage.save(study: study.name, trial: s.record)
    }
  }

  /// Takes every proposed parameter and sets `attributes`, with one write
  /// to the storage (called by `Study.ask`).
  func adoptProposal(order: [String], attributes: [String: JSONValue]) throws {
    try state.withLock { s throws in
      for name in order where s.record.parameters[name] == nil {
        guard let (d, v) = proposal[name] else { continue }
        s.record.parameters[name] = v
        s.record.distributions[name] = d
        s.record.parameterOrder.append(name)
      }
      s.record.userAttributes.merge(attributes) { $1 }
      try study.storage.save(study: study.name, trial: s.record)
    }
  }

  /// Finishes the trial (called by `Study.tell`).
  func finish(state: TrialState, value: Double?) throws -> FrozenTrial {
    try study.failStaleTrials()
    return try self.state.withLock { s throws -> FrozenTrial in
      guard s.record.state == .running else { throw TuningError.trialFinished(number: number) }
      s.record.state = state
      if let value { s.record.value = value }
      if state == .pruned, value == nil {
        s.record.value = s.record.intermediateValues.max { $0.key < $1.key }?.value
      }
      s.record.finished = Date()
      try study.storage.save(study: study.name, trial: s.record)
      return s.record
    }
  }
}
