// Arithmetic on expressions. Sums merge dictionaries (O(size of the smaller
// operand) when accumulating in place); products expand term by term
// (O(|a|·|b|)); squares visit each unordered pair of terms once.

extension Expr {
  /// Adds `other` to this expression in place.
  ///
  /// - Complexity: O(`other.termCount`).
  public static func += (lhs: inout Expr, rhs: Expr) {
    if lhs.terms.isEmpty {
      lhs = rhs
      return
    }
    for (t, c) in rhs.terms { lhs.add(t, c) }
  }

  /// Subtracts `other` from this expression in place.
  public static func -= (lhs: inout Expr, rhs: Expr) {
    for (t, c) in rhs.terms { lhs.add(t, -c) }
  }

  /// Multiplies this expression by `rhs` in place.
  public static func *= (lhs: inout Expr, rhs: Expr) {
    lhs = lhs * rhs
  }

  /// The sum `a + b`.
  public static func + (a: Expr, b: Expr) -> Expr {
    if a.terms.count >= b.terms.count {
      var r = a
      r += b
      return r
    }
    var r = b
    r += a
    return r
  }

  /// The difference `a − b`.
  public static func - (a: Expr, b: Expr) -> Expr {
    var r = a
    r -= b
    return r
  }

  /// The negation `−a`.
  public static prefix func - (a: Expr) -> Expr {
    Expr(terms: a.terms.mapValues { -$0 })
  }

  /// The product `a·b`, expanded with `x·x = x` for binary variables.
  ///
  /// - Complexity: O(|a|·|b|) term products.
  public static func * (a: Expr, b: Expr) -> Expr {
    if let c = a.constantValue { return b.scaled(by: c) }
    if let c = b.constantValue { return a.scaled(by: c) }
    var r = Expr()
    r.terms.reserveCapacity(min(a.terms.count * b.terms.count, Expr.reserveLimit))
    // Several pairs can meet in one monomial: visit them in a fixed order.
    let right = b.sortedTerms
    for (s, c) in a.sortedTerms {
      for (t, d) in right { r.add(s * t, c * d) }
    }
    return r
  }

  /// The product `c·a` for a number `c`.
  public static func * (c: Double, a: Expr) -> Expr { a.scaled(by: c) }
  /// The product `a·c` for a number `c`.
  public static func * (a: Expr, c: Double) -> Expr { a.scaled(by: c) }
  /// The product `c·a` for an integer `c`.
  public static func * (c: Int, a: Expr) -> Expr { a.scaled(by: Double(c)) }
  /// The product `a·c` for an integer `c`.
  public static func * (a: Expr, c: Int) -> Expr { a.scaled(by: Double(c)) }
  /// The sum `a + c` for an integer `c`.
  public static func + (a: Expr, c: Int) -> Expr { a + Expr(Double(c)) }
  /// The sum `c + a` for an integer `c`.
  public static func + (c: Int, a: Expr) -> Expr { a + Expr(Double(c)) }
  /// The difference `a − c` for an integer `c`.
  public static func - (a: Expr, c: Int) -> Expr { a - Expr(Double(c)) }
  /// The difference `c − a` for an integer `c`.
  public static func - (c: Int, a: Expr) -> Expr { Expr(Double(c)) - a }
  /// The sum `a + c` for a number `c`.
  public static func + (a: Expr, c: Double) -> Expr { a + Expr(c) }
  /// The sum `c + a` for a number `c`.
  public static func + (c: Double, a: Expr) -> Expr { a + Expr(c) }
  /// The difference `a − c` for a number `c`.
  public static func - (a: Expr, c: Double) -> Expr { a - Expr(c) }
  /// The difference `c − a` for a number `c`.
  public static func - (c: Double, a: Expr) -> Expr { Expr(c) - a }

  /// This expression times `c` (zero when `c` is zero; NaN is kept so that
  /// compilation can report it).
  public func scaled(by c: Double) -> Expr {
    if c == 0 { return Expr() }
    if c == 1 { return self }
    return Expr(terms: terms.mapValues { $0 * c })
  }

  /// The most entries a product reserves up front: products whose terms
  /// merge should not allocate for the unmerged count.
  static let reserveLimit = 1 << 16

  /// The value when the expression has no variables and no placeholders.
  var constantValue: Double? {
    if terms.isEmpty { return 0 }
    if terms.count == 1, let c = terms[.one] { return c }
    return nil
  }

  /// The square `e²`, computed from each unordered pair of terms once.
  ///
  /// - Complexity: O(|e|²/2) term products.
  public func squared() -> Expr {
    let list = sortedTerms
    var r = Expr()
    r.terms.reserveCapacity(min(list.count * (list.count + 1) / 2, Expr.reserveLimit))
    for a in list.indices {
      let (s, c) = list[a]
      r.add(s * s, c * c)
      for b in (a + 1)..<list.count {
        let (t, d) = list[b]
        r.add(s * t, 2 * c * d)
      }
    }
    return r
  }

  /// The power `e^k` by repeated squaring (`e^0 = 1`).
  public func power(_ k: UInt) -> Expr {
    var result = Expr(1)
    var base = self
    var k = k
    while k > 0 {
      if k & 1 == 1 { result = result * base }
      k >>= 1
      if k > 0 { base = base.squared() }
    }
    return result
  }

  /// The sum of `expressions`, accumulated in place.
  public static func sum<S: Sequence>(_ expressions: S) -> Expr
  where S.Element == Expr {
    var r = Expr()
    for e in expressions { r += e }
    return r
  }

  /// The sum of `body(i)` over `collection`, accumulated in place.
  public static func sum<S: Sequence>(
    _ collection: S, _ body: (S.Element) throws -> Expr
  ) rethrows -> Expr {
    var r = Expr()
    for i in collection { r += try body(i) }
    return r
  }
}

/// The power `e^k` of an expression.
public func pow(_ e: Expr, _ k: UInt) -> Expr { e.power(k) }

extension Sequence where Element == Expr {
  /// The sum of the expressions, accumulated in place.
  public func sum() -> Expr { Expr.sum(self) }
}
