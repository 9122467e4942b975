import Foundation
import QUBOModel

/// Where a trial is in its life.
public enum TrialState: String, Sendable, CaseIterable {
  /// Claimed and being evaluated.
  case running
  /// Finished with a value.
  case complete
  /// Stopped early by a pruner.
  case pruned
  /// The objective threw, timed out or gave no value.
  case failed
  /// Claimed by a worker that died before finishing; the next claim reuses it.
  case waiting

  /// Whether the trial has finished (complete, pruned or failed).
  public var isFinished: Bool {
    switch self {
    case .complete, .pruned, .failed: return true
    case .running, .waiting: return false
    }
  }
}

/// A snapshot of one trial, as storages keep it.
public struct FrozenTrial: Sendable, Equatable {
  /// The trial's number in its study, from 0.
  public var number: Int
  /// The trial's state.
  public var state: TrialState
  /// The objective value (complete trials; pruned ones keep their last report).
  public var value: Double?
  /// The suggested parameters.
  public var parameters: [String: ParameterValue]
  /// The distribution each parameter was suggested from.
  public var distributions: [String: Distribution]
  /// Parameter names in the order they were suggested.
  public var parameterOrder: [String]
  /// Reported intermediate values by step.
  public var intermediateValues: [Int: Double]
  /// Free-form attributes set by the objective.
  public var userAttributes: [String: JSONValue]
  /// When the trial started.
  public var started: Date?
  /// When the trial finished.
  public var finished: Date?
  /// Which worker runs it (`host/pid`).
  public var owner: String?

  /// A new running trial.
  public init(number: Int, owner: String? = nil, started: Date? = Date()) {
    self.number = number
    state = .running
    parameters = [:]
    distributions = [:]
    parameterOrder = []
    intermediateValues = [:]
    userAttributes = [:]
    self.started = started
    self.owner = owner
  }

  /// Wall-clock seconds from start to finish (`nil` while unfinished).
  public var seconds: Double? {
    guard let s = started, let f = finished else { return nil }
    return f.timeIntervalSince(s)
  }

  /// The trial as JSON: `number, state, value, params, seconds` and, when
  /// present, `intermediate_values` and `user_attrs`.
  public var json: JSONValue {
    var o: [String: JSONValue] = [
      "number": .int(number), "state": .string(state.rawValue),
      "value": value.map { .double($0) } ?? .null,
      "params": .object(parameters.mapValues(\.json)),
      "seconds": seconds.map { .double($0) } ?? .null,
    ]
    if !intermediateValues.isEmpty {
      o["intermediate_values"] = .object(
        Dictionary(uniqueKeysWithValues: intermediateValues.map { (String($0), .double($1)) }))
    }
    if !userAttributes.isEmpty { o["user_attrs"] = .object(userAttributes) }
    return .object(o)
  }
}

extension FrozenTrial {
  /// The columns a storage keeps as JSON text: parameters with their
  /// distributions and order, intermediate values and user attributes.
  /// Public so that storages in other modules keep trials the same way.
  public var payload: JSONValue {
    .object([
      "order": .array(parameterOrder.map { .string($0) }),
      "params": .object(parameters.mapValues(\.json)),
      "distributions": .object(distributions.mapValues(\.json)),
      "intermediate": .object(
        Dictionary(uniqueKeysWithValues: intermediateValues.map { (String($0), .double($1)) })),
      "user_attrs": .object(userAttributes),
    ])
  }

  /// Restores the fields of `payload`.
  public mutating func restore(payload: JSONValue) throws {
    guard case .object(let o) = payload else { throw TuningError.storage("bad trial payload") }
    if case .array(let a)? = o["order"] {
      parameterOrder = a.compactMap { if case .string(let s) = $0 { s } else { nil } }
    }
    if case .object(let p)? = o["params"] {
      parameters = p.compactMapValues { ParameterValue(json: $0) }
    }
    if case .object(let d)? = o["distributions"] {
      distributions = try d.reduce(into: [:]) {
        $0[$1.key] = try Distribution(json: $1.value, key: $1.key)
      }
    }
    if case .object(let iv)? = o["intermediate"] {
      intermediateValues = iv.reduce(into: [:]) { acc, kv in
        if let step = Int(kv.key), let v = kv.value.doubleValue { acc[step] = v }
      }
    }
    if case .object(let u)? = o["user_attrs"] { userAttributes = u }
  }
}
