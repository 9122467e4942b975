// Bounds of a constraint expression over the assignments that respect the
// variables' domains, used to size slack variables and to reject constraints
// that nothing satisfies.
//
// Linear terms on the bits of a one-hot or domain-wall integer are grouped:
// a valid one-hot pattern sets exactly one bit, so the group contributes one
// of its coefficients; a valid domain-wall pattern sets a prefix, so it
// contributes one of the prefix sums. Every other monomial c·Π x_i ranges
// over [min(0, c), max(0, c)] independently. For expressions linear in the
// variables the result is the exact range; otherwise it is an enclosure.

extension Model {
  /// Lower and upper bounds of `e` over valid assignments (over all bit
  /// patterns when `grouped` is false).
  func bounds(of e: Expr, grouped: Bool = true) -> (lower: Double, upper: Double) {
    var lo = 0.0
    var hi = 0.0
    var groups: [Int: [Int32: Double]] = [:]
    for (t, c) in e.sortedTerms {
      if t.degree == 0 {
        lo += c
        hi += c
        continue
      }
      if grouped, t.degree == 1, let k = groupedInteger(t.variables[0]) {
        groups[k, default: [:]][t.variables[0], default: 0] += c
        continue
      }
      lo += min(0, c)
      hi += max(0, c)
    }
    for k in groups.keys.sorted() {
      let coefficients = groups[k] ?? [:]
      let bits = integers[k].bits
      var choices: [Double]
      switch integers[k].encoding {
      case .oneHot:
        choices = bits.map { coefficients[$0] ?? 0 }
      case .domainWall:
        choices = [0]
        var prefix = 0.0
        for b in bits {
          prefix += coefficients[b] ?? 0
          choices.append(prefix)
        }
      case .binary, .unary:
        choices = [0]
      }
      lo += choices.min() ?? 0
      hi += choices.max() ?? 0
    }
    return (lo, hi)
  }

  /// The index of the one-hot or domain-wall integer that owns bit `id`.
  func groupedInteger(_ id: Int32) -> Int? {
    guard case .integerBit(let k) = variables[Int(id)].role else { return nil }
    switch integers[k].encoding {
    case .oneHot, .domainWall: return k
    case .binary, .unary: return nil
    }
  }

  /// Why `e = 0` has no integer solution when all coefficients are
  /// integers: their gcd must divide the constant.
  func gcdObstruction(of e: Expr) -> String? {
    var g = 0
    var constant = 0
    for (t, c) in e.terms {
      guard c == c.rounded(), abs(c) < 1e15 else { return nil }
      if t.degree == 0 { constant = Int(c) } else { g = gcd(g, abs(Int(c))) }
    }
    guard g > 1, constant % g != 0 else { return nil }
    return "every coefficient is a multiple of \(g) but the constant \(-constant) is not"
  }
}

/// The greatest common divisor of two non-negative integers.
func gcd(_ a: Int, _ b: Int) -> Int {
  var (a, b) = (a, b)
  while b != 0 { (a, b) = (b, a % b) }
  return a
}
