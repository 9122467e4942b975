// Polishing a proposal's windowed parameters on the fitted model.
//
// The acquisition QUBO sees a windowed parameter (a continuous float, a fine
// grid, a long integer range: LocalGrid.swift) through 9 levels of its
// window, so an annealed proposal can only land on a level: the model's
// minimum between two levels is out of reach, and near convergence (the
// smooth 6-parameter benchmark) the search stalls one level-step away from
// an optimum the model already locates (issue 17, third round). The fitted
// regression, though, is smooth in each windowed parameter's position d
// (it enters through d and d²: LocalFeatures.swift), so the discrete answer
// can be finished continuously:
//
// - start from a configuration (the incumbent, or an annealed candidate);
// - for each windowed parameter in turn, with every other fixed, minimise
//   the model between the levels either side of the start's (33 evenly
//   spaced values, then 33 over the two steps around the best, until the
//   steps are single values: a window of 2²⁰ values is resolved to one);
// - sweep the parameters until a sweep moves none, at most `sweeps` times.
//
// Only between neighbouring levels: polishing over the whole window first
// (third round, seed 1 of smooth 6) made regret at 100 evaluations 6×
// worse — probably because the model's minimum over the window sits where
// the fit extrapolates (its d·d² and d²·d'² pairs are cubic and quartic),
// and every proposal went there (not verified further). Between two levels the model interpolates.
//
// The parameters shown whole (bits) are the annealer's and are not moved,
// so the QUBO still decides every discrete choice; the polish only refines
// positions the QUBO can only see coarsely. It is coordinate descent
// within a box: a local minimum of the model, which is why several starts
// are polished.

/// Coordinate descent of the fitted model over the windowed parameters of
/// a configuration, within their windows.
struct ContinuousPolish {
  /// Values tried per parameter at each zoom.
  var points = 33
  /// Zooms per parameter, at most (each narrows the range to two steps
  /// of the last, until the steps are single values).
  var zooms = 8
  /// Sweeps over the parameters, at most.
  var sweeps = 3

  /// `start` (a full configuration) with its windowed parameters moved,
  /// one at a time between the grid levels either side of the start's, to
  /// where `model` predicts lowest;
  /// returns the configuration and its prediction.
  func polish(_ start: [Int], model: FeatureQuadratic, features: LocalFeatures)
    -> (configuration: [Int], predicted: Double)
  {
    var x = start
    var fx = model.predict(features.row(full: x))
    for _ in 0..<sweeps {
      var moved = false
      for k in features.windowed.indices where features.windowed[k] {
        let levels = features.grid.levels[k]
        let at = LocalGrid.nearest(start[k], in: levels)
        let lo = levels[max(0, at - 1)]
        let hi = levels[min(levels.count - 1, at + 1)]
        guard hi > lo else { continue }
        var a = lo
        var b = hi
        for _ in 0..<zooms where b - a >= 2 {
          let step = Double(b - a) / Double(points - 1)
          for j in 0..<points {
            let v = min(hi, max(lo, a + Int((Double(j) * step).rounded())))
            guard v != x[k] else { continue }
            var y = x
            y[k] = v
            let f = model.predict(features.row(full: y))
            if f < fx - 1e-12 * max(1, abs(fx)) {
              fx = f
              x = y
              moved = true
            }
          }
          let reach = max(1, Int(step.rounded(.up)))
          a = max(lo, x[k] - reach)
          b = min(hi, x[k] + reach)
        }
      }
      if !moved { break }
    }
    return (x, fx)
  }
}
