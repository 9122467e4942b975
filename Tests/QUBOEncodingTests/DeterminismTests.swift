import QUBOEncoding
import QUBOModel
import Testing

/// Compiling does not depend on the order of an expression's terms.
///
/// The same model written with its sums in opposite orders
/// compiles to a bit-identical BQM (labels, biases, offset), default
/// penalty and reduction strengths. Expressions are dictionaries, which
/// iterate in an order that depends on insertion history (and, across
/// processes, on the per-process hash seed), so every sum over terms must
/// follow a fixed order of the terms instead.
@Suite("Compiling is independent of term order")
struct DeterminismTests {
  static let coefficients = [0.1, 0.7, 1.0 / 3, -0.3, 2.0 / 7, -1.0 / 9, 0.45]

  static func build(reversed: Bool) -> Model {
    var m = Model()
    let x = m.binaries("x", count: 24)
    let k = m.integer("k", lower: 0, upper: 5, encoding: .oneHot)
    let order = reversed ? Array(x.indices.reversed()) : Array(x.indices)
    func sum(_ weight: (Int) -> Double) -> Expr {
      Expr.sum(order) { weight($0) * x[$0] }
    }
    let a = sum { coefficients[$0 % 7] }
    let b = sum { coefficients[($0 * 3) % 7] }
    // Cubic monomials sharing pairs (reduced with auxiliary bits).
    let cubics: [Expr] = (0..<10).map { i in
      let pair: Expr = x[i] * x[i + 1]
      let c: Double = coefficients[i % 7]
      return c * (pair * x[(i * 5 + 3) % 24])
    }
    let product: Expr = (a - 0.9) * (b + 0.4)
    m.minimize(product + Expr.sum(reversed ? cubics.reversed() : cubics))
    m.constrain("c", sum { coefficients[($0 * 2) % 7] } + 0.3 * k == 1.7)
    m.constrain("d", sum { coefficients[($0 * 4) % 7] } <= 0.9)
    m.constrain("e", sum { coefficients[($0 * 5) % 7] } >= -0.4)
    return m
  }

  @Test func oppositeTermOrdersCompileToTheSameBits() throws {
    let forward = try Self.build(reversed: false).compile()
    let backward = try Self.build(reversed: true).compile()
    #expect(!forward.reductions.isEmpty)
    let penalties = ["c": 2.3, "d": 1.1, "e": 0.7]
    let p = try forward.resolve(penalties: penalties)
    let q = try backward.resolve(penalties: penalties)
    #expect(p == q)
    let a = forward.instantiate(p)
    let b = backward.instantiate(q)
    #expect(a.variables == b.variables)
    #expect(a.linear.map(\.bitPattern) == b.linear.map(\.bitPattern))
    #expect(a.offset.bitPattern == b.offset.bitPattern)
    let ia = a.sortedInteractions
    let ib = b.sortedInteractions
    #expect(ia.map(\.i) == ib.map(\.i) && ia.map(\.j) == ib.map(\.j))
    #expect(ia.map(\.bias.bitPattern) == ib.map(\.bias.bitPattern))
    #expect(
      try forward.defaultPenalty().bitPattern == backward.defaultPenalty().bitPattern)
  }
}
