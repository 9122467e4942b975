// A heatmap: a grid of coloured cells with the value written in each, a
// sequential colour ramp (white → dark blue) and a colour bar.

import Foundation

/// A heatmap over two categorical axes.
public struct Heatmap: Sendable {
  /// The title above the plot.
  public var title: String
  /// The x axis label.
  public var xLabel: String
  /// The y axis label.
  public var yLabel: String
  /// Column labels, left to right.
  public var columns: [String]
  /// Row labels, bottom to top.
  public var rows: [String]
  /// `values[row][column]`; nil is an empty cell.
  public var values: [[Double?]]
  /// The colour bar's label.
  public var valueLabel: String
  /// The values that map to the two ends of the ramp.
  public var valueRange: (Double, Double)
  /// Size in pixels.
  public var width = 900.0
  /// Size in pixels.
  public var height = 600.0

  /// A heatmap from its parts.
  public init(
    title: String, xLabel: String, yLabel: String, columns: [String], rows: [String],
    values: [[Double?]], valueLabel: String, valueRange: (Double, Double) = (0, 1)
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.columns = columns
    self.rows = rows
    self.values = values
    self.valueLabel = valueLabel
    self.valueRange = valueRange
  }

  /// The ramp colour of `t` in [0, 1].
  static func colour(_ t: Double) -> String {
    let c = min(max(t, 0), 1)
    let r = Int((247 - c * (247 - 8)).rounded())
    let g = Int((251 - c * (251 - 48)).rounded())
    let b = Int((255 - c * (255 - 107)).rounded())
    return String(format: "#%02x%02x%02x", r, g, b)
  }

  /// The heatmap as SVG text.
  public func svg() -> String {
    let left = 110.0
    let top = 50.0
    let right = width - 150
    let bottom = height - 80
    var doc = SVGDocument(width: width, height: height)
    doc.title(title, centre: (left + right) / 2)
    let cw = (right - left) / Double(max(columns.count, 1))
    let rh = (bottom - top) / Double(max(rows.count, 1))
    let span = valueRange.1 - valueRange.0
    for (r, row) in values.enumerated() {
      for (c, value) in row.enumerated() {
        let x = left + Double(c) * cw
        let y = bottom - Double(r + 1) * rh
        guard let value else {
          doc.rect(x: x, y: y, width: cw, height: rh, fill: "#ddd", stroke: "#fff")
          continue
        }
        let t = span > 0 ? (value - valueRange.0) / span : 0
        doc.rect(
          x: x, y: y, width: cw, height: rh, fill: Self.colour(t), stroke: "#fff",
          cssClass: "cell", title: "\(rows[r]), \(columns[c]): \(String(format: "%.3g", value))")
        doc.text(
          String(format: "%.2f", value), x: x + cw / 2, y: y + rh / 2 + 5, size: 13,
          fill: t > 0.55 ? "#fff" : "#000", cssClass: "value")
      }
    }
    for (c, name) in columns.enumerated() {
      doc.text(name, x: left + (Double(c) + 0.5) * cw, y: bottom + 20, size: 13, cssClass: "tick")
    }
    for (r, name) in rows.enumerated() {
      doc.text(
        name, x: left - 8, y: bottom - (Double(r) + 0.5) * rh + 4.5, size: 13, anchor: "end",
        cssClass: "tick")
    }
    doc.text(xLabel, x: (left + right) / 2, y: bottom + 52, size: 15, cssClass: "xlabel")
    doc.text(yLabel, x: 22, y: (top + bottom) / 2, size: 15, rotate: -90, cssClass: "ylabel")
    let barX = right + 30
    let steps = 20
    let barH = (bottom - top) / Double(steps)
    for k in 0..<steps {
      let t = (Double(k) + 0.5) / Double(steps)
      doc.rect(
        x: barX, y: bottom - Double(k + 1) * barH, width: 20, height: barH + 0.5,
        fill: Self.colour(t))
    }
    doc.text(Scale.label(valueRange.0), x: barX + 26, y: bottom, size: 13, anchor: "start")
    doc.text(Scale.label(valueRange.1), x: barX + 26, y: top + 10, size: 13, anchor: "start")
    doc.text(
      valueLabel, x: barX + 60, y: (top + bottom) / 2, size: 15, rotate: -90, cssClass: "ylabel")
    return doc.render()
  }
}
