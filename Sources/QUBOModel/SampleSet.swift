/// Samples of a model with their energies and occurrence counts.
///
/// Rows are stored row-major in one `[Int8]` buffer, `variables.count` values
/// a row, in the order of `variables`, with values in `vartype`'s domain.
/// `info` carries sampler facts (timing, spin updates, statistics) as JSON.
public struct SampleSet: Sendable, Equatable {
  /// The variables of every row, in column order.
  public var variables: Variables
  /// The domain of the values.
  public internal(set) var vartype: Vartype
  /// The samples, row-major.
  public internal(set) var samples: [Int8]
  /// The energy of each row.
  public internal(set) var energies: [Double]
  /// How many times each row occurred.
  public internal(set) var occurrences: [Int]
  /// Facts about the run that made the samples.
  public var info: [String: JSONValue]

  /// A sample set from a row-major matrix.
  public init(
    variables: Variables, vartype: Vartype, samples: [Int8], energies: [Double],
    occurrences: [Int]? = nil, info: [String: JSONValue] = [:]
  ) {
    let n = variables.count
    precondition(
      n == 0 ? samples.isEmpty : samples.count == n * energies.count,
      "sample matrix and energies disagree")
    self.variables = variables
    self.vartype = vartype
    self.samples = samples
    self.energies = energies
    self.occurrences = occurrences ?? Array(repeating: 1, count: energies.count)
    precondition(self.occurrences.count == energies.count)
    self.info = info
  }

  /// Samples of `model`, with energies computed from it.
  public init(
    model: BinaryQuadraticModel, samples: [Int8], occurrences: [Int]? = nil,
    info: [String: JSONValue] = [:]
  ) {
    let e: [Double]
    if model.numVariables == 0 {
      e = Array(repeating: model.offset, count: occurrences?.count ?? 0)
    } else {
      e = model.energies(ofRows: samples)
    }
    self.init(
      variables: model.variables, vartype: model.vartype, samples: samples,
      energies: e, occurrences: occurrences, info: info)
  }

  /// The number of rows.
  @inlinable public var count: Int { energies.count }
  /// The number of variables (columns).
  @inlinable public var numVariables: Int { variables.count }

  /// Row `r` of the sample matrix.
  public func sample(_ r: Int) -> ArraySlice<Int8> {
    let n = numVariables
    return samples[(r * n)..<((r + 1) * n)]
  }

  /// The value of `label` in row `r`.
  public func value(_ label: Label, inRow r: Int) -> Int8? {
    variables.index(of: label).map { samples[r * numVariables + $0] }
  }

  /// The lowest energy, `nil` when there are no rows.
  public var lowestEnergy: Double? { energies.min() }

  /// The index of the row of lowest energy (the first such row), `nil`
  /// when empty.
  public var lowestRow: Int? { energies.indices.min { energies[$0] < energies[$1] } }

  /// The row of lowest energy (the first such row), `nil` when empty.
  public var first: (sample: ArraySlice<Int8>, energy: Double)? {
    lowestRow.map { (sample($0), energies[$0]) }
  }

  /// The rows selected by `indices`, in that order.
  public func rows<S: Sequence>(_ indices: S) -> SampleSet where S.Element == Int {
    let n = numVariables
    var s: [Int8] = [], e: [Double] = [], o: [Int] = []
    for r in indices {
      s.append(contentsOf: samples[(r * n)..<((r + 1) * n)])
      e.append(energies[r])
      o.append(occurrences[r])
    }
    return SampleSet(
      variables: variables, vartype: vartype, samples: s, energies: e,
      occurrences: o, info: info)
  }

  /// The rows for which `isIncluded(row)` holds.
  public func filter(_ isIncluded: (Int) throws -> Bool) rethrows -> SampleSet {
    rows(try (0..<count).filter(isIncluded))
  }

  /// The rows sorted by energy, ties kept in their original order.
  public func sortedByEnergy() -> SampleSet {
    rows((0..<count).sorted { (energies[$0], $0) < (energies[$1], $1) })
  }

  /// The `k` lowest-energy rows, sorted.
  public func truncated(_ k: Int) -> SampleSet {
    rows((0..<count).sorted { (energies[$0], $0) < (energies[$1], $1) }.prefix(max(0, k)))
  }

  /// The rows whose energy is within `tolerance` of the lowest.
  public func lowest(tolerance: Double = 1e-9) -> SampleSet {
    guard let m = lowestEnergy else { return self }
    let tol = tolerance * max(1, abs(m))
    return filter { energies[$0] <= m + tol }
  }

  /// Identical rows merged into one, their occurrences summed, in order of
  /// first appearance.
  public func aggregated() -> SampleSet {
    let n = numVariables
    var seen: [ArraySlice<Int8>: Int] = [:]
    var order: [Int] = []
    var occ: [Int] = []
    for r in 0..<count {
      let row = samples[(r * n)..<((r + 1) * n)]
      if let k = seen[row] {
        occ[k] += occurrences[r]
      } else {
        seen[row] = order.count
        order.append(r)
        occ.append(occurrences[r])
      }
    }
    var out = rows(order)
    out.occurrences = occ
    return out
  }

  /// The same samples in the other domain; energies are unchanged.
  public func changingVartype(to target: Vartype) -> SampleSet {
    var out = self
    out.vartype = target
    out.samples = samples.map { vartype.convert($0, to: target) }
    return out
  }

  /// Appends the rows of `other`, which must have the same variables and vartype.
  public mutating func append(_ other: SampleSet) {
    precondition(other.variables == variables && other.vartype == vartype)
    samples.append(contentsOf: other.samples)
    energies.append(contentsOf: other.energies)
    occurrences.append(contentsOf: other.occurrences)
  }

  /// Replaces the energies with those `model` gives (a fresh recomputation).
  public mutating func recomputeEnergies(_ model: BinaryQuadraticModel) {
    precondition(model.variables == variables && model.vartype == vartype)
    energies =
      numVariables == 0
      ? Array(repeating: model.offset, count: count) : model.energies(ofRows: samples)
  }
}
