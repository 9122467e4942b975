import Anneal
import ArgumentParser
import Foundation

/// How `history.svg` scales its value axis.
enum ReportScale: String, ExpressibleByArgument, CaseIterable {
  /// Linear, clipped to the range that matters when a few early bad trials
  /// would squeeze the rest (see `TuneReport.clip`).
  case auto
  /// Linear over every value.
  case linear
  /// Logarithmic (every value must be positive).
  case log
}

/// `--report DIR`: two SVG plots of a finished study, drawn with `Plots`:
/// `history.svg` (each complete trial's value as a marker, failed trials at
/// the top edge, and the best value so far as a step line, against the
/// trial number) and `importance.svg` (bars of `Study.parameterImportance`).
struct TuneReport {
  var study: Study
  /// The metric's name, the label of the value axis.
  var metric: String
  var scale: ReportScale = .auto

  func write(to dir: String) throws {
    try FileManager.default.createDirectory(
      atPath: dir, withIntermediateDirectories: true)
    try history().write(toFile: "\(dir)/history.svg", atomically: true, encoding: .utf8)
    try importance().write(toFile: "\(dir)/importance.svg", atomically: true, encoding: .utf8)
  }

  /// The y range to show when a few values lie far from the rest: from the
  /// best value to the worst of the better 90 %, widened by a tenth, when
  /// the whole range is more than three times that; `nil` otherwise.
  static func clip(_ values: [Double], direction: Direction) -> [Double]? {
    let sorted = values.filter(\.isFinite).sorted()
    guard sorted.count >= 5, let lo = sorted.first, let hi = sorted.last else { return nil }
    let k = Int((0.9 * Double(sorted.count - 1)).rounded())
    let q = direction == .minimize ? sorted[k] : sorted[sorted.count - 1 - k]
    let kept = direction == .minimize ? (lo, q) : (q, hi)
    let width = kept.1 - kept.0
    guard width > 0, hi - lo > 3 * width else { return nil }
    return [kept.0 - 0.1 * width, kept.1 + 0.1 * width]
  }

  func history() throws -> String {
    let h = try study.bestValueHistory()
    let all = try study.trials.filter { $0.state.isFinished }
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
    let values = trials.map(\.y)
    var ySpan: [Double]? = scale == .auto ? Self.clip(values, direction: study.direction) : nil
    if scale == .log, values.contains(where: { $0 <= 0 }) {
      throw CLIError.badInput(
        "--report-scale log: the values include zero or negatives; use auto or linear")
    }
    // Failed trials have no value: markers at the edge of the worse end.
    let worse =
      study.direction == .minimize
      ? (ySpan?.max() ?? values.max() ?? 1) : (ySpan?.min() ?? values.min() ?? 0)
    let failed = all.filter { $0.state == .failed }.map {
      PlotPoint(x: Double($0.number), y: worse)
    }
    if ySpan != nil, !failed.isEmpty { ySpan?.append(worse) }
    var series = [
      PlotSeries(name: "trial \(metric)", points: trials, colourIndex: 5, style: .markers),
      PlotSeries(name: "best so far", points: steps, colourIndex: 1, style: .line),
    ]
    if !failed.isEmpty {
      series.append(
        PlotSeries(name: "failed (at the edge)", points: failed, colourIndex: 6, style: .markers))
    }
    let clipped = ySpan != nil ? ", axis clipped: outliers at the edge" : ""
    var plot = LinePlot(
      title: "\(study.name): \(metric) by trial (\(study.direction.rawValue)\(clipped))",
      xLabel: "trial number", yLabel: metric, series: series,
      xLog: false, yLog: scale == .log)
    plot.dodge = false
    plot.xSpan = [0, max(1, Double(all.last?.number ?? 0))]
    plot.ySpan = ySpan
    if trials.isEmpty {
      plot.note = all.isEmpty ? "no data: no trial finished" : "no data: no trial completed"
      plot.ySpan = [0, 1]
    }
    return plot.svg()
  }

  func importance() throws -> String {
    let imp = try study.parameterImportance()
    var chart = BarChart(
      title: "\(study.name): parameter importance",
      valueLabel: "share of importance (forest permutation importance; sums to 1)",
      bars: imp.map { (label: $0.name, value: $0.importance) },
      format: { String(format: "%.2f", $0) })
    chart.height = max(260, 130 + 40 * Double(imp.count))
    return chart.svg()
  }
}
