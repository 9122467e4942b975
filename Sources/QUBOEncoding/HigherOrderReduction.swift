// Higher-order terms reduced to quadratic by Rosenberg substitution.
//
// I. G. Rosenberg, "Reduction of bivalent maximization to the quadratic
// case", Cahiers du Centre d'Études de Recherche Opérationnelle 17 (1975).
//
// A pair x_a x_b inside terms of degree ≥ 3 is replaced by a new bit y, and
// the penalty
//
//     M_y · P(x_a, x_b, y),   P = x_a x_b − 2 x_a y − 2 x_b y + 3 y,
//
// is added. P = 0 when y = x_a x_b and P ≥ 1 otherwise. The strength is
//
//     M_y = factor · Σ_t |c_t|,
//
// the sum over the terms t in which y was substituted (coefficients grouped
// by monomial and evaluated with the placeholders' values), factor ≥ 1
// (default 2). Then min over the auxiliary bits of the reduced polynomial
// equals the original polynomial at every assignment: setting each
// auxiliary bit to the product of its pair (in creation order) gives the
// original value, and any other setting pays at least M_u ≥ Σ|c_t| for each
// inconsistent bit u, more than the terms that depend on u can gain.
// With factor > 1 the minimum is strict whenever those terms are non-zero.
//
// Pair choice: in each round every term of degree ≥ 3 loses one degree by
// substituting, among its pairs, the one shared by most such terms (ties to
// the smallest ids); an auxiliary bit is reused for the same pair across
// terms and rounds. Rounds = (highest degree − 2); each costs O(Σ d_t²).

import QUBOModel

/// One auxiliary bit made by higher-order reduction, and how its penalty
/// strength is computed.
public struct Reduction: Sendable {
  /// The auxiliary bit's label in the BQM, `aux(a*b)`.
  public let auxiliary: String
  /// The labels of the pair it stands for.
  public let pair: (String, String)
  /// The factor in `M = factor · Σ_t |c_t|`.
  public let factor: Double
  let auxiliaryId: Int32
  let pairIds: (Int32, Int32)
  /// For each substituted monomial, its coefficient as (placeholders, c).
  let sources: [[([Int32], Double)]]

  /// The strength `M = factor · Σ_t |c_t|` for the given parameter values.
  func strength(parameters p: [Double]) -> Double {
    var total = 0.0
    for group in sources {
      var c = 0.0
      for (params, coefficient) in group {
        var v = coefficient
        for k in params { v *= p[Int(k)] }
        c += v
      }
      total += abs(c)
    }
    return factor * total
  }
}

extension Model {
  /// Reduces every term of `poly` to degree ≤ 2, adding auxiliary variables
  /// to this model and strength parameters numbered from `firstParameter`.
  mutating func reduceToQuadratic(
    _ poly: inout Expr, factor: Double, firstParameter: Int32
  ) -> [Reduction] {
    var memo: [QuadraticKey: Int] = [:]
    var auxIds: [Int32] = []
    var pairs: [(Int32, Int32)] = []
    var sources: [[[Int32]: [([Int32], Double)]]] = []
    while true {
      let high = poly.terms.filter { $0.key.degree >= 3 }
      if high.isEmpty { break }
      var counts: [QuadraticKey: Int] = [:]
      for t in high.keys {
        let v = t.variables
        for a in 0..<v.count {
          for b in (a + 1)..<v.count { counts[QuadraticKey(Int(v[a]), Int(v[b])), default: 0] += 1 }
        }
      }
      // In term order: which pair a monomial gives up, and so the order of
      // the auxiliary bits, must not follow the dictionary's order.
      for (t, c) in Expr(terms: high).sortedTerms {
        let v = t.variables
        var best = QuadraticKey(Int(v[0]), Int(v[1]))
        var bestCount = counts[best] ?? 0
        for a in 0..<v.count {
          for b in (a + 1)..<v.count {
            let key = QuadraticKey(Int(v[a]), Int(v[b]))
            let n = counts[key] ?? 0
            if n > bestCount || (n == bestCount && key < best) {
              best = key
              bestCount = n
            }
          }
        }
        let r: Int
        if let known = memo[best] {
          r = known
        } else {
          r = auxIds.count
          memo[best] = r
          let a = variables[best.i].name
          let b = variables[best.j].name
          auxIds.append(newVariable("aux(\(a)*\(b))", .auxiliary))
          pairs.append((Int32(best.i), Int32(best.j)))
          sources.append([:])
        }
        poly.terms[t] = nil
        var rest = v.filter { Int($0) != best.i && Int($0) != best.j }
        rest.append(auxIds[r])
        rest.sort()
        poly.add(Term(variables: rest, parameters: t.parameters), c)
        sources[r][v, default: []].append((t.parameters, c))
      }
    }
    var out: [Reduction] = []
    for r in auxIds.indices {
      let m = firstParameter + Int32(r)
      let (a, b) = pairs[r]
      let y = auxIds[r]
      // The strength sums over the substituted monomials in a fixed order.
      let group = sources[r]
      let ordered = group.keys.sorted { $0.lexicographicallyPrecedes($1) }.compactMap { group[$0] }
      let penalty: [([Int32], Double)] = [([a, b], 1), ([a, y], -2), ([b, y], -2), ([y], 3)]
      for (vars, c) in penalty {
        poly.add(Term(variables: vars.sorted(), parameters: [m]), c)
      }
      out.append(
        Reduction(
          auxiliary: variables[Int(y)].name,
          pair: (variables[Int(a)].name, variables[Int(b)].name), factor: factor,
          auxiliaryId: y, pairIds: (a, b), sources: ordered))
    }
    return out
  }
}
