import QUBOModel

/// An annealing schedule: plain data, a list of `(β, sweeps)` steps.
///
/// Samplers run each step's sweeps at its β in order. SA and PT read `beta`;
/// SQA reads the Γ or s schedule of its own parameters.
public struct Schedule: Sendable, Equatable {
  /// One step: `sweeps` sweeps at inverse temperature `beta`.
  public struct Step: Sendable, Equatable {
    public var beta: Double
    public var sweeps: Int
    public init(beta: Double, sweeps: Int) {
      self.beta = beta
      self.sweeps = sweeps
    }
  }

  /// The steps, in order.
  public var steps: [Step]

  public init(steps: [Step]) { self.steps = steps }

  /// The shapes a schedule between two β values can take.
  public enum Shape: String, Sendable, CaseIterable {
    case geometric
    case linear
  }

  /// `points` β values from `range.hot` to `range.cold`, spaced by `shape`,
  /// splitting `sweeps` as evenly as possible among them (earlier points get
  /// the remainder).
  ///
  /// `points` defaults to `sweeps` (one sweep per β), at
  /// most `Schedule.maxPoints`: a longer run shares each β among several
  /// sweeps instead of storing one step per sweep.
  public init(range: BetaRange, sweeps: Int, shape: Shape, points: Int? = nil) {
    let k = Schedule.pointCount(sweeps: sweeps, points: points)
    var steps: [Step] = []
    steps.reserveCapacity(k)
    let base = sweeps / k
    let extra = sweeps % k
    for p in 0..<k {
      let t = k == 1 ? 1.0 : Double(p) / Double(k - 1)
      let beta: Double
      switch shape {
      case .linear: beta = range.hot + (range.cold - range.hot) * t
      case .geometric:
        beta =
          range.hot > 0
          ? range.hot * pow(range.cold / range.hot, t)
          : range.hot + (range.cold - range.hot) * t
      }
      steps.append(Step(beta: beta, sweeps: base + (p < extra ? 1 : 0)))
    }
    self.steps = steps.filter { $0.sweeps > 0 }
  }

  /// The most distinct points a schedule built from a range gets by default
  /// (a run of 10^10 sweeps must not store 10^10 steps).
  public static let maxPoints = 1 << 16

  /// How many points a range schedule of `sweeps` sweeps gets.
  static func pointCount(sweeps: Int, points: Int?) -> Int {
    max(1, min(points ?? min(sweeps, maxPoints), max(sweeps, 1)))
  }

  /// The total number of sweeps.
  public var totalSweeps: Int { steps.reduce(0) { $0 + $1.sweeps } }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
