import QUBOModel

/// The values every parameter of a compiled model takes in one
/// instantiation: placeholders, penalty strengths and reduction strengths.
public struct ResolvedParameters: Sendable, Equatable {
  /// The placeholders' values, by name.
  public var values: [String: Double]
  /// The penalty strength λ of each constraint, by constraint name.
  public var penalties: [String: Double]
  /// The strength M of each auxiliary bit, by its label.
  public var reductionStrengths: [String: Double]
  /// Every parameter by id.
  var vector: [Double]
}

extension CompiledModel {
  /// Resolves the parameters: `values` for every placeholder, `penalties`
  /// for any constraints (the others get `defaultPenalty`), then the
  /// reduction strengths `M = factor·Σ|c_t|`.
  ///
  /// - Throws: `EncodingError` for a missing placeholder value, a name the
  ///   model does not have, or a non-finite or negative strength.
  public func resolve(
    values: [String: Double] = [:], penalties: [String: Double] = [:]
  ) throws -> ResolvedParameters {
    var p = try userParameters(values)
    let names = penaltyNames
    let known = Set(names)
    for (name, v) in penalties {
      guard known.contains(name) else { throw EncodingError.unknownName(name) }
      guard v.isFinite, v >= 0 else { throw EncodingError.invalidValue(name: name, value: v) }
    }
    var used: [String: Double] = [:]
    let fallback = penalties.count == names.count ? 1 : try defaultPenalty(values: values)
    for name in names {
      let lambda = penalties[name] ?? fallback
      used[name] = lambda
      p.append(lambda)
    }
    var strengths: [String: Double] = [:]
    let base = p
    for r in reductions {
      let m = r.strength(parameters: base)
      strengths[r.auxiliary] = m
      p.append(m)
    }
    var given: [String: Double] = [:]
    for name in model.placeholderNames { given[name] = values[name] }
    return ResolvedParameters(
      values: given, penalties: used, reductionStrengths: strengths, vector: p)
  }

  /// The BQM for the given placeholder values and penalty strengths
  /// (constraints without a strength get `defaultPenalty`).
  ///
  /// - Complexity: O(n + m) to copy the template plus O(symbolic entries);
  ///   no compilation, no label hashing.
  public func instantiate(
    values: [String: Double] = [:], penalties: [String: Double] = [:]
  ) throws -> BinaryQuadraticModel {
    instantiate(try resolve(values: values, penalties: penalties))
  }

  /// The BQM for already resolved parameters.
  public func instantiate(_ parameters: ResolvedParameters) -> BinaryQuadraticModel {
    let p = parameters.vector
    let monomialValues = parameterMonomials.map { ids in
      ids.reduce(1.0) { $0 * p[Int($1)] }
    }
    var bqm = template
    for e in symbolic {
      let v = e.coefficient * monomialValues[Int(e.monomial)]
      switch e.target {
      case .offset: bqm.offset += v
      case .linear(let i): bqm.addLinear(index: Int(i), v)
      case .quadratic(let i, let j): bqm.addQuadratic(index: Int(i), Int(j), v)
      }
    }
    return bqm
  }
}
