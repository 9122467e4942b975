// The sweep's figures: TTS99 and residual energy against sweeps (one line
// per sampler, per family and size), optimal TTS against size, and a
// success-probability heatmap for samplers with a two-parameter grid.
//
// A sampler whose grid varies more than `sweeps` contributes, at each sweeps
// value, its best (lowest-TTS) point over the other parameters, and each
// such point says which values won (`trotter=16` beside the marker). On the
// optimal-TTS plot a hollow marker is an optimum at the end of its grid: an
// upper bound on the optimal TTS, not an estimate of it.

import Foundation
import Plots
import QUBOModel

/// SVG figures of a summary.
public enum SweepPlots {
  /// Every figure the summary supports, as (file name, SVG text).
  public static func all(_ summary: SweepSummary) -> [(name: String, svg: String)] {
    var out: [(String, String)] = []
    var seen = Set<String>()
    for c in summary.curves where seen.insert("\(c.family)|\(c.size)").inserted {
      let slug = slugify("\(c.family)-n\(c.size)")
      if let svg = versusSweeps(summary, family: c.family, size: c.size, residual: false) {
        out.append(("tts_vs_sweeps-\(slug).svg", svg))
      }
      if let svg = versusSweeps(summary, family: c.family, size: c.size, residual: true) {
        out.append(("residual_vs_sweeps-\(slug).svg", svg))
      }
    }
    out.append(("optimal_tts.svg", optimalTTS(summary)))
    for c in summary.curves where summary.plan.spec.samplers[c.sampler].gridKeys.count == 2 {
      let label = summary.plan.spec.samplers[c.sampler].label
      out.append(
        (
          "success_heatmap-\(slugify(label))-\(slugify("\(c.family)-n\(c.size)")).svg",
          heatmap(summary, curve: c)
        ))
    }
    return out
  }

  static func slugify(_ s: String) -> String {
    String(s.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
  }

  static func unitLabel(_ summary: SweepSummary) -> String {
    summary.plan.spec.ttsUnit == .seconds ? "seconds" : "spin updates"
  }

  /// TTS99 (or residual energy) against the `sweeps` parameter on one
  /// family and size; nil when no sampler has `sweeps` in its grid.
  public static func versusSweeps(
    _ summary: SweepSummary, family: String, size: Int, residual: Bool
  ) -> String? {
    let spec = summary.plan.spec
    let q = Int((spec.quantile * 100).rounded())
    var series: [PlotSeries] = []
    for c in summary.curves where c.family == family && c.size == size {
      let grid = spec.samplers[c.sampler]
      guard grid.gridKeys.contains("sweeps") else { continue }
      var best: [Double: SweepSummary.PointQuantile] = [:]
      for p in c.points {
        guard let x = grid.points[p.point]["sweeps"]?.doubleValue else { continue }
        if let b = best[x], b.tts.value <= p.tts.value { continue }
        best[x] = p
      }
      let others = grid.gridKeys.filter { $0 != "sweeps" }
      let points = best.keys.sorted().compactMap { x -> PlotPoint? in
        guard let p = best[x] else { return nil }
        let e = residual ? p.residual : p.tts
        let note =
          others.isEmpty
          ? nil
          : others.map { "\(shortName($0))=\(grid.points[p.point][$0]?.serialized() ?? "")" }
            .joined(separator: " ")
        return PlotPoint(x: x, y: e.value, low: e.lower, high: e.upper, note: note)
      }
      let name =
        others.isEmpty
        ? grid.label : "\(grid.label) (best \(others.map(shortName).joined(separator: ", ")))"
      series.append(PlotSeries(name: name, points: points))
    }
    guard !series.isEmpty else { return nil }
    let count = summary.plan.instances.filter { $0.family == family && $0.size == size }.count
    let what = "\(family), N = \(size), \(count) instance\(count == 1 ? "" : "s")"
    if residual {
      return LinePlot(
        title: "Residual energy vs sweeps (\(what))", xLabel: "sweeps per read",
        yLabel: "median residual energy E − E_target (energy units)", series: series,
        yLog: false
      ).svg()
    }
    return LinePlot(
      title: "TTS99 vs sweeps (\(what))", xLabel: "sweeps per read",
      yLabel: "q\(q) TTS99 over instances (\(unitLabel(summary)))", series: series
    ).svg()
  }

  /// Optimal TTS (minimum over each sampler's grid) against instance size,
  /// one line per sampler (and family, when there are several).
  public static func optimalTTS(_ summary: SweepSummary) -> String {
    let spec = summary.plan.spec
    let families = Array(Set(summary.curves.map(\.family))).sorted()
    var series: [PlotSeries] = []
    let dashes: [String?] = [nil, "8 5", "2 4", "12 4 2 4"]
    for s in spec.samplers.indices {
      for (f, family) in families.enumerated() {
        let points = summary.curves.filter { $0.sampler == s && $0.family == family }
          .compactMap { c -> PlotPoint? in
            guard let o = c.optimal else { return nil }
            return PlotPoint(
              x: Double(c.size), y: o.tts.value, low: o.tts.lower, high: o.tts.upper,
              hollow: !c.optimalAtEdge.isEmpty)
          }
        guard !points.isEmpty else { continue }
        let name =
          families.count > 1 ? "\(spec.samplers[s].label), \(family)" : spec.samplers[s].label
        series.append(
          PlotSeries(name: name, points: points, colourIndex: s, dash: dashes[f % dashes.count]))
      }
    }
    let q = Int((spec.quantile * 100).rounded())
    // Sizes spanning a decade already read better on a log axis.
    let sizes = series.flatMap { $0.points.map(\.x) }
    var plot = LinePlot(
      title: "Optimal TTS99 vs size (\(spec.name))", xLabel: "instance size N (variables)",
      yLabel: "optimal q\(q) TTS99 (\(unitLabel(summary)))", series: series,
      xLog: Scale.spansDecades(sizes, ratio: 10))
    plot.hollowMeaning =
      "optimum at an end of the grid (\(summary.edgeText)): an upper bound on the optimal TTS"
    return plot.svg()
  }

  /// A grid key as a point note writes it (`trotter` is P).
  static func shortName(_ key: String) -> String {
    switch key {
    case "trotter": return "P"
    default: return key
    }
  }

  /// A grid key with its unit, for axis labels.
  static func axisLabel(_ key: String) -> String {
    switch key {
    case "sweeps": return "sweeps per read"
    case "beta_range": return "β range [hot, cold] (1/energy)"
    case "beta": return "β (1/energy)"
    case "gamma_range": return "Γ range [start, end] (energy)"
    case "trotter": return "Trotter slices P"
    case "replicas": return "replicas"
    case "tenure": return "tabu tenure (moves)"
    case "time_limit": return "time limit (seconds)"
    default: return key
    }
  }

  /// Mean success probability over the instances of a curve, on its
  /// sampler's two grid parameters.
  public static func heatmap(_ summary: SweepSummary, curve c: SweepSummary.Curve) -> String {
    let grid = summary.plan.spec.samplers[c.sampler]
    let (xKey, yKey) = (grid.gridKeys[1], grid.gridKeys[0])
    func values(_ key: String) -> [JSONValue] {
      var seen: [JSONValue] = []
      for p in grid.points where !seen.contains(p[key] ?? .null) { seen.append(p[key] ?? .null) }
      return seen
    }
    let xs = values(xKey)
    let ys = values(yKey)
    var cells = [[Double?]](repeating: [Double?](repeating: nil, count: xs.count), count: ys.count)
    for p in c.points {
      let point = grid.points[p.point]
      guard let x = xs.firstIndex(of: point[xKey] ?? .null),
        let y = ys.firstIndex(of: point[yKey] ?? .null)
      else { continue }
      cells[y][x] = p.meanSuccess
    }
    return Heatmap(
      title: "Success probability, \(grid.label) (\(c.family), N = \(c.size))",
      xLabel: axisLabel(xKey), yLabel: axisLabel(yKey), columns: xs.map { $0.serialized() },
      rows: ys.map { $0.serialized() }, values: cells,
      valueLabel: "mean success probability p"
    ).svg()
  }
}
