// A horizontal bar chart: one labelled bar per category, top to bottom in the
// given order, on a linear value axis from 0, with each value written at the
// end of its bar. Bars are for non-negative quantities (shares, counts,
// seconds); a negative or non-finite value draws no bar and writes "—".

import Foundation

/// A horizontal bar chart of non-negative values.
public struct BarChart: Sendable {
  /// The title above the chart.
  public var title: String
  /// The value axis label, with its unit.
  public var valueLabel: String
  /// One bar per entry, drawn top to bottom.
  public var bars: [(label: String, value: Double)]
  /// How each value is written beside its bar (default `%.3g`).
  public var format: @Sendable (Double) -> String
  /// Size in pixels.
  public var width = 900.0
  /// Size in pixels.
  public var height = 600.0

  /// A chart from its parts.
  public init(
    title: String, valueLabel: String, bars: [(label: String, value: Double)],
    format: @escaping @Sendable (Double) -> String = { String(format: "%.3g", $0) }
  ) {
    self.title = title
    self.valueLabel = valueLabel
    self.bars = bars
    self.format = format
  }

  /// The chart as SVG text.
  public func svg() -> String {
    let longest = bars.map(\.label.count).max() ?? 0
    let left = min(300, max(80, 20 + 8 * Double(longest)))
    let top = 50.0
    let right = width - 80
    let bottom = height - 70
    var doc = SVGDocument(width: width, height: height)
    doc.title(title, centre: (left + right) / 2)
    guard !bars.isEmpty else {
      doc.text("no data", x: (left + right) / 2, y: (top + bottom) / 2, size: 15)
      return doc.render()
    }
    let usable = bars.map(\.value).filter { $0.isFinite && $0 >= 0 }
    let scale = Scale(kind: .linear, values: [0] + usable, range: (left, right))
    for t in scale.ticks() {
      let x = scale(t.value)
      doc.line(x, top, x, bottom, stroke: "#e0e0e0")
      doc.line(x, bottom, x, bottom + 6)
      doc.text(t.label, x: x, y: bottom + 22, size: 13, cssClass: "tick")
    }
    doc.rect(
      x: left, y: top, width: right - left, height: bottom - top, fill: "none", stroke: "#000")
    doc.text(valueLabel, x: (left + right) / 2, y: bottom + 50, size: 15, cssClass: "xlabel")
    let slot = min(40, (bottom - top) / Double(bars.count))
    for (k, b) in bars.enumerated() {
      let y = top + Double(k) * slot
      let shown = b.label.count > 36 ? String(b.label.prefix(35)) + "…" : b.label
      doc.text(
        shown, x: left - 8, y: y + slot * 0.5 + 4.5, size: 13, anchor: "end", cssClass: "label")
      guard b.value.isFinite, b.value >= 0 else {
        doc.text("—", x: left + 6, y: y + slot * 0.5 + 4.5, size: 13, anchor: "start")
        continue
      }
      let end = scale(b.value)
      doc.rect(
        x: left, y: y + slot * 0.15, width: max(end - left, 0), height: slot * 0.7,
        fill: LinePlot.palette[0], cssClass: "bar", title: "\(b.label): \(format(b.value))")
      doc.text(
        format(b.value), x: end + 6, y: y + slot * 0.5 + 4.5, size: 13, anchor: "start",
        cssClass: "value")
    }
    return doc.render()
  }
}
