// The trust region of CASMOPOLITAN (Wan et al., "Think Global and Act
// Local: Bayesian Optimisation over High-Dimensional Categorical and Mixed
// Search Spaces", ICML 2021), in parameters rather than bits:
//
// - a ball of `radius` changed parameters around the incumbent (the best
//   configuration since the last restart);
// - after `successTolerance` improvements in a row the radius doubles (up
//   to the number of parameters), after `failureTolerance` evaluations in a
//   row without one it halves; with continuous parameters an improvement
//   counts as a success only when it beats the incumbent by `successMargin` of its
//   magnitude (TuRBO's rule, Eriksson et al. 2019): it still becomes the
//   incumbent, but a crawl of tiny gains — refining a local minimum at ever
//   finer resolution — no longer doubles the radius back each time, so the
//   region collapses and restarts (issue 17, fourth round: smooth6-4 seed 3
//   crawled from 0.247 to 0.241 over 40 evaluations, its radius regrown
//   from 0.002 to 0.03 by gains of 10⁻⁴, and never restarted);
// - ordered parameters with more values than the adaptive grid shows
//   (LocalGrid.swift) are searched within `resolution` of their range
//   around the incumbent, a quarter at the initial radius and halving with
//   the radius; the radius keeps halving below 1 (the ball is then one
//   changed parameter) while such parameters still have range to refine;
// - the region has collapsed when the radius falls below 1 with no such
//   parameter, or the resolution below 10⁻⁴ of the range (with continuous
//   parameters `continuousMinResolution`, 0.4 %: on the smooth benchmark
//   narrower windows found 4 % of their proposals better, for 0.1 % of the
//   gain — issue 17, fourth round): it restarts from
//   the next evaluation (a random configuration) with the initial radius,
//   or, with `regrowAtBest` (the sampler's default where every parameter is
//   shown whole, issue 17, sixth round), regrows to the initial radius
//   around the same incumbent;
// - with `jumpAfter` = n (and regrowing), the n-th collapse at one
//   incumbent moves the region instead: to the best configuration
//   evaluated so far that is more than the initial radius away from this
//   incumbent and from every incumbent the region left before, at the
//   initial radius, that configuration its incumbent (issue 17, eighth
//   round: cubic 24's worst runs regrew three or four times at one
//   incumbent; the model's own best configuration beyond the region was
//   predicted, and measured, far worse than evaluated ones). Without such
//   a configuration it regrows. An option, off by default: measured no
//   better than regrowing (docs/tuning.md).
// - with `startRadius` = k, the first region (after the start-up design,
//   before any collapse) starts at k parameters, not the initial radius,
//   and grows by the same rule; a collapse regrows (or restarts) at the
//   initial radius as before (issue 17, tenth round: at p/4 = 10–15 on
//   LABS 40–60, 85 % of the proposals at evaluations 11–25 were five or
//   more parameters from the incumbent and improved 9 % of the time
//   against Optuna GP's one-flip walk's 19 %).
//
// The state is not stored: it is replayed from the study's complete trials
// in number order at every proposal, so that any worker in any process
// derives the same region from the same trials.

/// Where the trust-region sampler searches: the incumbent, the radius, and
/// how the region got there.
struct TrustRegion: Equatable {
  /// The best configuration since the last restart (its loss in `best`).
  var center: [Int]
  /// The best loss since the last restart.
  var best: Double
  /// Parameters a proposal may change, at most.
  var radius: Double
  /// The radius after a restart.
  var initialRadius: Double
  /// The largest radius (the number of parameters).
  var maxRadius: Double
  /// Restarts so far.
  var restarts = 0
  /// Whether the region collapsed at the last evaluation (the next proposal
  /// is a random configuration that starts a new region).
  var collapsed = false
  /// Collapses (regrowths) since the incumbent last changed.
  var collapsesAtCenter = 0
  /// The incumbents the region moved away from (`jumpAfter`).
  var left: [[Int]] = []
  var successes = 0
  var failures = 0

  /// Improvements in a row that double the radius.
  static let successTolerance = 2

  /// Evaluations in a row without improvement that halve the radius:
  /// `max(3, ⌈√p⌉)` for `p` parameters.
  static func failureTolerance(parameters p: Int) -> Int {
    max(3, Int(Double(p).squareRoot().rounded(.up)))
  }

  /// With continuous parameters, the least gain, relative to the incumbent's
  /// magnitude, that counts as a success (smaller gains still move the
  /// incumbent).
  static let successMargin = 1e-3

  /// The smallest resolution before the region collapses.
  static let minResolution = 1e-4

  /// The smallest resolution with continuous parameters (a window of
  /// ±0.4 % of the range; 10⁻⁴ until issue 17's fourth round).
  static let continuousMinResolution = 4e-3

  /// Replays the region over `observed` (configuration, loss) in trial
  /// order, the first `startup` of which were the start-up design; `fine`:
  /// whether some ordered parameter has more values than the grid shows;
  /// `continuous`: whether some parameter is a continuous float (then
  /// `successMargin` and `continuousMinResolution` apply); `regrowAtBest`:
  /// a collapse resets the radius around the incumbent instead of
  /// restarting from a random configuration (issue 17, fifth round);
  /// `initialShare`: the initial radius as a share of `p` (rounded up);
  /// `jumpAfter` (with `regrowAtBest`): the collapse at one incumbent that
  /// moves the region to the best evaluated configuration beyond the
  /// initial radius of every incumbent it left, instead of regrowing it;
  /// `startRadius`: the first region's radius in parameters (at least 1, at
  /// most the initial radius; `nil`: the initial radius).
  static func replay(
    _ observed: [(configuration: [Int], loss: Double)], parameters p: Int, startup: Int,
    fine: Bool = false, continuous: Bool = false, regrowAtBest: Bool = false,
    initialShare: Double = 0.25, jumpAfter: Int? = nil, startRadius: Int? = nil
  ) -> TrustRegion? {
    guard let first = observed.first else { return nil }
    let r0 = min(max(1, (Double(p) * initialShare).rounded(.up)), Double(p))
    let start = startRadius.map { min(r0, Double(max(1, $0))) } ?? r0
    var region = TrustRegion(
      center: first.configuration, best: first.loss, radius: start,
      initialRadius: r0, maxRadius: Double(p))
    let failTolerance = failureTolerance(parameters: p)
    for (k, o) in observed.enumerated() {
      if region.collapsed {
        region = TrustRegion(
          center: o.configuration, best: o.loss, radius: region.initialRadius,
          initialRadius: region.initialRadius, maxRadius: region.maxRadius,
          restarts: region.restarts + 1)
        continue
      }
      let improved = o.loss < region.best - 1e-12 * max(1, abs(region.best))
      let success =
        improved && (!continuous || o.loss < region.best - successMargin * abs(region.best))
      if improved {
        region.center = o.configuration
        region.best = o.loss
        region.collapsesAtCenter = 0
      }
      // The start-up design only chooses the incumbent.
      guard k >= startup else { continue }
      if success {
        region.successes += 1
        region.failures = 0
        if region.successes >= successTolerance {
          region.radius = min(region.maxRadius, 2 * region.radius)
          region.successes = 0
        }
      } else {
        region.failures += 1
        region.successes = 0
        if region.failures >= failTolerance {
          region.radius /= 2
          region.failures = 0
          let floor = continuous ? continuousMinResolution : minResolution
          if region.radius < 1 && (!fine || region.resolution < floor) {
            region.collapsesAtCenter += 1
            if regrowAtBest, let n = jumpAfter, region.collapsesAtCenter >= n,
              let far = region.bestElsewhere(observed.prefix(k + 1))
            {
              // The region moves to the best evaluation of another basin.
              region.left.append(region.center)
              region.center = far.configuration
              region.best = far.loss
              region.radius = region.initialRadius
              region.collapsesAtCenter = 0
              region.restarts += 1
            } else if regrowAtBest {
              // No random restart: the region regrows around the incumbent.
              region.radius = region.initialRadius
              region.restarts += 1
            } else {
              region.collapsed = true
            }
          }
        }
      }
    }
    return region
  }

  /// The best of `observed` more than the initial radius (rounded down)
  /// away from the incumbent and from every incumbent in `left`; `nil`
  /// when there is none.
  func bestElsewhere<C: Collection>(_ observed: C) -> (configuration: [Int], loss: Double)?
  where C.Element == (configuration: [Int], loss: Double) {
    let reach = Int(initialRadius.rounded(.down))
    var best: (configuration: [Int], loss: Double)?
    for o in observed where best.map({ o.loss < $0.loss }) ?? true {
      let far = ([center] + left).allSatisfy {
        TrustRegionSampler.distance(o.configuration, $0) > reach
      }
      if far { best = o }
    }
    return best
  }

  /// How much of an ordered parameter's range the region spans on each side
  /// of the incumbent: a quarter at the initial radius, halving with it.
  var resolution: Double { 0.25 * min(1, radius / initialRadius) }

  /// Parameters a proposal may change: the radius, at least 1.
  var ball: Int { max(1, Int(radius.rounded(.down))) }
}
