// A minimal SVG writer: elements appended as text, attributes escaped, one
// `<svg>` root with a white background and a sans-serif default font.

/// An SVG picture built element by element.
public struct SVGDocument: Sendable {
  /// Width in pixels.
  public var width: Double
  /// Height in pixels.
  public var height: Double
  /// The elements, in drawing order.
  public private(set) var body: [String] = []

  /// An empty picture of the given size.
  public init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  /// Escapes `&`, `<`, `>` and quotes for text and attribute values.
  public static func escape(_ s: String) -> String {
    var out = ""
    for c in s {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(c)
      }
    }
    return out
  }

  /// A number as SVG text with at most two decimals.
  public static func number(_ x: Double) -> String {
    let r = (x * 100).rounded() / 100
    if r == r.rounded() { return String(Int(r)) }
    return String(r)
  }

  /// Appends an element `<name attributes/>` or `<name attributes>text</name>`.
  public mutating func element(
    _ name: String, _ attributes: KeyValuePairs<String, String>, text: String? = nil
  ) {
    var s = "<" + name
    for (k, v) in attributes { s += " \(k)=\"\(Self.escape(v))\"" }
    if let text {
      s += ">" + Self.escape(text) + "</\(name)>"
    } else {
      s += "/>"
    }
    body.append(s)
  }

  /// Appends a line segment.
  public mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#000",
    width: Double = 1, dash: String? = nil
  ) {
    var s = "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\""
    s += " y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\""
    if let dash { s += " stroke-dasharray=\"\(dash)\"" }
    body.append(s + "/>")
  }

  /// Appends a bold title on the baseline `y`, centred on `centre` where it
  /// fits: a title wider than the picture (estimated at 0.62 em a
  /// character, a bold sans-serif's average) is set smaller, down to 9 px,
  /// and the centre moves so that both ends stay 10 px inside the frame.
  public mutating func title(_ s: String, centre: Double, y: Double = 28, size: Double = 18) {
    let room = max(width - 20, 1)
    let characters = Double(max(s.count, 1))
    // Rounded down to the two decimals the SVG text keeps, so it still fits.
    let fitted = max(9, min(size, (room / (0.62 * characters) * 100).rounded(.down) / 100))
    let half = min(room, 0.62 * fitted * characters) / 2
    let x = min(max(centre, 10 + half), width - 10 - half)
    text(s, x: x, y: y, size: fitted, weight: "bold", cssClass: "title")
  }

  /// Appends text anchored at `(x, y)`; `rotate` turns it about that point.
  public mutating func text(
    _ s: String, x: Double, y: Double, size: Double = 14, anchor: String = "middle",
    rotate: Double? = nil, weight: String = "normal", fill: String = "#000",
    cssClass: String? = nil
  ) {
    var attrs = "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\""
    attrs += " text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(fill)\""
    if let rotate {
      attrs += " transform=\"rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))\""
    }
    if let cssClass { attrs += " class=\"\(cssClass)\"" }
    body.append("<text \(attrs)>\(Self.escape(s))</text>")
  }

  /// Appends a rectangle.
  public mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String,
    stroke: String? = nil, cssClass: String? = nil, title: String? = nil
  ) {
    var s = "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\""
    s += " width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"\(fill)\""
    if let stroke { s += " stroke=\"\(stroke)\"" }
    if let cssClass { s += " class=\"\(cssClass)\"" }
    if let title {
      body.append(s + "><title>\(Self.escape(title))</title></rect>")
    } else {
      body.append(s + "/>")
    }
  }

  /// Appends a polyline through `points`.
  public mutating func polyline(
    _ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil
  ) {
    guard points.count > 1 else { return }
    let list = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
    let dashText = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    body.append(
      "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\""
        + " stroke-width=\"\(Self.number(width))\"\(dashText)/>")
  }

  /// Appends a circle marker, with an optional outline and hover title.
  public mutating func circle(
    x: Double, y: Double, r: Double, fill: String, stroke: String? = nil,
    cssClass: String? = nil, title: String? = nil
  ) {
    var s = "<circle cx=\"\(Self.number(x))\" cy=\"\(Self.number(y))\" r=\"\(Self.number(r))\""
    s += " fill=\"\(fill)\""
    if let stroke { s += " stroke=\"\(stroke)\" stroke-width=\"2\"" }
    if let cssClass { s += " class=\"\(cssClass)\"" }
    if let title {
      body.append(s + "><title>\(Self.escape(title))</title></circle>")
    } else {
      body.append(s + "/>")
    }
  }

  /// The whole document as SVG text.
  public func render() -> String {
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\""
    out += " height=\"\(Self.number(height))\""
    out += " viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\""
    out += " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
    out += "<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
    for e in body { out += e + "\n" }
    return out + "</svg>\n"
  }
}
