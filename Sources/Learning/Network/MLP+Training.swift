import GSLSupport

/// What a training run did.
public struct TrainingReport: Sendable {
  /// The final training loss (cross-entropy + L2).
  public var loss: Double
  /// BFGS iterations.
  public var iterations: Int
  /// Why BFGS stopped.
  public var stopReason: String
}

extension MLP {
  /// Fits all parameters full-batch by GSL's BFGS on the softmax
  /// cross-entropy of `data` plus `(l2/2)·Σ‖W‖²`, from the current parameters.
  ///
  /// - Throws: `GSLError` when the minimiser fails.
  @discardableResult
  public mutating func train(
    on data: Dataset, l2: Double = 1e-3, maxIterations: Int = 400, tolerance: Double = 1e-5
  ) throws -> TrainingReport {
    let objective = try NetworkObjective(network: self, data: data, l2: l2)
    let result = try GSL.minimize(
      start: parameters, tolerance: tolerance, maxIterations: maxIterations, stepSize: 0.1,
      function: { objective.loss($0) },
      gradient: { objective.gradient($0, into: &$1) })
    parameters = result.point
    return TrainingReport(
      loss: result.value, iterations: result.iterations, stopReason: result.stopReason)
  }
}
