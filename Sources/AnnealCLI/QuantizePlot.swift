import Anneal
import Foundation
import Learning

/// Energy against accuracy for `anneal quantize --plot`: each seed's
/// methods as points, x the method's summed rounding energy over the
/// seed's lowest (1 is the best energy any method found), y its test
/// accuracy minus the float network's, in points.
extension QuantizeReport {
  /// The summed energy of `method` per seed.
  func totalEnergy(_ method: String) -> [Double] {
    results.map { ($0.energies[method] ?? []).reduce(0, +) }
  }

  /// The SVG plot of energy against accuracy, before fine-tuning or after.
  func energyAccuracyPlot(fineTuned: Bool) -> String {
    let lowest = results.indices.map { k in
      solvers.map { totalEnergy($0)[k] }.filter { $0 > 0 }.min() ?? 1
    }
    let series = solvers.enumerated().map { index, m in
      let name = fineTuned ? m + "+finetune" : m
      let e = totalEnergy(m)
      let points = results.indices.map { k in
        PlotPoint(
          x: e[k] / lowest[k],
          y: 100 * ((results[k].accuracy[name] ?? .nan) - (results[k].accuracy["float"] ?? .nan)))
      }
      return PlotSeries(name: name, points: points, colourIndex: index, style: .markers)
    }
    var plot = LinePlot(
      title: "\(dataset), \(bits) bit(s), \(results.count) seeds: energy against accuracy, "
        + (fineTuned ? "fine-tuned" : "rounded"),
      xLabel: "summed QUBO energy / the seed's lowest (1 = best found)",
      yLabel: "test accuracy − float accuracy (points)", series: series, xLog: true, yLog: false)
    plot.dodge = false
    return plot.svg()
  }

  /// Spearman's rank correlation of energy and accuracy across the methods
  /// of each seed (ties get mean ranks), with or without rtn.
  func energyAccuracyCorrelation(fineTuned: Bool, withoutRTN: Bool) -> Summary {
    let methods = solvers.filter { !(withoutRTN && $0 == "rtn") }
    let values = results.indices.compactMap { k -> Double? in
      let e = methods.map { totalEnergy($0)[k] }
      let a = methods.map { results[k].accuracy[fineTuned ? $0 + "+finetune" : $0] ?? .nan }
      return spearmanRho(e, a)
    }
    return Summary(values)
  }
}
