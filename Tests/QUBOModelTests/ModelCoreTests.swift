import Testing

@testable import QUBOModel

@Suite("Variables, models, vartype changes")
struct ModelCoreTests {
  @Test func rangeLabelsCostNothingUntilBroken() {
    var v = Variables(range: 3)
    #expect(v.isRange)
    #expect(v.index(of: 2) == 2)
    #expect(v.append(3) == 3)
    #expect(v.isRange)
    #expect(v.append("a") == 4)
    #expect(!v.isRange)
    #expect(v.index(of: "a") == 4)
    #expect(v.index(of: 1) == 1)
    #expect(v.label(at: 4) == "a")
    #expect(v.append(1) == 1)
    #expect(v.count == 5)
  }

  @Test func selfInteractionsFoldExactly() {
    var b = BinaryQuadraticModel(vartype: .binary)
    b.addQuadratic("x", "x", 2)
    #expect(b.linear("x") == 2)
    var s = BinaryQuadraticModel(vartype: .spin)
    s.addQuadratic("x", "x", 2)
    #expect(s.offset == 2)
    #expect(s.numInteractions == 0)
  }

  /// Every state of a random model has the same energy in both vartypes.
  @Test(arguments: [Vartype.binary, .spin])
  func changingVartypePreservesEveryEnergy(_ vartype: Vartype) {
    var rng = LCG(seed: 7)
    var m = BinaryQuadraticModel(vartype: vartype)
    for i in 0..<6 { m.addLinear(.int(i), rng.uniform() * 4 - 2) }
    for i in 0..<6 {
      for j in (i + 1)..<6 where rng.uniform() < 0.6 {
        m.addQuadratic(.int(i), .int(j), rng.uniform() * 4 - 2)
      }
    }
    m.offset = 1.25
    let other = m.changingVartype(to: vartype == .binary ? .spin : .binary)
    let back = other.changingVartype(to: vartype)
    for state in 0..<64 {
      let x = (0..<6).map { Int8((state >> $0) & 1) }
      let mine = x.map { Vartype.binary.convert($0, to: vartype) }
      let theirs = x.map { Vartype.binary.convert($0, to: other.vartype) }
      #expect(abs(m.energy(mine) - other.energy(theirs)) < 1e-12)
      #expect(abs(m.energy(mine) - back.energy(mine)) < 1e-12)
    }
  }

  @Test func isingProblemMatchesTheModel() {
    var rng = LCG(seed: 3)
    var m = BinaryQuadraticModel(vartype: .binary)
    for i in 0..<7 { m.addLinear(.string("v\(i)"), rng.uniform() - 0.5) }
    for i in 0..<7 {
      for j in (i + 1)..<7 where rng.uniform() < 0.5 {
        m.addQuadratic(.string("v\(i)"), .string("v\(j)"), rng.uniform() - 0.5)
      }
    }
    let p = IsingProblem(m)
    #expect(p.numInteractions == m.quadratic.values.filter { $0 != 0 }.count)
    for i in 0..<7 {
      let row = p.neighbor[Int(p.rowStart[i])..<Int(p.rowStart[i + 1])]
      #expect(row.sorted() == Array(row))
    }
    for state in 0..<128 {
      let s = (0..<7).map { Int8(((state >> $0) & 1) * 2 - 1) }
      let x = s.map { Vartype.spin.convert($0, to: .binary) }
      #expect(abs(p.energy(s) - m.energy(x)) < 1e-12)
    }
  }

  @Test func energiesOfManyRowsMatchOneAtATime() {
    var m = BinaryQuadraticModel(vartype: .spin, count: 3)
    m.addLinear(0, 1)
    m.addQuadratic(0, 1, -2)
    m.addQuadratic(1, 2, 0.5)
    m.offset = 3
    let rows: [Int8] = [1, 1, 1, -1, 1, -1, 1, -1, -1]
    let e = m.energies(ofRows: rows)
    #expect(e == [m.energy([1, 1, 1]), m.energy([-1, 1, -1]), m.energy([1, -1, -1])])
    #expect(e[0] == 3 + 1 - 2 + 0.5)
  }

  @Test func mergeMatchesLabelsAndConverts() {
    var a = BinaryQuadraticModel(vartype: .spin)
    a.addLinear("a", 1)
    var b = BinaryQuadraticModel(vartype: .binary)
    b.addQuadratic("a", "b", 4)
    a.merge(b)
    #expect(a.quadratic("a", "b") == 1)
    #expect(a.linear("a") == 2)
    #expect(a.linear("b") == 1)
    #expect(a.offset == 1)
  }
}

/// A tiny deterministic generator for these tests.
struct LCG {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func uniform() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) * 0x1.0p-53
  }
}
