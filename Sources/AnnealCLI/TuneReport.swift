import Anneal
import Foundation

/// `--report DIR`: two SVG plots of a finished study, `history.svg` (each
/// complete trial's value as a dot and the best value so far as a step
/// line, against the trial number) and `importance.svg` (bars of
/// `Study.parameterImportance`).
struct TuneReport {
  var study: Study

  func write(to dir: String) throws {
    try FileManager.default.createDirectory(
      atPath: dir, withIntermediateDirectories: true)
    try history().write(toFile: "\(dir)/history.svg", atomically: true, encoding: .utf8)
    try importance().write(toFile: "\(dir)/importance.svg", atomically: true, encoding: .utf8)
  }

  private static let width = 640.0, height = 400.0, margin = 60.0

  private static func frame(_ title: String, _ body: String) -> String {
    """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
    font-family="sans-serif" font-size="12">
    <rect width="100%" height="100%" fill="white"/>
    <text x="\(width / 2)" y="24" text-anchor="middle" font-size="15">\(escape(title))</text>
    \(body)</svg>

    """
  }

  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }

  private static func f(_ x: Double) -> String { String(format: "%.1f", x) }

  func history() throws -> String {
    let h = try study.bestValueHistory()
    let values = h.compactMap(\.value)
    let title = "\(study.name): value by trial (\(study.direction.rawValue))"
    guard let lo = values.min(), let hi = values.max(), let last = h.last?.number else {
      return Self.frame(title, "<text x=\"60\" y=\"200\">no complete trial</text>\n")
    }
    let span = hi > lo ? hi - lo : 1
    let w = Self.width - 2 * Self.margin, ht = Self.height - 2 * Self.margin
    func x(_ n: Int) -> Double { Self.margin + w * Double(n) / Double(max(last, 1)) }
    func y(_ v: Double) -> Double { Self.margin + ht * (1 - (v - lo) / span) }
    var body = """
      <line x1="\(Self.margin)" y1="\(Self.margin + ht)" x2="\(Self.margin + w)" \
      y2="\(Self.margin + ht)" stroke="black"/>
      <line x1="\(Self.margin)" y1="\(Self.margin)" x2="\(Self.margin)" \
      y2="\(Self.margin + ht)" stroke="black"/>
      <text x="\(Self.margin + w / 2)" y="\(Self.height - 15)" text-anchor="middle">trial</text>
      <text x="\(Self.margin - 5)" y="\(Self.margin + 4)" text-anchor="end">\
      \(JSONValue.format(hi))</text>
      <text x="\(Self.margin - 5)" y="\(Self.margin + ht + 4)" text-anchor="end">\
      \(JSONValue.format(lo))</text>
      <text x="\(Self.margin + w)" y="\(Self.margin + ht + 16)" text-anchor="end">\(last)</text>

      """
    for p in h {
      if let v = p.value {
        body +=
          "<circle cx=\"\(Self.f(x(p.number)))\" cy=\"\(Self.f(y(v)))\" r=\"3\" "
          + "fill=\"#8aa\"/>\n"
      }
    }
    var path = ""
    var previous: Double?
    for p in h {
      if let b = p.best {
        if let prev = previous {
          path +=
            " L\(Self.f(x(p.number))),\(Self.f(y(prev))) L\(Self.f(x(p.number))),\(Self.f(y(b)))"
        } else {
          path += "M\(Self.f(x(p.number))),\(Self.f(y(b)))"
        }
        previous = b
      }
    }
    body += "<path d=\"\(path)\" fill=\"none\" stroke=\"#c33\" stroke-width=\"2\"/>\n"
    return Self.frame(title, body)
  }

  func importance() throws -> String {
    let imp = try study.parameterImportance()
    let title = "\(study.name): parameter importance (η², share of variance)"
    guard !imp.isEmpty else {
      return Self.frame(title, "<text x=\"60\" y=\"200\">not enough complete trials</text>\n")
    }
    let w = Self.width - 2 * Self.margin - 60
    let bar = min(30.0, (Self.height - 2 * Self.margin) / Double(imp.count))
    var body = ""
    for (k, p) in imp.enumerated() {
      let top = Self.margin + Double(k) * bar
      body += """
        <text x="\(Self.margin + 55)" y="\(Self.f(top + bar * 0.65))" text-anchor="end">\
        \(Self.escape(p.name))</text>
        <rect x="\(Self.margin + 60)" y="\(Self.f(top + 2))" width="\(Self.f(w * p.importance))" \
        height="\(Self.f(bar - 4))" fill="#58a"/>
        <text x="\(Self.f(Self.margin + 64 + w * p.importance))" y="\(Self.f(top + bar * 0.65))">\
        \(String(format: "%.2f", p.importance))</text>

        """
    }
    return Self.frame(title, body)
  }
}
