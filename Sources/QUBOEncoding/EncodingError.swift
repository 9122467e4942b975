/// A mistake in a model, found while building, compiling, instantiating or
/// decoding it; the message names the variable, constraint or placeholder.
public enum EncodingError: Error, Sendable, Equatable, CustomStringConvertible {
  /// An integer variable whose upper bound is below its lower bound.
  case emptyDomain(variable: String, lower: Int, upper: Int)
  /// A name used twice for variables, arrays or constraints.
  case duplicateName(String)
  /// A NaN or infinite coefficient in the objective or a constraint.
  case invalidCoefficient(in: String, value: Double)
  /// A constraint that no assignment within the variables' bounds satisfies.
  case unsatisfiable(constraint: String, reason: String)
  /// A constraint whose expression uses a placeholder (constraints must be
  /// numeric so that slack can be sized).
  case placeholderInConstraint(constraint: String, placeholder: String)
  /// A placeholder with no value at instantiation.
  case missingValue(placeholder: String)
  /// A placeholder or penalty given a NaN, infinite or (penalty) negative value.
  case invalidValue(name: String, value: Double)
  /// A value or penalty given for a name the model does not have.
  case unknownName(String)
  /// An expression that uses a variable of another model.
  case foreignVariable(in: String)
  /// A sample that lacks a variable of the model.
  case missingVariable(String)
  /// Any other bad argument, explained.
  case invalidArgument(String)

  /// A sentence naming what is wrong and where.
  public var description: String {
    switch self {
    case .emptyDomain(let v, let lo, let hi):
      return "integer variable '\(v)' has an empty domain: upper bound \(hi) < lower bound \(lo)"
    case .duplicateName(let n):
      return "the name '\(n)' is used twice"
    case .invalidCoefficient(let place, let value):
      return "\(place) has a non-finite coefficient (\(value))"
    case .unsatisfiable(let c, let reason):
      return "constraint '\(c)' cannot be satisfied by any assignment within bounds: \(reason)"
    case .placeholderInConstraint(let c, let p):
      return "constraint '\(c)' uses the placeholder '\(p)'; constraints must be numeric"
    case .missingValue(let p):
      return "no value given for the placeholder '\(p)'"
    case .invalidValue(let n, let v):
      return "'\(n)' was given the invalid value \(v)"
    case .unknownName(let n):
      return "the model has no placeholder or constraint named '\(n)'"
    case .foreignVariable(let place):
      return "\(place) uses a variable that belongs to another model"
    case .missingVariable(let n):
      return "the sample has no variable '\(n)'"
    case .invalidArgument(let why):
      return why
    }
  }
}
