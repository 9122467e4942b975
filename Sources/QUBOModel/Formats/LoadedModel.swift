/// A model read from a file, with what the reader learned on the way.
public struct LoadedModel: Sendable {
  /// The model, to be minimized.
  public var model: BinaryQuadraticModel
  /// The format that was read (never `.auto`).
  public var format: ModelFormat
  /// Why that format was chosen (the CLI prints this with `--verbose`).
  public var formatReason: String
  /// The format's own objective, for Gset and OR-Library files.
  public var objective: Objective?
  /// Facts a user may want to know (a defaulted vartype, a relabelling).
  public var notes: [String]

  /// A loaded model from its parts.
  public init(
    model: BinaryQuadraticModel, format: ModelFormat, formatReason: String,
    objective: Objective? = nil, notes: [String] = []
  ) {
    self.model = model
    self.format = format
    self.formatReason = formatReason
    self.objective = objective
    self.notes = notes
  }
}
