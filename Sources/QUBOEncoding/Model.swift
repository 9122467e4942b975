/// A problem written in Swift: named variables, an objective to minimise,
/// named constraints, and placeholders for constants given later.
///
///     var m = Model()
///     let x = m.binaries("x", count: 3)
///     let n = m.integer("n", in: 0...5, encoding: .binary)
///     m.minimize(Expr.sum(x) - n)
///     m.constrain("budget", x[0] + 2 * x[1] + n <= 4)
///     let compiled = try m.compile()
///     let bqm = try compiled.instantiate()
///     // … sample `bqm` with any sampler, then:
///     let best = try samples.lowestFeasible(compiled)
///     best?.integer("n"); best?.array("x"); best?.broken
///
/// The builder never throws: mistakes (an empty domain, a reused name) are
/// recorded and `compile()` throws the first one, naming it.
public struct Model: Sendable {
  /// What a variable id stands for.
  enum Role: Sendable, Equatable {
    case binary
    case spin
    /// A bit of the integer variable with this index.
    case integerBit(Int)
    /// A slack bit of the constraint with this index.
    case slack(Int)
    /// An auxiliary bit from higher-order reduction.
    case auxiliary
  }

  /// One binary variable of the compiled model.
  struct VariableInfo: Sendable {
    var name: String
    var role: Role
  }

  /// A named array of variables, for decoding as a whole.
  struct ArrayInfo: Sendable {
    var name: String
    var shape: [Int]
    var elements: [String]
  }

  var variables: [VariableInfo] = []
  var names: [String: Int32] = [:]
  var integers: [IntegerVariable] = []
  var integerIndex: [String: Int] = [:]
  var arrays: [String: ArrayInfo] = [:]
  var placeholderNames: [String] = []
  var placeholderIndex: [String: Int32] = [:]
  var constraints: [Constraint] = []
  var errors: [EncodingError] = []

  /// The expression to minimise (zero until set).
  ///
  /// A maximised objective is
  /// stored here negated; `sense` says which the user asked for.
  public var objective = Expr()

  /// Whether the user's objective is minimised or maximised.
  public enum Sense: String, Sendable {
    case minimize
    case maximize
  }

  /// The sense of the user's objective; `Solution.objective` is reported in it.
  public internal(set) var sense = Sense.minimize

  /// An empty model.
  public init() {}

  /// Sets the objective to minimise.
  public mutating func minimize(_ e: Expr) {
    objective = e
    sense = .minimize
  }

  /// Sets the objective to maximise (stored as its negation).
  public mutating func maximize(_ e: Expr) {
    objective = -e
    sense = .maximize
  }

  /// The number of binary variables declared so far (integer bits included,
  /// slack and auxiliary bits not: those appear when compiling).
  public var numVariables: Int { variables.count }

  /// The names of the placeholders, in declaration order.
  public var placeholders: [String] { placeholderNames }

  /// A placeholder: a constant whose value is given at instantiation.
  ///
  /// Asking twice for the same name returns the same placeholder.
  public mutating func placeholder(_ name: String) -> Expr {
    if let id = placeholderIndex[name] { return .parameter(id) }
    let id = Int32(placeholderNames.count)
    placeholderNames.append(name)
    placeholderIndex[name] = id
    return .parameter(id)
  }

  /// Registers a new binary variable and returns its id.
  mutating func newVariable(_ name: String, _ role: Role) -> Int32 {
    if names[name] != nil || integerIndex[name] != nil {
      errors.append(.duplicateName(name))
    }
    let id = Int32(variables.count)
    variables.append(VariableInfo(name: name, role: role))
    names[name] = id
    return id
  }

  /// A binary variable `x ∈ {0, 1}`.
  public mutating func binary(_ name: String) -> Expr {
    .variable(newVariable(name, .binary))
  }

  /// A spin variable `s ∈ {−1, +1}`, stored as the bit `x` with
  /// `s = 2x − 1`.
  ///
  /// The compiled BQM is binary, so its label `name` carries `x`; after
  /// `changingVartype(to: .spin)` the same label carries `s` itself.
  public mutating func spin(_ name: String) -> Expr {
    let id = newVariable(name, .spin)
    return 2 * Expr.variable(id) - 1
  }

  /// Binary variables `name[0]`, …, `name[count−1]`.
  public mutating func binaries(_ name: String, count: Int) -> [Expr] {
    let list = (0..<max(0, count)).map { binary("\(name)[\($0)]") }
    register(name, shape: [max(0, count)], (0..<max(0, count)).map { "\(name)[\($0)]" })
    return list
  }

  /// Binary variables `name[i][j]` for `i < rows`, `j < columns`.
  public mutating func binaries(
    _ name: String, rows: Int, columns: Int
  ) -> [[Expr]] {
    let r = max(0, rows)
    let c = max(0, columns)
    var elements: [String] = []
    let grid = (0..<r).map { i in
      (0..<c).map { j -> Expr in
        elements.append("\(name)[\(i)][\(j)]")
        return binary("\(name)[\(i)][\(j)]")
      }
    }
    register(name, shape: [r, c], elements)
    return grid
  }

  /// Spin variables `name[0]`, …, `name[count−1]`.
  public mutating func spins(_ name: String, count: Int) -> [Expr] {
    let list = (0..<max(0, count)).map { spin("\(name)[\($0)]") }
    register(name, shape: [max(0, count)], (0..<max(0, count)).map { "\(name)[\($0)]" })
    return list
  }

  mutating func register(_ name: String, shape: [Int], _ elements: [String]) {
    if arrays[name] != nil { errors.append(.duplicateName(name)) }
    arrays[name] = ArrayInfo(name: name, shape: shape, elements: elements)
  }
}
