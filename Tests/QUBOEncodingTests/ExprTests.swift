import QUBOEncoding
import QUBOModel
import Testing

/// Every 0/1 assignment of `n` bits, as arrays.
func everyAssignment(_ n: Int) -> [[Int8]] {
  (0..<(1 << n)).map { m in (0..<n).map { Int8((m >> $0) & 1) } }
}

/// The energy of `bqm` at the bits given by label.
func energy(_ bqm: BinaryQuadraticModel, _ bits: [String: Int8]) -> Double {
  bqm.energy(bqm.variables.map { label -> Int8 in bits[label.description] ?? 0 })
}

@Suite("Expressions")
struct ExprTests {
  @Test func binaryAlgebra() {
    var m = Model()
    let x = m.binary("x")
    let y = m.binary("y")
    let e = (x + y).squared()
    // (x + y)² = x + y + 2xy since x² = x.
    #expect(e.termCount == 3)
    #expect(e.degree == 2)
    for a in everyAssignment(2) {
      let v = Double(a[0] + a[1])
      #expect(e.evaluate(bits: a) == v * v)
    }
    #expect((x * x).termCount == 1)
    #expect(pow(x + 1, 3).evaluate(bits: [1, 0]) == 8)
    #expect((x - x).termCount == 0)
  }

  @Test func spinsAreTwoXMinusOne() {
    var m = Model()
    let s = m.spin("s")
    let t = m.spin("t")
    #expect((s * s).constantValueForTest == 1)
    for a in everyAssignment(2) {
      let sv = Double(2 * a[0] - 1)
      let tv = Double(2 * a[1] - 1)
      #expect((s * t + 3 * s).evaluate(bits: a) == sv * tv + 3 * sv)
    }
  }

  /// Numbers of either type mix with expressions on both sides.
  @Test func mixedOperands() {
    var m = Model()
    let x = m.binary("x")
    let k = 3
    let r = 0.5
    let e = k * x + x * k - k + r * x + x * r - r + 1 - x
    #expect(e.evaluate(bits: [1]) == 3 + 3 - 3 + 0.5 + 0.5 - 0.5 + 1 - 1)
    #expect((x <= k).relation == .lessEqual)
    #expect((x >= r).relation == .greaterEqual)
    #expect((x == 1).relation == .equal)
    #expect((x + 1 <= 2 * x).expression.evaluate(bits: [0]) == 1)
  }

  @Test func sumsOverCollections() {
    var m = Model()
    let x = m.binaries("x", count: 5)
    let w = [3, 1, 4, 1, 5]
    let e = Expr.sum(x.indices) { w[$0] * x[$0] }
    #expect(e.termCount == 5)
    #expect(x.sum().evaluate(bits: [1, 1, 0, 1, 0]) == 3)
    #expect(e.evaluate(bits: [1, 0, 1, 0, 1]) == 12)
  }

  /// 100,000 quadratic terms compile to exactly 100,000 interactions, and
  /// the polynomial stores one entry per term (memory ∝ terms).
  @Test func hundredThousandTerms() throws {
    var m = Model()
    let n = 448  // 448·447/2 = 100,128 pairs; keep the first 100,000
    let x = m.binaries("x", count: n)
    var e = Expr()
    var count = 0
    outer: for i in 0..<n {
      for j in (i + 1)..<n {
        if count == 100_000 { break outer }
        e += Double((i * 31 + j * 17) % 11 + 1) * (x[i] * x[j])
        count += 1
      }
    }
    #expect(e.termCount == 100_000)
    m.minimize(e)
    let compiled = try m.compile()
    #expect(compiled.polynomial.termCount == 100_000)
    let bqm = try compiled.instantiate()
    #expect(bqm.numInteractions == 100_000)
    #expect(bqm.numVariables == n)
  }
}

extension Expr {
  var constantValueForTest: Double? {
    terms.count == 1 && terms.keys.first?.degree == 0 ? constant : nil
  }
}
