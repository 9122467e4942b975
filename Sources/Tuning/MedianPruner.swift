/// Stops a trial whose best intermediate value so far is worse than the
/// median of the completed trials' values at the same step (Optuna's
/// `MedianPruner`).
public struct MedianPruner: Sendable {
  /// Complete trials needed before anything is pruned.
  public var startupTrials: Int
  /// Steps before which a trial is never pruned.
  public var warmupSteps: Int

  /// A median pruner; defaults as in Optuna (5 start-up trials, no warm-up).
  public init(startupTrials: Int = 5, warmupSteps: Int = 0) {
    self.startupTrials = startupTrials
    self.warmupSteps = warmupSteps
  }

  /// Whether `trial` should stop, given the study's trials.
  public func shouldPrune(
    _ trial: FrozenTrial, among trials: [FrozenTrial], direction: Direction
  ) -> Bool {
    guard let step = trial.intermediateValues.keys.max(), step >= warmupSteps else {
      return false
    }
    let complete = trials.filter { $0.state == .complete && $0.number != trial.number }
    guard complete.count >= startupTrials else { return false }
    let others = complete.compactMap { $0.intermediateValues[step] }.sorted()
    guard !others.isEmpty else { return false }
    let m = others.count
    let median = m % 2 == 1 ? others[m / 2] : (others[m / 2 - 1] + others[m / 2]) / 2
    let values = trial.intermediateValues.values
    guard let best = direction == .minimize ? values.min() : values.max() else { return false }
    return direction.isBetter(median, than: best)
  }
}
