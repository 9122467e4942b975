// The statistics of a sweep from its finished cells.
//
// A group is an (instance, sampler, grid point): its cells' reads pool over
// the spec's seeds. Per group: p with a Wilson interval, TTS99 with a
// bootstrap interval over reads, residual energy, throughput. Per sampler,
// instance family and size: the q-quantile of TTS99 over instances at each
// grid point with a two-level bootstrap interval (instances, and reads within
// each instance), and the optimal TTS (the minimum of that quantile over the
// grid), flagged when it lies at an end of a grid axis: the grid then does
// not show the optimum, and the value only bounds the optimal TTS from above. Between samplers: speed-ups
// at each one's optimal point, as a ratio of quantiles and as the quantile of
// per-instance ratios. Every bootstrap is seeded from the spec seed and the
// group's name, so the summary depends only on the cells' energies (and, with
// tts_unit seconds, on their timings).

import Annealing
import QUBOModel

/// The per-group and per-sampler statistics of a sweep.
public struct SweepSummary: Sendable {
  /// One (instance, sampler, grid point) with its pooled statistics.
  public struct Group: Sendable {
    /// Index into the plan's instances.
    public var instance: Int
    /// Index into the spec's samplers.
    public var sampler: Int
    /// Index into the sampler's grid points.
    public var point: Int
    /// The statistics (t_read in the spec's unit).
    public var statistics: CellStatistics
    /// Wall-clock seconds per read (threads × seconds / reads).
    public var secondsPerRead: Double
    /// Cells (seeds) that contributed.
    public var cells: Int
  }

  /// TTS over the instances of one family and size at one grid point.
  public struct PointQuantile: Sendable {
    /// The grid point.
    public var point: Int
    /// The q-quantile of TTS99 with a bootstrap interval over instances.
    public var tts: Estimate
    /// The median over instances of the mean residual energy, with interval.
    public var residual: Estimate
    /// The mean success probability over instances.
    public var meanSuccess: Double
    /// The instances' TTS99, in the plan's instance order.
    public var perInstance: [Double]
  }

  /// A sampler on one family and size.
  public struct Curve: Sendable {
    /// Index into the spec's samplers.
    public var sampler: Int
    /// The instance family.
    public var family: String
    /// Variables per instance.
    public var size: Int
    /// The instances (indices into the plan's).
    public var instances: [Int]
    /// Each grid point with all instances finished.
    public var points: [PointQuantile]
    /// The grid point with the lowest quantile, and that quantile.
    public var optimal: PointQuantile?
    /// The grid axes at whose first or last value the optimum lies (axes
    /// with one value never count): the true optimum may lie beyond the
    /// grid, so the optimal TTS shown is only an upper bound on it.
    public var optimalAtEdge: [GridEdge]
  }

  /// An axis of a grid at whose end a curve's optimum lies.
  public struct GridEdge: Sendable, Equatable {
    /// The grid key.
    public var key: String
    /// The value there.
    public var value: JSONValue
    /// Whether it is the axis's smallest (first) value, else its largest.
    public var low: Bool
  }

  /// A speed-up of `fast` over `slow` on one family and size.
  public struct SpeedUp: Sendable {
    /// The sampler compared against.
    public var slow: Int
    /// The sampler whose speed-up it is (> 1: faster).
    public var fast: Int
    /// The family.
    public var family: String
    /// Variables per instance.
    public var size: Int
    /// `Q_q(TTS_slow) / Q_q(TTS_fast)`.
    public var ratioOfQuantiles: Double
    /// `Q_q(TTS_slow,i / TTS_fast,i)`.
    public var quantileOfRatios: Double
  }

  /// The plan summarised.
  public var plan: SweepPlan
  /// The target energy of each instance (nil: no cell finished and none
  /// known).
  public var targets: [Double?]
  /// The groups with at least one finished cell.
  public var groups: [Group]
  /// One curve per sampler, family and size.
  public var curves: [Curve]
  /// Speed-ups between every two samplers.
  public var speedUps: [SpeedUp]
  /// Cells finished.
  public var finishedCells: Int

  /// Summarises the finished `results` of `plan` (results for keys the plan
  /// does not have are ignored).
  public init(plan: SweepPlan, results: [CellResult]) {
    self.plan = plan
    let spec = plan.spec
    let byKey = Dictionary(results.map { ($0.key, $0) }) { a, _ in a }
    let finished = plan.cells.filter { byKey[$0.key] != nil }
    finishedCells = finished.count
    var best = [Double?](repeating: nil, count: plan.instances.count)
    for cell in finished {
      guard let low = byKey[cell.key]?.energies.min() else { continue }
      best[cell.instance] = min(best[cell.instance] ?? low, low)
    }
    targets = plan.instances.indices.map { plan.instances[$0].target ?? best[$0] }

    struct GroupKey: Hashable {
      var instance: Int
      var sampler: Int
      var point: Int
    }
    var pooled: [GroupKey: [CellResult]] = [:]
    var order: [GroupKey] = []
    for cell in finished {
      let key = GroupKey(instance: cell.instance, sampler: cell.sampler, point: cell.point)
      if pooled[key] == nil { order.append(key) }
      if let r = byKey[cell.key] { pooled[key, default: []].append(r) }
    }
    var groups: [Group] = []
    var index: [GroupKey: Int] = [:]
    for key in order {
      guard let cells = pooled[key], let target = targets[key.instance] else { continue }
      let energies = cells.flatMap(\.energies)
      let seconds = cells.reduce(0) { $0 + $1.seconds }
      let cpuSeconds = cells.reduce(0) { $0 + $1.seconds * Double($1.threads) }
      let updates = cells.reduce(0) { $0 + $1.spinUpdates }
      let reads = Double(max(energies.count, 1))
      let tRead: Double
      switch spec.ttsUnit {
      case .seconds: tRead = cpuSeconds / reads
      case .spinUpdates: tRead = updates / reads
      }
      let name = "\(plan.instances[key.instance].name)|\(key.sampler)|\(key.point)"
      let stats = CellStatistics(
        energies: energies, target: target, tRead: tRead, spinUpdates: updates,
        seconds: seconds, resamples: spec.resamples,
        seed: SplitMix64.mix(spec.seed ^ SweepCell.stableHash(name)))
      index[key] = groups.count
      groups.append(
        Group(
          instance: key.instance, sampler: key.sampler, point: key.point, statistics: stats,
          secondsPerRead: cpuSeconds / reads, cells: cells.count))
    }
    self.groups = groups

    struct FamilySize: Hashable {
      var family: String
      var size: Int
    }
    var families: [FamilySize] = []
    var members: [FamilySize: [Int]] = [:]
    for (i, instance) in plan.instances.enumerated() {
      let fs = FamilySize(family: instance.family, size: instance.size)
      if members[fs] == nil { families.append(fs) }
      members[fs, default: []].append(i)
    }
    var curves: [Curve] = []
    for s in spec.samplers.indices {
      for fs in families {
        let list = members[fs] ?? []
        var points: [PointQuantile] = []
        for p in spec.samplers[s].points.indices {
          let found = list.compactMap { index[GroupKey(instance: $0, sampler: s, point: p)] }
          guard found.count == list.count, !list.isEmpty else { continue }
          let stats = found.map { groups[$0].statistics }
          var rng = SplitMix64(
            seed: SplitMix64.mix(
              spec.seed ^ SweepCell.stableHash("\(fs.family)|\(fs.size)|\(s)|\(p)")))
          let tts = stats.map(\.tts99.value)
          var estimate: Estimate
          if let only = stats.first, stats.count == 1 {
            // One instance: the interval is that instance's bootstrap over reads.
            estimate = Estimate(
              value: only.tts99.value, lower: only.tts99.lower, upper: only.tts99.upper)
          } else {
            estimate = TwoLevelBootstrap.quantile(
              stats.map {
                TwoLevelBootstrap.Reads(
                  successes: $0.success.successes, reads: $0.success.reads, tRead: $0.tRead)
              }, spec.quantile, resamples: spec.resamples, using: &rng)
            if !estimate.value.isFinite {
              // Unsolved instances have TTS99 = ∞ but a finite lower bound from
              // their reads; the same quantile of those bounds bounds this one.
              estimate.lower = Quantile.of(stats.map(\.tts99.lower), spec.quantile)
            }
          }
          points.append(
            PointQuantile(
              point: p,
              tts: estimate,
              residual: Quantile.withInterval(
                stats.map(\.residualMean), 0.5, resamples: spec.resamples, using: &rng),
              meanSuccess: stats.map(\.success.estimate).reduce(0, +) / Double(stats.count),
              perInstance: tts))
        }
        var optimal: PointQuantile?
        // The lowest quantile; among infinite ones, the lowest lower bound
        // (optimal TTS is at least the smallest bound over the grid).
        for q in points where !q.tts.value.isNaN {
          if let o = optimal, (q.tts.value, q.tts.lower) >= (o.tts.value, o.tts.lower) {
            continue
          }
          optimal = q
        }
        curves.append(
          Curve(
            sampler: s, family: fs.family, size: fs.size, instances: list, points: points,
            optimal: optimal,
            optimalAtEdge: optimal.map { Self.edges(of: $0.point, in: spec.samplers[s]) } ?? []))
      }
    }
    self.curves = curves

    var speedUps: [SpeedUp] = []
    for a in curves {
      for b in curves where b.sampler > a.sampler && b.family == a.family && b.size == a.size {
        guard let slow = a.optimal?.perInstance, let fast = b.optimal?.perInstance else {
          continue
        }
        speedUps.append(
          SpeedUp(
            slow: a.sampler, fast: b.sampler, family: a.family, size: a.size,
            ratioOfQuantiles: InstanceSetStatistics.ratioOfQuantiles(
              slow: slow, fast: fast, quantile: spec.quantile),
            quantileOfRatios: InstanceSetStatistics.quantileOfRatios(
              slow: slow, fast: fast, quantile: spec.quantile)))
      }
    }
    self.speedUps = speedUps
  }

  /// The axes of `grid` at whose first or last value point `p` lies
  /// (numeric axes by value, others by position in the list).
  static func edges(of p: Int, in grid: SamplerGrid) -> [GridEdge] {
    var out: [GridEdge] = []
    for key in grid.gridKeys {
      var values: [JSONValue] = []
      for point in grid.points {
        if let v = point[key], !values.contains(v) { values.append(v) }
      }
      guard values.count > 1, let here = grid.points[p][key] else { continue }
      let numbers = values.compactMap(\.doubleValue)
      if numbers.count == values.count, let x = here.doubleValue {
        if x == numbers.min() { out.append(GridEdge(key: key, value: here, low: true)) }
        if x == numbers.max() { out.append(GridEdge(key: key, value: here, low: false)) }
      } else if here == values.first {
        out.append(GridEdge(key: key, value: here, low: true))
      } else if here == values.last {
        out.append(GridEdge(key: key, value: here, low: false))
      }
    }
    return out
  }

  /// Whether every cell of the plan has finished.
  public var isComplete: Bool { finishedCells == plan.cells.count }
}
