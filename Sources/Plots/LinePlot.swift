// A line plot: one polyline per series, circle markers (either may be left
// out per series, for a scatter or a bare line), vertical error bars,
// linear or log axes, and a legend to the right of the plotting area so it
// never covers data.
//
// Points with a non-finite y are not drawn; an error bar whose upper end is
// ∞ runs to the top edge and ends in an open triangle ("unbounded above").

import Foundation

/// One point of a series, with an optional interval on y.
public struct PlotPoint: Sendable {
  /// x.
  public var x: Double
  /// y.
  public var y: Double
  /// The lower end of y's interval.
  public var low: Double?
  /// The upper end of y's interval (may be ∞).
  public var high: Double?
  /// A short note written beside the marker (such as `P=16`).
  public var note: String?
  /// Draw the marker hollow: the value is a bound, not an estimate (the
  /// plot's `hollowMeaning` says which).
  public var hollow: Bool

  /// A point with an optional interval, note and hollow marker.
  public init(
    x: Double, y: Double, low: Double? = nil, high: Double? = nil, note: String? = nil,
    hollow: Bool = false
  ) {
    self.x = x
    self.y = y
    self.low = low
    self.high = high
    self.note = note
    self.hollow = hollow
  }
}

/// A named sequence of points.
public struct PlotSeries: Sendable {
  /// How a series is drawn.
  public enum Style: Sendable {
    /// A polyline through the points, and a marker on each.
    case linesAndMarkers
    /// Markers only (a scatter).
    case markers
    /// The polyline only.
    case line
  }

  /// The legend entry.
  public var name: String
  /// The points, drawn in x order.
  public var points: [PlotPoint]
  /// Index into the palette (nil: the series' position).
  public var colourIndex: Int?
  /// An SVG dash pattern such as `"6 4"` (nil: solid).
  public var dash: String?
  /// Line, markers or both (default both).
  public var style: Style

  /// A series from its parts.
  public init(
    name: String, points: [PlotPoint], colourIndex: Int? = nil, dash: String? = nil,
    style: Style = .linesAndMarkers
  ) {
    self.name = name
    self.points = points
    self.colourIndex = colourIndex
    self.dash = dash
    self.style = style
  }

  var drawsLine: Bool {
    switch style {
    case .linesAndMarkers, .line: return true
    case .markers: return false
    }
  }

  var drawsMarkers: Bool {
    switch style {
    case .linesAndMarkers, .markers: return true
    case .line: return false
    }
  }

  /// The series' colour when drawn at position `k`.
  func colour(at k: Int) -> String {
    LinePlot.palette[(colourIndex ?? k) % LinePlot.palette.count]
  }
}

/// A line plot with axes, error bars and a legend.
public struct LinePlot: Sendable {
  /// The title above the plot.
  public var title: String
  /// The x axis label, with its unit.
  public var xLabel: String
  /// The y axis label, with its unit.
  public var yLabel: String
  /// The series.
  public var series: [PlotSeries]
  /// Log x axis (nil: log when the data span a decade).
  public var xLog: Bool?
  /// Log y axis (nil: log when the data span a decade).
  public var yLog: Bool?
  /// What a hollow marker means, for the note under the legend.
  public var hollowMeaning = "hollow marker: a bound, not an estimate"
  /// Shift series a few pixels apart in x so that error bars at a shared x
  /// stay visible (default true); turn off when series must line up, as a
  /// scatter and its running best do.
  public var dodge = true
  /// Size in pixels.
  public var width = 900.0
  /// Size in pixels.
  public var height = 600.0
  /// The x values the axis spans (nil: every point's x).
  public var xSpan: [Double]?
  /// The y values the axis spans (nil: every point's y); points beyond it
  /// are drawn at the frame's edge, so an axis can be clipped to the range
  /// that matters.
  public var ySpan: [Double]?
  /// A note written in the middle of the frame, such as "no data".
  public var note: String?

  /// A plot from its parts.
  public init(
    title: String, xLabel: String, yLabel: String, series: [PlotSeries],
    xLog: Bool? = nil, yLog: Bool? = nil
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
    self.xLog = xLog
    self.yLog = yLog
  }

  /// Colours for series, distinguishable in print and by most colour-blind
  /// readers (Okabe & Ito 2008).
  public static let palette = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
  ]

  /// The plot as SVG text.
  public func svg() -> String {
    let left = 90.0
    let right = 200.0
    let top = 50.0
    let bottom = 70.0
    let plotRight = width - right
    let plotBottom = height - bottom
    let all = series.flatMap(\.points)
    let xs = xSpan ?? all.map(\.x)
    let ys =
      ySpan?.filter(\.isFinite)
      ?? all.flatMap { p in [p.y, p.low ?? p.y, p.high ?? p.y] }.filter(\.isFinite)
    let xKind: Scale.Kind = (xLog ?? Scale.spansDecades(xs)) ? .log : .linear
    let yKind: Scale.Kind = (yLog ?? Scale.spansDecades(ys)) ? .log : .linear
    // Points stay 14 px inside the frame, clear of the axis lines.
    let sx = Scale(kind: xKind, values: xs, range: (left + 14, plotRight - 14))
    let sy = Scale(kind: yKind, values: ys, range: (plotBottom, top))

    var doc = SVGDocument(width: width, height: height)
    doc.title(title, centre: (left + plotRight) / 2)
    Axes.draw(
      into: &doc, sx: sx, sy: sy, box: (left, top, plotRight, plotBottom),
      xLabel: xLabel, yLabel: yLabel)
    if let note {
      doc.text(note, x: (left + plotRight) / 2, y: (top + plotBottom) / 2, size: 16, cssClass: "note")
    }

    // Series sharing an x are dodged a few pixels apart so that their error
    // bars do not hide one another.
    let dodge = self.dodge && series.count > 1 ? min(6, 24 / Double(series.count)) : 0
    var unbounded = false
    var hollow = false
    for (k, s) in series.enumerated() {
      let colour = s.colour(at: k)
      let shift = (Double(k) - Double(series.count - 1) / 2) * dodge
      // A stable sort: points sharing an x (the corner of a step) keep
      // their order.
      let sorted = s.points.enumerated()
        .sorted { ($0.element.x, $0.offset) < ($1.element.x, $1.offset) }.map(\.element)
      if s.drawsLine {
        let pts = sorted.filter { $0.y.isFinite }
        doc.polyline(pts.map { (sx($0.x) + shift, sy($0.y)) }, stroke: colour, dash: s.dash)
      }
      for p in sorted {
        let x = sx(p.x) + shift
        if p.high?.isInfinite == true { unbounded = true }
        if let lo = p.low, let hi = p.high, lo.isFinite || hi.isFinite {
          let yLo = lo.isFinite ? sy(lo) : plotBottom
          let yHi = hi.isFinite ? sy(hi) : top
          doc.line(x, yLo, x, yHi, stroke: colour, width: 1.5)
          if lo.isFinite { doc.line(x - 4, yLo, x + 4, yLo, stroke: colour, width: 1.5) }
          if hi.isFinite {
            doc.line(x - 4, yHi, x + 4, yHi, stroke: colour, width: 1.5)
          } else {
            doc.element(
              "polygon",
              [
                "points": "\(x - 5),\(top + 8) \(x + 5),\(top + 8) \(x),\(top)",
                "fill": "none", "stroke": colour,
              ])
          }
        }
        guard p.y.isFinite, s.drawsMarkers else { continue }
        if p.hollow { hollow = true }
        doc.circle(
          x: x, y: sy(p.y), r: 4, fill: p.hollow ? "#fff" : colour,
          stroke: p.hollow ? colour : nil, cssClass: "point",
          title: "\(s.name): x = \(Scale.label(p.x)), y = \(Scale.label(p.y))"
            + (p.note.map { ", \($0)" } ?? ""))
        if let note = p.note {
          doc.text(note, x: x + 6, y: sy(p.y) - 7, size: 11, anchor: "start", cssClass: "note")
        }
      }
    }
    var noteY = Legend.draw(into: &doc, series: series, x: plotRight + 20, y: top + 10) + 12
    if hollow {
      for line in Legend.wrap("○ " + hollowMeaning, width: 26) {
        doc.text(line, x: plotRight + 20, y: noteY, size: 12, anchor: "start", cssClass: "hollow")
        noteY += 16
      }
      noteY += 8
    }
    if unbounded {
      let y = noteY
      doc.text("△ at the top: interval", x: plotRight + 20, y: y, size: 12, anchor: "start")
      doc.text("unbounded above (too few", x: plotRight + 20, y: y + 16, size: 12, anchor: "start")
      doc.text("successes to bound it)", x: plotRight + 20, y: y + 32, size: 12, anchor: "start")
    }
    return doc.render()
  }
}

/// The frame, ticks, grid and labels shared by the plots.
enum Axes {
  static func draw(
    into doc: inout SVGDocument, sx: Scale, sy: Scale,
    box: (Double, Double, Double, Double), xLabel: String, yLabel: String
  ) {
    let (left, top, right, bottom) = box
    for v in sx.minorTicks() {
      let x = sx(v)
      doc.line(x, top, x, bottom, stroke: "#f3f3f3")
      doc.line(x, bottom, x, bottom + 3)
    }
    for v in sy.minorTicks() {
      let y = sy(v)
      doc.line(left, y, right, y, stroke: "#f3f3f3")
      doc.line(left - 3, y, left, y)
    }
    for t in sx.ticks() {
      let x = sx(t.value)
      doc.line(x, top, x, bottom, stroke: "#e0e0e0")
      doc.line(x, bottom, x, bottom + 6)
      doc.text(t.label, x: x, y: bottom + 22, size: 13, cssClass: "tick")
    }
    for t in sy.ticks() {
      let y = sy(t.value)
      doc.line(left, y, right, y, stroke: "#e0e0e0")
      doc.line(left - 6, y, left, y)
      doc.text(t.label, x: left - 10, y: y + 4.5, size: 13, anchor: "end", cssClass: "tick")
    }
    doc.rect(
      x: left, y: top, width: right - left, height: bottom - top, fill: "none", stroke: "#000")
    doc.text(xLabel, x: (left + right) / 2, y: bottom + 50, size: 15, cssClass: "xlabel")
    doc.text(
      yLabel, x: 22, y: (top + bottom) / 2, size: 15, rotate: -90, cssClass: "ylabel")
  }
}

/// A legend: a coloured swatch and a name per entry, one entry per line.
enum Legend {
  /// `text` broken at spaces into lines of at most `width` characters.
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > width {
        lines.append(line)
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// The widest legend name line, in characters: the 13 px text has about
  /// 150 px right of its swatch, where Chromium's sans-serif fits 20 (at 22,
  /// "optuna-random (5 runs)" ran past the edge).
  static let nameWidth = 20

  /// `name` as the legend shows it: wrapped at spaces, and a word longer
  /// than a line (a path, an identifier) broken inside it, so nothing is cut.
  static func lines(_ name: String) -> [String] {
    wrap(name, width: nameWidth).flatMap { line -> [String] in
      guard line.count > nameWidth else { return [line] }
      var pieces: [String] = []
      var rest = Substring(line)
      while !rest.isEmpty {
        pieces.append(String(rest.prefix(nameWidth)))
        rest = rest.dropFirst(nameWidth)
      }
      return pieces
    }
  }

  /// Draws the entries from `y` down and returns the y below the last one.
  @discardableResult
  static func draw(
    into doc: inout SVGDocument, series: [PlotSeries], x: Double, y: Double
  ) -> Double {
    var yy = y
    for (k, s) in series.enumerated() {
      let colour = s.colour(at: k)
      if s.drawsLine { doc.line(x, yy, x + 24, yy, stroke: colour, width: 3, dash: s.dash) }
      if s.drawsMarkers { doc.circle(x: x + 12, y: yy, r: 4, fill: colour) }
      for (j, line) in lines(s.name).enumerated() {
        doc.text(
          line, x: x + 32, y: yy + 5 + Double(j) * 16, size: 13, anchor: "start",
          cssClass: "legend")
      }
      yy += 24 + Double(max(0, lines(s.name).count - 1)) * 16
    }
    return yy
  }
}
