/// Why a tuning call failed.
public enum TuningError: Error, Sendable, CustomStringConvertible, Equatable {
  /// A parameter definition is malformed; `key` names where (`lr.low`).
  case invalidParameter(key: String, String)
  /// A parameter was suggested with a different distribution than before.
  case conflictingDistribution(name: String)
  /// The study exists with another direction.
  case directionMismatch(study: String, stored: String)
  /// A trial was told or updated after it finished.
  case trialFinished(number: Int)
  /// The storage failed (message from the backend).
  case storage(String)

  public var description: String {
    switch self {
    case .invalidParameter(let key, let reason): return "\(key): \(reason)"
    case .conflictingDistribution(let name):
      return "parameter '\(name)' was suggested with two different distributions"
    case .directionMismatch(let study, let stored):
      return "study '\(study)' exists with direction \(stored)"
    case .trialFinished(let n): return "trial \(n) has already finished"
    case .storage(let m): return "storage: \(m)"
    }
  }
}

/// Thrown by an objective to stop its trial as pruned (see `Trial.shouldPrune`).
public struct TrialPruned: Error, Sendable {
  /// A pruned-trial marker.
  public init() {}
}
