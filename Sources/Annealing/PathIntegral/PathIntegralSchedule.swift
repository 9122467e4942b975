import QUBOModel

// Schedules of path-integral simulated quantum annealing, as plain data.
//
// SQA simulates the transverse-field Ising model
//
//     H(s) = A(s) · (−Σ_i σˣ_i) + B(s) · H_p(σᶻ)
//
// at a fixed inverse temperature β while the transverse field falls. A step
// of a schedule holds the pair (A, B) and how many sweeps to run with it.
// The Γ form `−Γ Σ σˣ_i + H_p` is the special case A = Γ, B = 1, and
// OpenJij's form `s·H_p + Γ(1 − s)(−Σ σˣ_i)` is A = Γ(1 − s), B = s, so runs
// made with either tool can be reproduced step by step.

/// A transverse-field interval `[low, high]` that SQA anneals from `high` to `low`.
public struct GammaRange: Sendable, Equatable {
  /// The first, largest Γ.
  public var high: Double
  /// The last, smallest Γ.
  public var low: Double

  public init(high: Double, low: Double) {
    self.high = high
    self.low = low
  }
}

/// An SQA schedule: a list of steps `(A, B, sweeps)` for
/// `H = A·(−Σ σˣ_i) + B·H_p`.
public struct TransverseFieldSchedule: Sendable, Equatable {
  /// One step: `sweeps` sweeps of `H = A·(−Σ σˣ) + B·H_p`.
  public struct Step: Sendable, Equatable {
    /// A, the coefficient of `−Σ σˣ_i` (Γ in the Γ form), `A ≥ 0`.
    public var transverseField: Double
    /// B, the coefficient of the problem Hamiltonian (1 in the Γ form).
    public var problemScale: Double
    /// Sweeps run with this step's coefficients.
    public var sweeps: Int

    public init(transverseField: Double, problemScale: Double = 1, sweeps: Int) {
      self.transverseField = transverseField
      self.problemScale = problemScale
      self.sweeps = sweeps
    }
  }

  /// The steps, in order.
  public var steps: [Step]

  public init(steps: [Step]) { self.steps = steps }

  /// The Γ form: `points` values of Γ from `range.high` down to `range.low`,
  /// spaced by `shape`, with B = 1, splitting `sweeps` as evenly as possible
  /// (earlier points get the remainder).
  ///
  /// `points` defaults to `sweeps`, at
  /// most `Schedule.maxPoints`.
  /// A geometric shape needs both ends positive; with an end at 0 the
  /// spacing is linear.
  public init(
    gammaRange range: GammaRange, sweeps: Int, shape: Schedule.Shape = .geometric,
    points: Int? = nil
  ) {
    self.steps = Schedule.spaced(
      from: range.high, to: range.low, sweeps: sweeps, shape: shape, points: points
    ).map { Step(transverseField: $0.value, sweeps: $0.sweeps) }
  }

  /// The Γ form from explicit `(Γ, sweeps)` pairs (B = 1).
  public init(gammas: [(gamma: Double, sweeps: Int)]) {
    steps = gammas.map { Step(transverseField: $0.gamma, sweeps: $0.sweeps) }
  }

  /// The A(s)/B(s) form: each `(s, sweeps)` pair becomes the step
  /// `(A(s), B(s), sweeps)`.
  public init(
    s points: [(s: Double, sweeps: Int)], a: (Double) -> Double, b: (Double) -> Double
  ) {
    steps = points.map {
      Step(transverseField: a($0.s), problemScale: b($0.s), sweeps: $0.sweeps)
    }
  }

  /// OpenJij's form `H = s·H_p + Γ(1 − s)(−Σ σˣ_i)`: A(s) = Γ(1 − s), B(s) = s.
  public static func openJij(
    gamma: Double = 1, s points: [(s: Double, sweeps: Int)]
  ) -> TransverseFieldSchedule {
    TransverseFieldSchedule(s: points, a: { gamma * (1 - $0) }, b: { $0 })
  }

  /// OpenJij's default SQA schedule: `s = f(t)`, `t` evenly spaced over
  /// `[0, 1]`, with the quartic `f(t) = t⁴(35 − 84t + 70t² − 20t³)`
  /// (Morita & Nishimori, J. Math. Phys. 49, 125210 (2008)).
  ///
  /// One sweep at each of `sweeps` values, or, beyond `Schedule.maxPoints`
  /// sweeps, that many values sharing the sweeps.
  public static func openJijQuartic(gamma: Double = 1, sweeps: Int) -> TransverseFieldSchedule {
    let points = Schedule.spaced(
      from: 0, to: 1, sweeps: max(0, sweeps), shape: .linear, points: nil)
      .map { p -> (s: Double, sweeps: Int) in
        let t = p.value
        let t4 = t * t * t * t
        return (t4 * (35 - 84 * t + 70 * t * t - 20 * t * t * t), p.sweeps)
      }
    return openJij(gamma: gamma, s: points)
  }

  /// The total number of sweeps.
  public var totalSweeps: Int { Schedule.saturatingSum(steps.lazy.map(\.sweeps)) }

  /// Throws unless every step has `A ≥ 0`, a finite B and `sweeps ≥ 0`.
  public func validate() throws {
    for (k, step) in steps.enumerated() {
      guard step.transverseField.isFinite, step.transverseField >= 0 else {
        throw SamplerError("schedule step \(k): the transverse field must be finite and ≥ 0")
      }
      guard step.problemScale.isFinite else {
        throw SamplerError("schedule step \(k): the problem scale B must be finite")
      }
      guard step.sweeps >= 0 else {
        throw SamplerError("schedule step \(k): sweeps must be non-negative")
      }
    }
  }
}
