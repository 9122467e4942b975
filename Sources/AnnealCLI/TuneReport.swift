import Anneal
import Foundation

/// `--report DIR`: two SVG plots of a finished study, drawn with `Plots`:
/// `history.svg` (each complete trial's value as a marker and the best value
/// so far as a step line, against the trial number) and `importance.svg`
/// (bars of `Study.parameterImportance`).
struct TuneReport {
  var study: Study

  func write(to dir: String) throws {
    try FileManager.default.createDirectory(
      atPath: dir, withIntermediateDirectories: true)
    try history().write(toFile: "\(dir)/history.svg", atomically: true, encoding: .utf8)
    try importance().write(toFile: "\(dir)/importance.svg", atomically: true, encoding: .utf8)
  }

  func history() throws -> String {
    let h = try study.bestValueHistory()
    var trials: [PlotPoint] = []
    var steps: [PlotPoint] = []
    var previous: Double?
    for p in h {
      let x = Double(p.number)
      if let v = p.value { trials.append(PlotPoint(x: x, y: v)) }
      guard let b = p.best else { continue }
      // The best-so-far line is a staircase: across at the old best, then
      // down (or up) to the new one at the same trial.
      if let prev = previous, prev != b { steps.append(PlotPoint(x: x, y: prev)) }
      steps.append(PlotPoint(x: x, y: b))
      previous = b
    }
    if let b = previous, let last = h.last, let x = steps.last?.x, Double(last.number) > x {
      steps.append(PlotPoint(x: Double(last.number), y: b))
    }
    var plot = LinePlot(
      title: "\(study.name): value by trial (\(study.direction.rawValue))",
      xLabel: "trial number", yLabel: "objective value",
      series: [
        PlotSeries(name: "trial value", points: trials, colourIndex: 5, style: .markers),
        PlotSeries(name: "best so far", points: steps, colourIndex: 1, style: .line),
      ],
      xLog: false)
    plot.dodge = false
    return plot.svg()
  }

  func importance() throws -> String {
    let imp = try study.parameterImportance()
    var chart = BarChart(
      title: "\(study.name): parameter importance",
      valueLabel: "η² (share of the value's variance explained by the parameter)",
      bars: imp.map { (label: $0.name, value: $0.importance) },
      format: { String(format: "%.2f", $0) })
    chart.height = max(260, 130 + 40 * Double(imp.count))
    return chart.svg()
  }
}
