/// A binary quadratic model: the mutable builder every problem passes through.
///
///     E(x) = offset + Σ_i a_i x_i + Σ_{i<j} b_ij x_i x_j
///
/// with `x` binary (a QUBO) or spin (an Ising model) as `vartype` says.
/// Variables are addressed by `Label` at the edges and by dense index inside;
/// kernels never read this type, they read the frozen `IsingProblem`.
///
/// Determinism: every computation over a model (energies, vartype change,
/// freezing to `IsingProblem`) visits the interactions in `(i, j)` index
/// order, never in the dictionary's iteration order (randomised per
/// process), so one model gives bit-identical results in every process.
/// Models that are `==` (same variables in the same index order, same
/// biases) give bit-identical results however their interactions were
/// inserted. The variable order does matter: it fixes the order of the
/// sums, so a model with its variables permuted agrees only up to
/// rounding, and repeated additions to one bias round in the order made.
public struct BinaryQuadraticModel: Sendable, Equatable {
  /// The domain of every variable.
  public internal(set) var vartype: Vartype
  /// The variables, in index order.
  public internal(set) var variables: Variables
  /// The linear bias `a_i` of each variable, by index.
  public internal(set) var linear: [Double]
  /// The interactions `b_ij`, keyed by `QuadraticKey(i, j)` with `i < j`.
  public internal(set) var quadratic: [QuadraticKey: Double]
  /// The constant term.
  public var offset: Double

  /// An empty model.
  public init(vartype: Vartype) {
    self.vartype = vartype
    self.variables = Variables()
    self.linear = []
    self.quadratic = [:]
    self.offset = 0
  }

  /// A model on the variables `0..<count`, all biases zero.
  public init(vartype: Vartype, count: Int) {
    self.init(vartype: vartype)
    variables = Variables(range: count)
    linear = Array(repeating: 0, count: count)
  }

  /// The number of variables.
  @inlinable public var numVariables: Int { linear.count }
  /// The number of stored interactions (pairs with a bias, zero or not).
  @inlinable public var numInteractions: Int { quadratic.count }

  /// Adds `label` if it is new and returns its index.
  @discardableResult
  public mutating func addVariable(_ label: Label) -> Int {
    let i = variables.append(label)
    if i == linear.count { linear.append(0) }
    return i
  }

  /// Adds `bias` to the linear bias of `label` (creating it).
  public mutating func addLinear(_ label: Label, _ bias: Double) {
    let i = addVariable(label)
    linear[i] += bias
  }

  /// Adds `bias` to the linear bias of the variable at index `i`.
  public mutating func addLinear(index i: Int, _ bias: Double) {
    linear[i] += bias
  }

  /// Adds `bias` to the interaction of `u` and `v` (creating both).
  ///
  /// A self-interaction folds into the model exactly: `x·x = x` for binary
  /// variables (a linear term), `s·s = 1` for spins (the offset).
  public mutating func addQuadratic(_ u: Label, _ v: Label, _ bias: Double) {
    let i = addVariable(u)
    let j = addVariable(v)
    addQuadratic(index: i, j, bias)
  }

  /// Adds `bias` to the interaction of the variables at indices `i` and `j`.
  public mutating func addQuadratic(index i: Int, _ j: Int, _ bias: Double) {
    precondition(i >= 0 && j >= 0 && i < numVariables && j < numVariables)
    if i == j {
      switch vartype {
      case .binary: linear[i] += bias
      case .spin: offset += bias
      }
      return
    }
    quadratic[QuadraticKey(i, j), default: 0] += bias
  }

  /// The linear bias of `label` (zero when absent).
  public func linear(_ label: Label) -> Double {
    variables.index(of: label).map { linear[$0] } ?? 0
  }

  /// The interaction of `u` and `v` (zero when absent).
  public func quadratic(_ u: Label, _ v: Label) -> Double {
    guard let i = variables.index(of: u), let j = variables.index(of: v), i != j
    else { return 0 }
    return quadratic[QuadraticKey(i, j)] ?? 0
  }

  /// Adds every bias of `other` to this model, matching variables by label.
  ///
  /// `other` is converted to this model's vartype first.
  public mutating func merge(_ other: BinaryQuadraticModel) {
    let o = other.changingVartype(to: vartype)
    var map = [Int](repeating: 0, count: o.numVariables)
    for k in 0..<o.numVariables {
      map[k] = addVariable(o.variables.label(at: k))
      linear[map[k]] += o.linear[k]
    }
    for (key, b) in o.quadratic {
      addQuadratic(index: map[key.i], map[key.j], b)
    }
    offset += o.offset
  }

  /// Multiplies every bias and the offset by `factor`.
  public mutating func scale(by factor: Double) {
    for i in linear.indices { linear[i] *= factor }
    quadratic = quadratic.mapValues { $0 * factor }
    offset *= factor
  }

  /// The interactions as `(i, j, bias)` with `i < j`, sorted by `(i, j)`.
  ///
  /// - Complexity: O(n + m) for n variables and m interactions (two
  ///   counting passes, see `interactionsInOrder(skippingZero:)`).
  public var sortedInteractions: [(i: Int, j: Int, bias: Double)] {
    interactionsInOrder(skippingZero: false)
  }

  /// Removes interactions whose bias is exactly zero.
  public mutating func removeZeroInteractions() {
    quadratic = quadratic.filter { $0.value != 0 }
  }

  /// Equality as models: same vartype, labels, biases and offset.
  public static func == (a: BinaryQuadraticModel, b: BinaryQuadraticModel) -> Bool {
    a.vartype == b.vartype && a.variables == b.variables && a.linear == b.linear
      && a.quadratic == b.quadratic && a.offset == b.offset
  }
}

/// An unordered pair of variable indices, stored with `i < j`.
public struct QuadraticKey: Hashable, Sendable, Comparable {
  @usableFromInline let packed: UInt64

  /// The pair `{a, b}`; `a` and `b` must differ and fit in 32 bits.
  @inlinable
  public init(_ a: Int, _ b: Int) {
    let (lo, hi) = a < b ? (a, b) : (b, a)
    packed = UInt64(UInt32(truncatingIfNeeded: lo)) << 32 | UInt64(UInt32(truncatingIfNeeded: hi))
  }

  /// The smaller index.
  @inlinable public var i: Int { Int(packed >> 32) }
  /// The larger index.
  @inlinable public var j: Int { Int(packed & 0xFFFF_FFFF) }

  public static func < (a: QuadraticKey, b: QuadraticKey) -> Bool { a.packed < b.packed }
}
