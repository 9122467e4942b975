import QUBOModel

/// Energies recomputed from a model's labels and biases alone, as an oracle
/// for the energies samplers report.
///
/// Samplers report `IsingProblem.energy` or `BinaryQuadraticModel.energy`,
/// so checking them against either is checking a function against itself.
/// This oracle shares neither: it looks every value up by label in the
/// sample set, every bias up by label pair in the model, converts between
/// vartypes itself, and sums in its own order,
///
///     E(x) = offset + Σ_u a_u x_u + Σ_{u<v} b_uv x_u x_v,
///
/// over all label pairs (zero where there is no interaction).
///
/// - Complexity: O(n²) label-pair lookups a row: for small models.
public enum EnergyOracle {
  /// The energy of row `r` of `set` under `model`, or NaN when the row
  /// lacks one of the model's labels (so that any comparison fails).
  public static func energy(
    of set: SampleSet, row r: Int, in model: BinaryQuadraticModel
  ) -> Double {
    let labels = model.variables.allLabels
    var x: [Double] = []
    x.reserveCapacity(labels.count)
    for label in labels {
      guard let v = set.value(label, inRow: r) else { return .nan }
      x.append(value(Double(v), from: set.vartype, to: model.vartype))
    }
    var e = model.offset
    for (a, u) in labels.enumerated() {
      e += model.linear(u) * x[a]
      for b in (a + 1)..<max(a + 1, labels.count) {
        e += model.quadratic(u, labels[b]) * x[a] * x[b]
      }
    }
    return e
  }

  /// Whether `reported` equals `expected` to 1e-9 relative (the two sums
  /// run in different orders, so they may differ in the last bits).
  public static func agrees(_ reported: Double, _ expected: Double) -> Bool {
    abs(reported - expected) <= 1e-9 * max(1, abs(expected))
  }

  /// `v` in the other vartype: s = 2x − 1, x = (s + 1) / 2.
  static func value(_ v: Double, from source: Vartype, to target: Vartype) -> Double {
    switch (source, target) {
    case (.binary, .spin): 2 * v - 1
    case (.spin, .binary): (v + 1) / 2
    case (.binary, .binary), (.spin, .spin): v
    }
  }
}
