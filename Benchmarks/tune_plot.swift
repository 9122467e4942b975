// A line plot from JSON on stdin, drawn by Plots' `LinePlot` (compiled
// together with Sources/Plots by tune_bench.py --plots):
//
//   {"title", "xLabel", "yLabel", "yLog"?, "series": [{"name", "points": [{x, y, low, high}]}]}
//
// tune_plot OUT.svg < spec.json

import Foundation

struct Spec: Decodable {
  struct Point: Decodable {
    var x: Double
    var y: Double
    var low: Double?
    var high: Double?
  }
  struct Series: Decodable {
    var name: String
    var points: [Point]
  }
  var title: String
  var xLabel: String
  var yLabel: String
  var series: [Series]
  var yLog: Bool?
}

@main
enum TunePlot {
  static func main() {
    let data = FileHandle.standardInput.readDataToEndOfFile()
    guard CommandLine.arguments.count == 2,
      let spec = try? JSONDecoder().decode(Spec.self, from: data)
    else {
      FileHandle.standardError.write(Data("usage: tune_plot OUT.svg < spec.json\n".utf8))
      exit(2)
    }
    var plot = LinePlot(
      title: spec.title, xLabel: spec.xLabel, yLabel: spec.yLabel,
      series: spec.series.enumerated().map { k, s in
        PlotSeries(
          name: s.name,
          points: s.points.map { PlotPoint(x: $0.x, y: $0.y, low: $0.low, high: $0.high) },
          colourIndex: k, style: .line)
      }, xLog: false, yLog: spec.yLog ?? false)
    plot.dodge = false
    plot.width = 1000
    do {
      try plot.svg().write(toFile: CommandLine.arguments[1], atomically: true, encoding: .utf8)
    } catch {
      FileHandle.standardError.write(Data("\(error)\n".utf8))
      exit(1)
    }
  }
}
