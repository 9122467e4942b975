/// Whether a format's own objective is to be made large or small.
public enum ObjectiveSense: String, Sendable, Hashable {
  case maximize
  case minimize
}

/// A file format's own objective, as an affine function of the model energy.
///
/// Every model Anneal builds is *minimized*. Formats that state their
/// problems differently (a max-cut, a maximization QUBO) read into a model
/// whose energy `E` maps to the format's objective as
/// `value = scale · E + shift`, with `scale` ±1 or ±½ so that the lowest
/// energy is the best objective.
public struct Objective: Sendable, Hashable {
  /// A short name for reports: `cut` (Gset), `bqp` (OR-Library) or `gka`.
  public var name: String
  /// Whether larger or smaller values are better.
  public var sense: ObjectiveSense
  /// The factor on the energy.
  public var scale: Double
  /// The constant added.
  public var shift: Double
  /// The formula in words, for `--verbose` output and documentation.
  public var formula: String

  /// An objective `value = scale · E + shift`.
  public init(
    name: String, sense: ObjectiveSense, scale: Double, shift: Double, formula: String
  ) {
    self.name = name
    self.sense = sense
    self.scale = scale
    self.shift = shift
    self.formula = formula
  }

  /// The objective of a state whose model energy is `energy`.
  @inlinable
  public func value(energy: Double) -> Double { scale * energy + shift }

  /// The model energy of a state whose objective is `value`.
  @inlinable
  public func energy(value: Double) -> Double { (value - shift) / scale }

  /// The max-cut objective of a Gset graph with total weight `totalWeight`:
  /// `cut = (W − E)/2`, `E = Σ_{i<j} w_ij s_i s_j`.
  public static func cut(totalWeight w: Double) -> Objective {
    Objective(
      name: "cut", sense: .maximize, scale: -0.5, shift: w / 2,
      formula: "cut = (W - E)/2 with W = \(JSONValue.format(w)), E = sum w_ij s_i s_j")
  }

  /// The OR-Library objective `f(x) = Σ q_ii x_i + 2 Σ_{i<j} q_ij x_i x_j`,
  /// maximized; the model minimizes `E = −f`.
  public static let orLibrary = Objective(
    name: "bqp", sense: .maximize, scale: -1, shift: 0,
    formula: "f(x) = sum q_ii x_i + 2 sum_{i<j} q_ij x_i x_j (maximize), f = -E")

  /// The Glover–Kochenberger–Alidaee objective in BiqMac form, the same `f`
  /// minimized; the model energy is `f` itself.
  public static let gka = Objective(
    name: "gka", sense: .minimize, scale: 1, shift: 0,
    formula: "f(x) = sum q_ii x_i + 2 sum_{i<j} q_ij x_i x_j (minimize), f = E")
}
