extension Schedule {
  /// A custom schedule: each β of `betas` in order, `sweepsPerBeta` sweeps each.
  public init(betas: [Double], sweepsPerBeta: Int = 1) {
    self.init(steps: betas.map { Step(beta: $0, sweeps: sweepsPerBeta) })
  }

  /// A custom schedule from `(β, sweeps)` pairs.
  public init(pairs: [(beta: Double, sweeps: Int)]) {
    self.init(steps: pairs.map { Step(beta: $0.beta, sweeps: $0.sweeps) })
  }

  /// One β held for `sweeps` sweeps: samples the Boltzmann distribution at β.
  public static func constant(beta: Double, sweeps: Int) -> Schedule {
    Schedule(steps: [Step(beta: beta, sweeps: sweeps)])
  }

  /// Throws unless every β is finite and non-negative and every sweep count
  /// non-negative.
  public func validate() throws {
    for (k, step) in steps.enumerated() {
      guard step.beta.isFinite, step.beta >= 0 else {
        throw SamplerError("schedule step \(k): β must be finite and ≥ 0, got \(step.beta)")
      }
      guard step.sweeps >= 0 else {
        throw SamplerError("schedule step \(k): sweeps must be ≥ 0, got \(step.sweeps)")
      }
    }
  }
}
