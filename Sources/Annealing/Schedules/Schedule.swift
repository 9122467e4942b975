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
  /// `points` defaults to `sweeps` (one sweep per β); either way there are
  /// at most `Schedule.maxPoints`: a longer run shares each β among several
  /// sweeps instead of storing one step per sweep.
  public init(range: BetaRange, sweeps: Int, shape: Shape, points: Int? = nil) {
    self.steps = Schedule.spaced(
      from: range.hot, to: range.cold, sweeps: sweeps, shape: shape, points: points
    ).map { Step(beta: $0.value, sweeps: $0.sweeps) }
  }

  /// The most distinct points a schedule built from a range gets, whatever
  /// point count is asked for (a run of 10^10 sweeps must not store 10^10
  /// steps).
  public static let maxPoints = 1 << 16

  /// How many points a range schedule of `sweeps` sweeps gets: `points`
  /// (default `sweeps`), at most `sweeps` and `maxPoints`, at least 1.
  static func pointCount(sweeps: Int, points: Int?) -> Int {
    max(1, min(points ?? sweeps, sweeps, maxPoints))
  }

  /// Values from `a` to `b` spaced by `shape`, each with its share of `sweeps`.
  ///
  /// There are `pointCount(sweeps:points:)` points; `sweeps` is split as
  /// evenly as possible (earlier points get the remainder) and points left
  /// without sweeps are dropped. Geometric spacing needs both ends positive;
  /// otherwise the spacing is linear. SA's β and SQA's Γ schedules are both
  /// built by it.
  static func spaced(
    from a: Double, to b: Double, sweeps: Int, shape: Shape, points: Int?
  ) -> [(value: Double, sweeps: Int)] {
    let k = pointCount(sweeps: sweeps, points: points)
    let base = sweeps / k
    let extra = sweeps % k
    var out: [(value: Double, sweeps: Int)] = []
    out.reserveCapacity(k)
    for p in 0..<k {
      let t = k == 1 ? 1.0 : Double(p) / Double(k - 1)
      let value: Double
      switch shape {
      case .linear: value = a + (b - a) * t
      case .geometric: value = a > 0 && b > 0 ? a * pow(b / a, t) : a + (b - a) * t
      }
      let n = base + (p < extra ? 1 : 0)
      if n > 0 { out.append((value, n)) }
    }
    return out
  }

  /// The total number of sweeps (`Int.max` if the sum overflows).
  public var totalSweeps: Int { Schedule.saturatingSum(steps.lazy.map(\.sweeps)) }

  /// The sum of non-negative counts, `Int.max` if it overflows.
  static func saturatingSum<S: Sequence<Int>>(_ counts: S) -> Int {
    var total = 0
    for c in counts {
      let (t, overflow) = total.addingReportingOverflow(c)
      if overflow { return Int.max }
      total = t
    }
    return total
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
