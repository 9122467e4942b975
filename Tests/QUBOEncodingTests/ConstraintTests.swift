import Annealing
import QUBOEncoding
import QUBOModel
import Testing

@Suite("Constraints")
struct ConstraintTests {
  /// For every assignment of the user's bits: min over slack of the penalty
  /// is 0 exactly when the constraint holds, and at least λ·unit² otherwise
  /// (`unit`: the smallest violation); the
  /// decoded report gives the violation.
  func checkPenalty(
    _ m: Model, userBits n: Int, lambda: Double = 1.5, unit: Double = 1,
    holds: ([Int8]) -> Bool, violation: ([Int8]) -> Double
  ) throws {
    let compiled = try m.compile()
    let name = compiled.penaltyNames[0]
    let bqm = try compiled.instantiate(penalties: [name: lambda])
    let slack = compiled.numVariables - n
    for a in everyAssignment(n) {
      var best = Double.infinity
      for s in everyAssignment(slack) { best = min(best, bqm.energy(a + s)) }
      if holds(a) {
        #expect(best == 0, "at \(a)")
      } else {
        #expect(best >= lambda * unit * unit, "at \(a)")
      }
      let report = try compiled.decode(assignment: a + [Int8](repeating: 0, count: slack))
      #expect(report.constraints[0].isSatisfied == holds(a))
      #expect(report.constraints[0].violation == violation(a))
    }
  }

  @Test func lessEqualWithSlack() throws {
    var m = Model()
    let x = m.binaries("x", count: 3)
    m.constrain("weight", 3 * x[0] + 5 * x[1] + 2 * x[2] <= 6)
    let compiled = try m.compile()
    #expect(compiled.constraints[0].slackBits == 3)  // slack 0...6
    #expect(compiled.labels.contains("weight.slack[0]"))
    let w = 3.0
    let v = 5.0
    let u = 2.0
    func total(_ a: [Int8]) -> Double { w * Double(a[0]) + v * Double(a[1]) + u * Double(a[2]) }
    try checkPenalty(
      m, userBits: 3, holds: { total($0) <= 6 }, violation: { max(0, total($0) - 6) })
  }

  @Test func greaterEqualWithSlack() throws {
    var m = Model()
    let x = m.binaries("x", count: 4)
    m.constrain("enough", x.sum() >= 3)
    func count(_ a: [Int8]) -> Double { Double(a.reduce(0, +)) }
    try checkPenalty(
      m, userBits: 4, holds: { count($0) >= 3 }, violation: { max(0, 3 - count($0)) })
  }

  @Test func equalityWithInteger() throws {
    var m = Model()
    let n = m.integer("n", in: 0...6, encoding: .binary)
    let x = m.binary("x")
    m.constrain("five", n + 2 * x == 5)
    let bits = m.numVariables
    func value(_ a: [Int8]) -> Double { n.evaluate(bits: a) + 2 * Double(a[bits - 1]) }
    try checkPenalty(
      m, userBits: bits, holds: { value($0) == 5 }, violation: { abs(value($0) - 5) })
  }

  @Test func atMostAndExactlyK() throws {
    for k in 1...3 {
      var m = Model()
      m.atMost(k, of: m.binaries("x", count: 4), name: "few")
      func count(_ a: [Int8]) -> Double { Double(a.reduce(0, +)) }
      try checkPenalty(
        m, userBits: 4, holds: { count($0) <= Double(k) },
        violation: { max(0, count($0) - Double(k)) })
      if k == 1 { #expect(try m.compile().constraints[0].slackBits == 0) }
      var e = Model()
      e.exactly(k, of: e.binaries("x", count: 4), name: "exact")
      try checkPenalty(
        e, userBits: 4, holds: { count($0) == Double(k) },
        violation: { abs(count($0) - Double(k)) })
    }
  }

  @Test func oneHotAndAtLeast() throws {
    var m = Model()
    m.oneHot("pick one", m.binaries("x", count: 3))
    func count(_ a: [Int8]) -> Double { Double(a.reduce(0, +)) }
    try checkPenalty(m, userBits: 3, holds: { count($0) == 1 }, violation: { abs(count($0) - 1) })
    var l = Model()
    l.atLeast(2, of: l.binaries("x", count: 3), name: "two")
    try checkPenalty(
      l, userBits: 3, holds: { count($0) >= 2 }, violation: { max(0, 2 - count($0)) })
  }

  /// Coefficients with a common resolution get slack in that step, so the
  /// penalty is exactly zero at feasible points (decimals included).
  @Test func slackResolution() throws {
    var m = Model()
    let x = m.binaries("x", count: 3)
    m.constrain("fives", 10 * x[0] + 15 * x[1] + 5 * x[2] <= 23)  // tightened to ≤ 20
    let c = try m.compile()
    #expect(c.constraints[0].slackBits == 3)  // s ∈ {0, 5, …, 20}: 5 steps, 3 bits
    func fives(_ a: [Int8]) -> Double { 10 * Double(a[0]) + 15 * Double(a[1]) + 5 * Double(a[2]) }
    try checkPenalty(
      m, userBits: 3, holds: { fives($0) <= 23 }, violation: { max(0, fives($0) - 23) })
    var d = Model()
    let y = d.binaries("y", count: 3)
    d.constrain("halves", 0.5 * y[0] + 1.5 * y[1] + 0.25 * y[2] >= 0.75)
    func halves(_ a: [Int8]) -> Double {
      0.5 * Double(a[0]) + 1.5 * Double(a[1]) + 0.25 * Double(a[2])
    }
    try checkPenalty(
      d, userBits: 3, lambda: 16, unit: 0.25, holds: { halves($0) >= 0.75 },
      violation: { max(0, 0.75 - halves($0)) })
    let report = try d.compile().decode(assignment: [0, 0, 1, 0, 0, 0])
    #expect(report.constraints[0].kind == .greaterEqual)
    #expect(report.constraints[0].value == 0.25 - 0.75)
  }

  /// A constraint every assignment satisfies adds no penalty.
  @Test func alwaysSatisfied() throws {
    var m = Model()
    let x = m.binaries("x", count: 2)
    m.constrain("loose", x[0] + x[1] <= 5)
    let compiled = try m.compile()
    #expect(compiled.constraints[0].alwaysSatisfied)
    #expect(compiled.numVariables == 2)
    #expect(try compiled.instantiate().numInteractions == 0)
  }

  /// Integer bounds size the slack: one-hot 3...5 in `n ≤ 4` needs slack 0...1.
  @Test func slackSizedFromIntegerBounds() throws {
    var m = Model()
    let n = m.integer("n", in: 3...5, encoding: .oneHot)
    m.constrain("cap", n <= 4)
    let compiled = try m.compile()
    #expect(compiled.constraints[1].slackBits == 1)
    #expect(compiled.constraints[1].bounds.lower == -1)
    #expect(compiled.constraints[1].bounds.upper == 1)
  }
}
