import Foundation
import QUBOModel

extension SweepSummary {
  /// `summary.json`: instances with targets, groups, curves with optimal
  /// TTS, and speed-ups. Infinite TTS is `null` (JSON has no ∞) with
  /// `"tts99_infinite": true`. Wall-clock measurements sit under `timing`
  /// keys; with `tts_unit: spin_updates` everything else is reproducible.
  public var json: JSONValue {
    let spec = plan.spec
    let instances: [JSONValue] = plan.instances.indices.map { i in
      let inst = plan.instances[i]
      var fields: [String: JSONValue] = [
        "name": .string(inst.name), "family": .string(inst.family), "size": .int(inst.size),
        "target": targets[i].map { .double($0) } ?? .null,
        "target_source": .string(inst.targetSource),
        "fingerprint": .string(String(inst.fingerprint, radix: 16)),
      ]
      if let generator = inst.generator { fields["generator"] = .object(generator) }
      return .object(fields)
    }
    let groupList: [JSONValue] = groups.map { g in
      let s = g.statistics
      return .object([
        "instance": .string(plan.instances[g.instance].name),
        "sampler": .string(spec.samplers[g.sampler].label),
        "parameters": .object(spec.samplers[g.sampler].points[g.point]),
        "cells": .int(g.cells), "reads": .int(s.success.reads),
        "successes": .int(s.success.successes), "p": .double(s.success.estimate),
        "p_low": .double(s.success.lower), "p_high": .double(s.success.upper),
        "t_read": .double(s.tRead), "tts99": .double(s.tts99.value),
        "tts99_infinite": .bool(s.tts99.value.isInfinite),
        "tts99_low": .double(s.tts99.lower), "tts99_high": .double(s.tts99.upper),
        "residual_mean": .double(s.residualMean), "residual_best": .double(s.residualBest),
        "timing": .object([
          "seconds_per_read": .double(g.secondsPerRead),
          "spin_updates_per_second": .double(s.throughput),
        ]),
      ])
    }
    let curveList: [JSONValue] = curves.map { c in
      let grid = spec.samplers[c.sampler]
      func point(_ q: SweepSummary.PointQuantile) -> JSONValue {
        .object([
          "parameters": .object(grid.points[q.point]), "tts": .double(q.tts.value),
          "tts_low": .double(q.tts.lower), "tts_high": .double(q.tts.upper),
          "residual_median": .double(q.residual.value), "mean_p": .double(q.meanSuccess),
        ])
      }
      return .object([
        "sampler": .string(grid.label), "family": .string(c.family), "size": .int(c.size),
        "instances": .int(c.instances.count), "points": .array(c.points.map(point)),
        "optimal": c.optimal.map(point) ?? .null,
        "optimal_at_grid_edge": .array(
          c.optimalAtEdge.map {
            .object([
              "key": .string($0.key), "value": $0.value,
              "side": .string($0.low ? "smallest" : "largest"),
            ])
          }),
      ])
    }
    let speedList: [JSONValue] = speedUps.map { u in
      .object([
        "slow": .string(spec.samplers[u.slow].label), "fast": .string(spec.samplers[u.fast].label),
        "family": .string(u.family), "size": .int(u.size),
        "ratio_of_quantiles": .double(u.ratioOfQuantiles),
        "quantile_of_ratios": .double(u.quantileOfRatios),
      ])
    }
    let samplerList: [JSONValue] = spec.samplers.map { grid in
      // Every parameter the runs used: the fixed ones after defaults (the
      // first point's configuration without its grid keys), and the grid.
      var resolved: [String: JSONValue] = [:]
      if case .object(let o)? = grid.configurations.first?.json {
        resolved = o.filter { !grid.gridKeys.contains($0.key) }
      }
      var axes: [String: JSONValue] = [:]
      for key in grid.gridKeys {
        var values: [JSONValue] = []
        for p in grid.points {
          if let v = p[key], !values.contains(v) { values.append(v) }
        }
        axes[key] = .array(values)
      }
      return .object([
        "label": .string(grid.label), "sampler": .string(grid.kind.rawValue),
        "fixed": .object(resolved), "grid": .object(axes),
      ])
    }
    return .object([
      "name": .string(spec.name), "seed": .int(Int(truncatingIfNeeded: spec.seed)),
      "samplers": .array(samplerList),
      "tts_unit": .string(spec.ttsUnit.rawValue), "quantile": .double(spec.quantile),
      "cells_total": .int(plan.cells.count), "cells_finished": .int(finishedCells),
      "complete": .bool(isComplete),
      "targets_note": .string(targetsNote),
      "instances": .array(instances), "groups": .array(groupList),
      "curves": .array(curveList), "speedups": .array(speedList),
    ])
  }

  /// Says where each target comes from, and warns when a target is only the
  /// best energy the sweep itself found.
  public var targetsNote: String {
    let sources = Set(plan.instances.map(\.targetSource))
    if sources.contains("best_found") {
      return "some targets are the best energy found across this sweep (target_source"
        + " best_found), not known optima: success means matching the sweep's best"
    }
    return "targets: " + sources.sorted().joined(separator: ", ")
  }

  /// A TTS value for people: 3 significant digits, ∞, and the unit.
  public func format(_ x: Double) -> String {
    if x.isInfinite { return "inf" }
    if x.isNaN { return "-" }
    return String(format: "%.3g", x)
  }

  /// The stdout table: optimal TTS per sampler, family and size, then
  /// speed-ups.
  public var table: String {
    let spec = plan.spec
    let unit = spec.ttsUnit == .seconds ? "s" : "spin updates"
    var lines = ["sweep \(spec.name): \(finishedCells)/\(plan.cells.count) cells"]
    lines.append(targetsNote)
    lines.append("")
    let q = Int((spec.quantile * 100).rounded())
    lines.append(
      pad("sampler", 10) + pad("family", 18) + pad("N", 6) + pad("best point", 34)
        + pad("mean p", 8) + "q\(q) TTS99 [95% CI] (\(unit))")
    for c in curves {
      let grid = spec.samplers[c.sampler]
      guard let o = c.optimal else {
        lines.append(pad(grid.label, 10) + pad(c.family, 18) + pad("\(c.size)", 6) + "(unfinished)")
        continue
      }
      let mark = c.optimalAtEdge.isEmpty ? "" : " †"
      lines.append(
        pad(grid.label, 10) + pad(c.family, 18) + pad("\(c.size)", 6)
          + pad(grid.pointLabel(o.point) + mark, 34)
          + pad(String(format: "%.3f", o.meanSuccess), 8)
          + (o.tts.value.isFinite
            ? "\(format(o.tts.value)) [\(format(o.tts.lower)), \(format(o.tts.upper))]"
            : "inf, unsolved (≥ \(format(o.tts.lower)))"))
    }
    if curves.contains(where: { !$0.optimalAtEdge.isEmpty }) {
      lines.append(
        "† the best point lies at an end of the grid (\(edgeText)): the optimum may lie"
          + " beyond it, so that TTS only bounds the optimal TTS from above; extend the grid")
    }
    if !speedUps.isEmpty {
      lines.append("")
      lines.append("speed-up (> 1: second sampler faster): ratio of q\(q)s | q\(q) of ratios")
      for u in speedUps {
        lines.append(
          "  \(spec.samplers[u.fast].label) over \(spec.samplers[u.slow].label),"
            + " \(u.family) N=\(u.size): \(format(u.ratioOfQuantiles)) |"
            + " \(format(u.quantileOfRatios))")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The grid ends that optima reach, such as `sweeps=10 (smallest)`.
  var edgeText: String {
    var seen: [String] = []
    for c in curves {
      for e in c.optimalAtEdge {
        let text = "\(e.key)=\(e.value.serialized()) (\(e.low ? "smallest" : "largest"))"
        if !seen.contains(text) { seen.append(text) }
      }
    }
    return seen.joined(separator: ", ")
  }

  private func pad(_ s: String, _ width: Int) -> String {
    let t = s.count >= width ? String(s.prefix(width - 1)) : s
    return t + String(repeating: " ", count: width - t.count)
  }
}
