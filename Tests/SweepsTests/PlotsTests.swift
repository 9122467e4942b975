import Foundation
import Testing

@testable import Plots
@testable import Sweeps

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Parses SVG text and counts elements and classes.
final class SVGCensus: NSObject, XMLParserDelegate {
  var elements: [String: Int] = [:]
  var classes: [String: Int] = [:]
  var texts: [String] = []
  private var inText = false
  private var current = ""

  static func parse(_ svg: String) -> SVGCensus? {
    let census = SVGCensus()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = census
    return parser.parse() ? census : nil
  }

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    elements[name, default: 0] += 1
    if let c = attributes["class"] { classes[c, default: 0] += 1 }
    if name == "text" {
      inText = true
      current = ""
    }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if inText { current += string }
  }

  func parser(
    _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
  ) {
    if name == "text" {
      texts.append(current)
      inText = false
    }
  }
}

@Suite struct PlotsTests {
  @Test func linePlotIsWellFormedWithLabelsAndPoints() throws {
    let plot = LinePlot(
      title: "TTS <test> & more", xLabel: "sweeps per read", yLabel: "TTS99 (seconds)",
      series: [
        PlotSeries(
          name: "sa",
          points: [
            PlotPoint(x: 10, y: 0.01, low: 0.005, high: 0.02),
            PlotPoint(x: 100, y: 0.1, low: 0.05, high: .infinity),
            PlotPoint(x: 1000, y: .infinity, low: 3, high: .infinity),
          ]),
        PlotSeries(name: "pt", points: [PlotPoint(x: 10, y: 1), PlotPoint(x: 100, y: 2)]),
      ])
    let census = try #require(SVGCensus.parse(plot.svg()))
    #expect(census.classes["point"] == 4)
    #expect(census.texts.contains("sweeps per read"))
    #expect(census.texts.contains("TTS99 (seconds)"))
    #expect(census.texts.contains("TTS <test> & more"))
    #expect(census.classes["legend"] == 2)
    // y spans 0.005 … 3: log axis with power-of-ten ticks.
    #expect(census.texts.contains("0.01") || census.texts.contains("1e-2"))
  }

  @Test func seriesStylesDrawOnlyWhatTheySay() throws {
    let pts = [PlotPoint(x: 1, y: 3), PlotPoint(x: 2, y: 2), PlotPoint(x: 2, y: 1)]
    let plot = LinePlot(
      title: "styles", xLabel: "x", yLabel: "y",
      series: [
        PlotSeries(name: "dots", points: pts, style: .markers),
        PlotSeries(name: "steps", points: pts, style: .line),
      ])
    let census = try #require(SVGCensus.parse(plot.svg()))
    // Three markers from "dots" only, one polyline from "steps" only; the
    // legend has a swatch circle for "dots" and a line for "steps".
    #expect(census.classes["point"] == 3)
    #expect(census.elements["polyline"] == 1)
    #expect(census.classes["legend"] == 2)
  }

  @Test func longLegendNamesAreWrappedNotCut() throws {
    let long = "anneal-tr (trust region, local noise) on sparse256_instance_with_a_long_name"
    let plot = LinePlot(
      title: "legend", xLabel: "x", yLabel: "y",
      series: [
        PlotSeries(name: long, points: [PlotPoint(x: 1, y: 1), PlotPoint(x: 2, y: 3)]),
        PlotSeries(name: "sa", points: [PlotPoint(x: 1, y: 2), PlotPoint(x: 2, y: 2)]),
      ])
    let census = try #require(SVGCensus.parse(plot.svg()))
    let lines = Legend.lines(long)
    #expect(lines.count > 1)
    #expect(lines.allSatisfy { $0.count <= Legend.nameWidth })
    // Every character of the name is shown, in order, over its lines.
    #expect(lines.joined().filter { $0 != " " } == long.filter { $0 != " " })
    #expect(census.classes["legend"] == lines.count + 1)
    for line in lines { #expect(census.texts.contains(line)) }
  }

  @Test func longTitlesAreSetSmallerAndKeptInsideThePicture() throws {
    // Centred over the plot area (left of the legend), a 95-character bold
    // title at 18 px ran off the left edge of a 1000-px picture.
    let long = String(repeating: "HistGradientBoosting, 5-fold CV ", count: 3)
    var doc = SVGDocument(width: 1000, height: 640)
    doc.title(long, centre: 400)
    doc.title("short", centre: 400)
    let pattern = /x="([0-9.]+)" y="28" font-size="([0-9.]+)"/
    let placed = doc.body.compactMap { $0.firstMatch(of: pattern) }.map {
      (x: Double($0.1)!, size: Double($0.2)!)
    }
    try #require(placed.count == 2)
    let (x, size) = placed[0]
    let half = 0.62 * size * Double(long.count) / 2
    #expect(size < 18 && size >= 9)
    #expect(x - half >= 10 - 0.01 && x + half <= 990 + 0.01)
    // A title that fits keeps its size and its centre.
    #expect(placed[1] == (x: 400, size: 18))
    // A line plot's title goes through the same fitting.
    let plot = LinePlot(
      title: long, xLabel: "x", yLabel: "y",
      series: [PlotSeries(name: "a", points: [PlotPoint(x: 1, y: 1), PlotPoint(x: 2, y: 2)])])
    #expect(!plot.svg().contains("font-size=\"18\" text-anchor=\"middle\" font-weight=\"bold\""))
  }

  @Test func barChartHasABarPerFiniteValue() throws {
    let chart = BarChart(
      title: "importance", valueLabel: "share",
      bars: [(label: "lr", value: 0.7), (label: "width", value: 0.25), (label: "act", value: .nan)])
    let census = try #require(SVGCensus.parse(chart.svg()))
    #expect(census.classes["bar"] == 2)
    #expect(census.classes["label"] == 3)
    #expect(census.texts.contains("0.7") && census.texts.contains("—"))
    #expect(census.texts.contains("share"))
    let empty = try #require(SVGCensus.parse(BarChart(title: "t", valueLabel: "v", bars: []).svg()))
    #expect(empty.texts.contains("no data") && empty.classes["bar"] == nil)
  }

  @Test func scaleChoosesLogForDecades() {
    #expect(Scale.spansDecades([1, 1000]))
    #expect(!Scale.spansDecades([1, 5]))
    #expect(!Scale.spansDecades([-1, 1000]))
    let s = Scale(kind: .log, values: [3, 700], range: (0, 300))
    #expect(s.domain == (1, 1000))
    #expect(s(1) == 0 && s(1000) == 300 && abs(s(10) - 100) < 1e-9)
  }

  @Test func heatmapHasACellPerValue() throws {
    let map = Heatmap(
      title: "p", xLabel: "sweeps", yLabel: "replicas", columns: ["10", "100"],
      rows: ["4", "8"], values: [[0.1, 0.5], [nil, 1]], valueLabel: "success probability")
    let census = try #require(SVGCensus.parse(map.svg()))
    #expect(census.classes["cell"] == 3)
    #expect(census.texts.contains("replicas") && census.texts.contains("success probability"))
  }

  @Test func sweepPlotsHaveAPointPerGridPoint() throws {
    let spec = try SweepSpec(json: try SpecText.parse(SpecTests.valid))
    let plan = try SweepPlan(spec: spec)
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("plots-\(UInt64.random(in: 0...UInt64.max)).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let store = JSONLinesCellStore(path: path)
    try SweepRunner(plan: plan, store: store).run()
    let summary = SweepSummary(plan: plan, results: try store.finished())
    let figures = Dictionary(
      uniqueKeysWithValues: SweepPlots.all(summary).map { ($0.name, $0.svg) })
    let tts = try #require(figures["tts_vs_sweeps-regular3_loops-n12.svg"])
    let census = try #require(SVGCensus.parse(tts))
    // One marker per (sampler, sweeps value) with a finite TTS: sa has two
    // sweeps values, pt one (its best replicas count at sweeps = 10).
    var expected = Set<String>()
    for c in summary.curves where c.size == 12 {
      for p in c.points where p.tts.value.isFinite {
        let sweeps = spec.samplers[c.sampler].points[p.point]["sweeps"]?.serialized() ?? ""
        expected.insert("\(c.sampler)|\(sweeps)")
      }
    }
    #expect(expected.count == 3)
    #expect(census.classes["point"] == expected.count)
    #expect(census.texts.contains("sweeps per read"))
    #expect(census.texts.contains { $0.contains("TTS99") && $0.contains("spin updates") })
    let heat = try #require(figures["success_heatmap-pt-regular3_loops-n12.svg"])
    #expect(SVGCensus.parse(heat)?.classes["cell"] == 2)
    let optimal = try #require(figures["optimal_tts.svg"])
    #expect(SVGCensus.parse(optimal)?.texts.contains("instance size N (variables)") == true)
  }
}
