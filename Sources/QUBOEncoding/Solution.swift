/// How one constraint fares in a sample.
public struct ConstraintReport: Sendable, Equatable {
  /// The constraint's name.
  public var name: String
  /// The relation (`==`, `<=`, `at-most-one`, `penalty`).
  public var kind: Constraint.Kind
  /// The value of `lhs − rhs` (or of the penalty expression).
  public var value: Double
  /// How far the constraint is from holding; 0 when it holds.
  public var violation: Double
  /// Whether it holds (violation within 1e-9 of 0, relative to its scale).
  public var isSatisfied: Bool
}

/// One sample decoded: named values, the objective, and which constraints
/// broke.
public struct Solution: Sendable {
  /// The sample's energy in the BQM it came from.
  public var energy: Double
  /// The objective's value in the user's sense (what `minimize` or
  /// `maximize` was given), penalties excluded.
  public var objective: Double
  /// The value the model minimises: `objective`, negated for a maximised
  /// objective.
  ///
  /// Energies are this plus the penalties.
  public var minimizedObjective: Double
  /// Each binary variable's value (0 or 1), by name.
  public var bits: [String: Int8]
  /// Each spin variable's value (−1 or +1), by name.
  public var spins: [String: Int8]
  /// Each integer variable's value, or why its bits spell none, by name.
  public var integers: [String: IntegerDecoding]
  /// Every constraint, in model order.
  public var constraints: [ConstraintReport]
  /// The row of the sample set this came from.
  public var row: Int
  let assignment: [Int8]
  let parameters: [Double]
  let arrays: [String: Model.ArrayInfo]

  /// Whether every constraint holds and every integer decodes.
  public var isFeasible: Bool {
    constraints.allSatisfy(\.isSatisfied) && integers.values.allSatisfy { $0.value != nil }
  }

  /// The constraints that do not hold.
  public var broken: [ConstraintReport] { constraints.filter { !$0.isSatisfied } }

  /// The value of any expression of the model at this sample (placeholders
  /// take the values the sample was decoded with).
  public func value(of e: Expr) -> Double {
    e.evaluate(bits: assignment, parameters: parameters)
  }

  /// The value of the integer variable `name`, `nil` when it is invalid or
  /// absent.
  public func integer(_ name: String) -> Int? { integers[name]?.value }

  /// The values of the array `name` in element order (bits as 0/1, spins as
  /// ±1, integers as values), `nil` when there is no such array or an
  /// integer element is invalid.
  public func array(_ name: String) -> [Int]? {
    guard let info = arrays[name] else { return nil }
    var out: [Int] = []
    out.reserveCapacity(info.elements.count)
    for e in info.elements {
      if let b = bits[e] {
        out.append(Int(b))
      } else if let s = spins[e] {
        out.append(Int(s))
      } else if let v = integers[e]?.value {
        out.append(v)
      } else {
        return nil
      }
    }
    return out
  }

  /// The shape of the array `name`, such as `[rows, columns]`.
  public func shape(of name: String) -> [Int]? { arrays[name]?.shape }
}

extension Solution: CustomStringConvertible {
  /// A short summary: feasibility, objective, energy, broken constraints.
  public var description: String {
    var s = "\(isFeasible ? "feasible" : "infeasible") objective=\(objective) energy=\(energy)"
    for b in broken { s += "\n  broken \(b.name): violation \(b.violation)" }
    return s
  }
}
