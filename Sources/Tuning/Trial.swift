import Annealing
import Foundation
import QUBOModel

/// One evaluation of the objective, handed to it by `Study.ask` or
/// `Study.optimize`: define-by-run, so the objective asks for each
/// parameter where it needs it.
///
/// Parameters the study's sampler proposed for this trial come back from
/// `suggest…`; any other parameter is drawn uniformly from its values. Every
/// call is written to the study's storage at once.
public final class Trial: @unchecked Sendable {
  /// The trial's number in its study.
  public let number: Int
  private let study: Study
  private let lock = NSLock()
  private var record: FrozenTrial
  private let proposal: [String: (Distribution, ParameterValue)]
  private var rng: SplitMix64

  init(
    study: Study, record: FrozenTrial, proposal: [String: (Distribution, ParameterValue)],
    seed: UInt64
  ) {
    self.study = study
    self.record = record
    self.proposal = proposal
    number = record.number
    rng = SplitMix64(seed: seed)
  }

  /// A snapshot of the trial as it stands.
  public var frozen: FrozenTrial { lock.withLock { record } }

  /// The parameters suggested so far.
  public var parameters: [String: ParameterValue] { frozen.parameters }

  /// The value of parameter `name` drawn from `distribution` (the same value
  /// again when asked twice).
  ///
  /// - Throws: `TuningError` when `distribution` is invalid or differs from
  ///   the one `name` had before in this trial; storage errors.
  public func suggest(_ name: String, _ distribution: Distribution) throws -> ParameterValue {
    try lock.withLock {
      if let v = record.parameters[name] {
        guard record.distributions[name] == distribution else {
          throw TuningError.conflictingDistribution(name: name)
        }
        return v
      }
      try distribution.validate(key: name)
      let v: ParameterValue
      if let (d, p) = proposal[name], d == distribution {
        v = p
      } else {
        v = distribution.value(at: Int.random(in: 0..<distribution.count, using: &rng))
      }
      record.parameters[name] = v
      record.distributions[name] = distribution
      record.parameterOrder.append(name)
      try study.storage.save(study: study.name, trial: record)
      return v
    }
  }

  /// A float on a grid of `steps` points from `low` to `high` (log-spaced
  /// when `log`).
  public func suggestFloat(
    _ name: String, low: Double, high: Double, steps: Int = 16, log: Bool = false
  ) throws -> Double {
    let v = try suggest(name, .float(low: low, high: high, steps: steps, log: log))
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
    try lock.withLock {
      record.intermediateValues[step] = value
      try study.storage.save(study: study.name, trial: record)
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
    try lock.withLock {
      record.userAttributes[key] = value
      try study.storage.save(study: study.name, trial: record)
    }
  }

  /// Takes every proposed parameter and sets `attributes`, with one write
  /// to the storage (called by `Study.ask`).
  func adoptProposal(order: [String], attributes: [String: JSONValue]) throws {
    try lock.withLock {
      for name in order where record.parameters[name] == nil {
        guard let (d, v) = proposal[name] else { continue }
        record.parameters[name] = v
        record.distributions[name] = d
        record.parameterOrder.append(name)
      }
      record.userAttributes.merge(attributes) { $1 }
      try study.storage.save(study: study.name, trial: record)
    }
  }

  /// Finishes the trial (called by `Study.tell`).
  func finish(state: TrialState, value: Double?) throws -> FrozenTrial {
    try study.failStaleTrials()
    return try lock.withLock {
      guard record.state == .running else { throw TuningError.trialFinished(number: number) }
      record.state = state
      if let value { record.value = value }
      if state == .pruned, value == nil {
        record.value = record.intermediateValues.max { $0.key < $1.key }?.value
      }
      record.finished = Date()
      try study.storage.save(study: study.name, trial: record)
      return record
    }
  }
}
