import Annealing
import QUBOEncoding
import QUBOModel
import Testing

@Suite("Higher-order reduction")
struct ReductionTests {
  /// A random polynomial of degree ≤ `maxDegree` over `x`, with `terms`
  /// monomials and coefficients in {−5, −4.5, …, 5}.
  static func randomPolynomial(
    _ x: [Expr], terms: Int, maxDegree: Int, rng: inout SplitMix64
  ) -> Expr {
    var e = Expr()
    for _ in 0..<terms {
      let d = Int(rng.next() % UInt64(maxDegree + 1))
      var t = Expr(Double(Int(rng.next() % 21) - 10) / 2)
      for _ in 0..<d { t = t * x[Int(rng.next() % UInt64(x.count))] }
      e += t
    }
    return e
  }

  /// For every assignment of the user's bits, the minimum of the compiled
  /// energy over the auxiliary bits equals the polynomial.
  func checkMinOverAuxiliaries(
    _ compiled: CompiledModel, _ poly: Expr, bqm: BinaryQuadraticModel,
    userBits n: Int, values: [Double] = []
  ) {
    let aux = compiled.numVariables - n
    for a in everyAssignment(n) {
      let want = poly.evaluate(bits: a, parameters: values)
      var best = Double.infinity
      for y in everyAssignment(aux) { best = min(best, bqm.energy(a + y)) }
      #expect(abs(best - want) <= 1e-9 * max(1, abs(want)), "at \(a)")
    }
  }

  @Test(arguments: 0..<40)
  func randomPolynomialsExhaustive(seed: Int) throws {
    var rng = SplitMix64(seed: UInt64(seed))
    var m = Model()
    let n = 4 + seed % 3
    let x = m.binaries("x", count: n)
    let poly = Self.randomPolynomial(x, terms: 6 + seed % 7, maxDegree: 4, rng: &rng)
    m.minimize(poly)
    let compiled = try m.compile()
    #expect(compiled.polynomial.degree <= 2)
    let bqm = try compiled.instantiate()
    #expect(bqm.numVariables == compiled.numVariables)
    checkMinOverAuxiliaries(compiled, poly, bqm: bqm, userBits: n)
  }

  /// Placeholder coefficients on cubic terms: the strengths follow the values.
  @Test(arguments: [0.5, -3.0, 7.0])
  func placeholderCoefficients(a: Double) throws {
    var m = Model()
    let x = m.binaries("x", count: 4)
    let p = m.placeholder("a")
    let poly = p * x[0] * x[1] * x[2] - 2 * (x[1] * x[2] * x[3]) + p * x[3]
    m.minimize(poly)
    let compiled = try m.compile()
    let bqm = try compiled.instantiate(values: ["a": a])
    checkMinOverAuxiliaries(compiled, poly, bqm: bqm, userBits: 4, values: [a])
  }

  /// The documented strength: M = factor · Σ_t |c_t| over the substituted
  /// terms; the minimiser sets the auxiliary bit to the pair's product.
  @Test func documentedStrength() throws {
    var m = Model()
    let x = m.binary("x")
    let y = m.binary("y")
    let z = m.binary("z")
    m.minimize(-3 * (x * y * z))
    let compiled = try m.compile(reductionFactor: 1.5)
    #expect(compiled.reductions.count == 1)
    let r = try #require(compiled.reductions.first)
    #expect(r.pair == ("x", "y"))
    #expect(r.auxiliary == "aux(x*y)")
    let resolved = try compiled.resolve()
    #expect(resolved.reductionStrengths["aux(x*y)"] == 4.5)
    let bqm = compiled.instantiate(resolved)
    #expect(bqm.quadratic("x", "y") == 4.5)
    #expect(bqm.quadratic("x", "aux(x*y)") == -9)
    #expect(bqm.linear("aux(x*y)") == 13.5)
    for a in everyAssignment(3) {
      let e0 = energy(bqm, ["x": a[0], "y": a[1], "z": a[2], "aux(x*y)": a[0] * a[1]])
      let e1 = energy(bqm, ["x": a[0], "y": a[1], "z": a[2], "aux(x*y)": 1 - a[0] * a[1]])
      #expect(e0 < e1)
    }
    #expect(throws: EncodingError.self) { try m.compile(reductionFactor: 0.5) }
  }

  /// Spins enter as s = 2x − 1; cubic spin products reduce exactly too.
  @Test(arguments: 0..<10)
  func randomSpinPolynomials(seed: Int) throws {
    var rng = SplitMix64(seed: UInt64(100 + seed))
    var m = Model()
    let s = m.spins("s", count: 5)
    let poly = Self.randomPolynomial(s, terms: 8, maxDegree: 3, rng: &rng)
    m.minimize(poly)
    let compiled = try m.compile()
    checkMinOverAuxiliaries(compiled, poly, bqm: try compiled.instantiate(), userBits: 5)
  }

  /// A constraint with products squares to degree 4; its reduction strengths
  /// carry the penalty strength λ, and the model stays exact: the minimum
  /// over slack and auxiliary bits is the objective where the constraint
  /// holds and at least objective + λ where it does not.
  @Test(arguments: [0.5, 4.0])
  func nonlinearConstraint(lambda: Double) throws {
    var m = Model()
    let x = m.binaries("x", count: 4)
    let objective = x[0] - 2 * x[1] + x[2] * x[3]
    m.minimize(objective)
    m.constrain("products", x[0] * x[1] + 2 * (x[1] * x[2]) + x[3] <= 2)
    let compiled = try m.compile()
    #expect(!compiled.reductions.isEmpty)
    let bqm = try compiled.instantiate(penalties: ["products": lambda])
    let extra = compiled.numVariables - 4
    for a in everyAssignment(4) {
      var best = Double.infinity
      for y in everyAssignment(extra) { best = min(best, bqm.energy(a + y)) }
      let f = objective.evaluate(bits: a)
      let lhs = Double(a[0] * a[1] + 2 * a[1] * a[2] + a[3])
      if lhs <= 2 { #expect(abs(best - f) < 1e-9) } else { #expect(best >= f + lambda - 1e-9) }
    }
    let strengths = try compiled.resolve(penalties: ["products": lambda]).reductionStrengths
    let doubled = try compiled.resolve(penalties: ["products": 2 * lambda]).reductionStrengths
    for (name, m) in strengths { #expect(abs((doubled[name] ?? 0) - 2 * m) < 1e-9) }
  }

  /// Shared pairs reuse one auxiliary bit.
  @Test func sharedPairsReuseAuxiliary() throws {
    var m = Model()
    let x = m.binaries("x", count: 5)
    m.minimize(x[0] * x[1] * x[2] + x[0] * x[1] * x[3] + x[0] * x[1] * x[4])
    let compiled = try m.compile()
    #expect(compiled.reductions.count == 1)
    #expect(compiled.reductions[0].pair == ("x[0]", "x[1]"))
  }
}
