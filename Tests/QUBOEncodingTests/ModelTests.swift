import Annealing
import QUBOEncoding
import QUBOModel
import Testing

@testable import Examples

@Suite("Models: placeholders, errors, decoding, penalty loop")
struct ModelTests {
  /// Re-instantiating with new placeholder values equals compiling the
  /// model with those constants written in.
  @Test func placeholdersReinstantiate() throws {
    func build(_ m: inout Model, _ a: Expr, _ b: Expr) {
      let x = m.binaries("x", count: 3)
      m.minimize(a * x[0] * x[1] + b * x[2] - a * b * x[1] + 2 * a)
      m.constrain("pair", x[0] + x[2] <= 1)
    }
    var t = Model()
    let a = t.placeholder("a")
    let b = t.placeholder("b")
    build(&t, a, b)
    let compiled = try t.compile()
    #expect(compiled.placeholders == ["a", "b"])
    for (av, bv) in [(1.0, 2.0), (-3.0, 0.5), (0.0, 7.0)] {
      let got = try compiled.instantiate(values: ["a": av, "b": bv], penalties: ["pair": 4])
      var f = Model()
      build(&f, Expr(av), Expr(bv))
      let want = try f.compile().instantiate(penalties: ["pair": 4])
      #expect(got.variables == want.variables)
      for bits in everyAssignment(got.numVariables) {
        #expect(abs(got.energy(bits) - want.energy(bits)) < 1e-12)
      }
    }
    #expect(throws: EncodingError.missingValue(placeholder: "b")) {
      try compiled.instantiate(values: ["a": 1])
    }
    #expect(throws: EncodingError.unknownName("c")) {
      try compiled.instantiate(values: ["a": 1, "b": 1, "c": 1])
    }
  }

  /// The penalty strength scales exactly the constraint's part.
  @Test func penaltyStrengthScalesPenalty() throws {
    var m = Model()
    let x = m.binaries("x", count: 2)
    m.minimize(x[0] - 2 * x[1])
    m.constrain("one", x[0] + x[1] == 1)
    let c = try m.compile()
    let b1 = try c.instantiate(penalties: ["one": 1])
    let b3 = try c.instantiate(penalties: ["one": 3])
    for bits in everyAssignment(2) {
      let obj = Double(bits[0]) - 2 * Double(bits[1])
      let viol = Double(bits[0] + bits[1] - 1)
      #expect(b1.energy(bits) == obj + viol * viol)
      #expect(b3.energy(bits) == obj + 3 * viol * viol)
    }
    // Default: max_i Σ_{t∋i}|c_t| = 2.
    #expect(try c.defaultPenalty() == 2)
    #expect(try c.resolve().penalties == ["one": 2])
    #expect(throws: EncodingError.invalidValue(name: "one", value: -1)) {
      try c.instantiate(penalties: ["one": -1])
    }
  }

  /// The example in `Model`'s documentation, run.
  @Test func documentedExample() throws {
    var m = Model()
    let x = m.binaries("x", count: 3)
    let n = m.integer("n", in: 0...5, encoding: .binary)
    m.minimize(Expr.sum(x) - n)
    m.constrain("budget", x[0] + 2 * x[1] + n <= 4)
    let compiled = try m.compile()
    let bqm = try compiled.instantiate()
    let samples = try ExactSolver().sample(bqm, seed: 0)
    let best = try #require(try samples.lowestFeasible(compiled))
    // Minimum of x0 + x1 + x2 − n with x0 + 2·x1 + n ≤ 4: n = 4, x = 0.
    #expect(best.integer("n") == 4)
    #expect(best.array("x") == [0, 0, 0])
    #expect(best.objective == -4)
    #expect(best.broken.isEmpty)
  }

  @Test func labelsAreNames() throws {
    var m = Model()
    let g = m.binaries("color", rows: 2, columns: 2)
    let s = m.spin("s")
    _ = m.integer("n", in: 0...2, encoding: .oneHot)
    m.minimize(g[1][0] + s)
    let bqm = try m.compile().instantiate()
    let labels = bqm.variables.map(\.description)
    #expect(
      labels == [
        "color[0][0]", "color[0][1]", "color[1][0]", "color[1][1]", "s",
        "n[0]", "n[1]", "n[2]",
      ])
  }

  @Test func decodingNamedValues() throws {
    var m = Model()
    let x = m.binaries("x", count: 2)
    let s = m.spins("s", count: 2)
    let n = m.integer("n", in: -2...5, encoding: .binary)
    m.minimize(x[0] + s[0] * s[1] + n)
    m.constrain("small", n + x[1] <= 3)
    let c = try m.compile()
    let bqm = try c.instantiate()
    var assignment = [Int8](repeating: 0, count: c.numVariables)
    assignment[0] = 1  // x[0]
    assignment[3] = 1  // s[1] = +1, s[0] = −1
    let nv = try #require(c.integers.first?.encode(4))
    for (k, b) in nv.enumerated() { assignment[4 + k] = b }
    let samples = SampleSet(model: bqm, samples: assignment)
    let sol = try #require(try c.decode(samples).first)
    #expect(sol.bits == ["x[0]": 1, "x[1]": 0])
    #expect(sol.spins == ["s[0]": -1, "s[1]": 1])
    #expect(sol.integer("n") == 4)
    #expect(sol.array("x") == [1, 0])
    #expect(sol.array("s") == [-1, 1])
    #expect(sol.objective == 1 - 1 + 4)
    #expect(sol.value(of: n + 2 * x[0]) == 6)
    #expect(sol.energy == bqm.energy(assignment))
    #expect(!sol.isFeasible)
    #expect(sol.broken.map(\.name) == ["small"])
    #expect(sol.broken.first?.violation == 1)
    // The same rows in spin form decode identically.
    let spinForm = try c.decode(samples.changingVartype(to: .spin))
    #expect(spinForm.first?.integer("n") == 4)
    #expect(spinForm.first?.spins == sol.spins)
  }

  /// The lowest-energy sample breaks the constraint when the strength is
  /// too small; "lowest feasible" still finds the constrained optimum, and
  /// the automatic loop raises the strength until the lowest is feasible.
  @Test func lowestFeasibleAndPenaltyLoop() throws {
    let ex = Examples.knapsack(
      values: [10, 13, 7, 8, 4, 9], weights: [5, 6, 3, 4, 2, 5], capacity: 12)
    let c = try ex.model.compile()
    let weak = try c.instantiate(penalties: ["capacity": 0.05])
    let all = try ExactSolver().sample(weak, seed: 0)
    let lowest = try #require(try all.lowestEnergy(c))
    #expect(!lowest.isFeasible)
    #expect(lowest.broken.map(\.name) == ["capacity"])
    let feasible = try #require(try all.lowestFeasible(c))
    #expect(ex.score(feasible) == 25)

    let report = try c.solve(penalties: ["capacity": 0.05], growth: 3, maxRounds: 10) { bqm in
      try ExactSolver(keepLowest: 1).sample(bqm, seed: 0)
    }
    let solution = try #require(report.solution)
    #expect(ex.score(solution) == 25)
    #expect(report.rounds.count > 1)
    for (k, r) in report.rounds.enumerated() {
      #expect(abs((r.penalties["capacity"] ?? 0) - (0..<k).reduce(0.05) { a, _ in a * 3 }) < 1e-12)
      #expect((r.feasibleCount > 0) == (k == report.rounds.count - 1))
      if k < report.rounds.count - 1 { #expect(r.broken == ["capacity"]) }
    }
    let capped = try c.solve(penalties: ["capacity": 0.05], maxRounds: 1) { bqm in
      try ExactSolver(keepLowest: 1).sample(bqm, seed: 0)
    }
    #expect(capped.solution == nil)
    #expect(capped.rounds.count == 1)
    #expect(capped.lowestEnergy?.isFeasible == false)
  }

  /// A cubic objective compiles, and ExactSolver finds its optimum.
  @Test func cubicObjectiveSolves() throws {
    var m = Model()
    let x = m.binaries("x", count: 4)
    m.minimize(-5 * (x[0] * x[1] * x[2]) + 3 * (x[1] * x[2] * x[3]) + x[0] - x[3])
    m.constrain("not all", x.sum() <= 3)
    let c = try m.compile()
    let samples = try ExactSolver().sample(try c.instantiate(), seed: 0)
    let best = try #require(try samples.lowestFeasible(c))
    var want = Double.infinity
    for a in everyAssignment(4) where a.reduce(0, +) <= 3 {
      want = min(want, m.objective.evaluate(bits: a))
    }
    #expect(best.objective == want)
    #expect(try samples.lowestEnergy(c)?.objective == want)
  }
}

@Suite("Bad model input")
struct BadInputTests {
  @Test func emptyDomain() throws {
    var m = Model()
    _ = m.integer("n", lower: 3, upper: 2)
    #expect(throws: EncodingError.emptyDomain(variable: "n", lower: 3, upper: 2)) {
      try m.compile()
    }
    var wide = Model()
    _ = wide.integer("w", lower: Int.min, upper: Int.max)
    #expect(throws: EncodingError.self) { try wide.compile() }
    var many = Model()
    _ = many.integer("u", lower: 0, upper: 1 << 30, encoding: .unary)
    #expect(throws: EncodingError.self) { try many.compile() }
    var empty = Model()
    #expect(try empty.compile().instantiate().numVariables == 0)
    empty.minimize(3)
    #expect(try empty.compile().instantiate().offset == 3)
    let text = EncodingError.emptyDomain(variable: "n", lower: 3, upper: 2).description
    #expect(text.contains("'n'") && text.contains("empty domain"))
  }

  @Test func unsatisfiableConstraints() {
    func expectUnsat(_ name: String, _ build: (inout Model) -> Void) {
      var m = Model()
      build(&m)
      do {
        _ = try m.compile()
        Issue.record("\(name) compiled")
      } catch let e as EncodingError {
        guard case .unsatisfiable(let c, _) = e else {
          Issue.record("wrong error \(e)")
          return
        }
        #expect(c == name)
        #expect(e.description.contains("'\(name)'"))
      } catch {
        Issue.record("unexpected \(error)")
      }
    }
    expectUnsat("too many") { m in m.constrain("too many", m.binaries("x", count: 2).sum() >= 3) }
    expectUnsat("negative") { m in m.constrain("negative", m.binary("x") <= -1) }
    expectUnsat("odd") { m in
      let x = m.binary("x")
      let y = m.binary("y")
      m.constrain("odd", 2 * x + 4 * y == 3)
    }
    expectUnsat("range") { m in
      let n = m.integer("n", in: 3...5, encoding: .oneHot)
      m.constrain("range", n == 7)
    }
    expectUnsat("exactly five") { m in
      m.exactly(5, of: m.binaries("x", count: 3), name: "exactly five")
    }
    expectUnsat("neg count") { m in m.atMost(-1, of: m.binaries("x", count: 3), name: "neg count") }
  }

  @Test func nonFiniteCoefficients() {
    var m = Model()
    let x = m.binary("x")
    m.constrain("bad weight", Double.nan * x <= 1)
    #expect(throws: EncodingError.self) { try m.compile() }
    do {
      _ = try m.compile()
    } catch {
      #expect("\(error)".contains("constraint 'bad weight'"))
    }
    var o = Model()
    o.minimize(Double.infinity * o.binary("y"))
    #expect(throws: EncodingError.invalidCoefficient(in: "the objective", value: .infinity)) {
      try o.compile()
    }
  }

  @Test func otherMistakes() throws {
    var m = Model()
    let p = m.placeholder("cap")
    let x = m.binary("x")
    m.constrain("uses p", x <= p)
    #expect(throws: EncodingError.placeholderInConstraint(constraint: "uses p", placeholder: "cap"))
    {
      try m.compile()
    }
    var d = Model()
    _ = d.binary("x")
    _ = d.binary("x")
    #expect(throws: EncodingError.duplicateName("x")) { try d.compile() }
    var small = Model()
    _ = small.binary("a")
    var big = Model()
    let far = big.binaries("b", count: 3)[2]
    small.minimize(far)
    #expect(throws: EncodingError.foreignVariable(in: "the objective")) { try small.compile() }
    var ok = Model()
    ok.minimize(ok.binary("x"))
    let c = try ok.compile()
    #expect(throws: EncodingError.self) { try c.decode(assignment: [1, 0]) }
    let foreign = SampleSet(
      variables: Variables([Label.string("y")]), vartype: .binary, samples: [1], energies: [0])
    #expect(throws: EncodingError.missingVariable("x")) { try c.decode(foreign) }
  }
}
