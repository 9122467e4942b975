import Testing

@testable import QUBOModel

/// What `BinaryQuadraticModel` guarantees about floating-point order.
///
/// Models that are `==` (same variables in the same index order, same biases) give
/// bit-identical energies, vartype changes and frozen problems, however their
/// interactions were inserted. Dictionaries with the same keys iterate in
/// different orders when built in different orders or capacities (and in
/// different processes), so any sum fed by dictionary order fails here.
@Suite("Insertion order does not change any bit")
struct InsertionOrderTests {
  static let n = 80

  /// Distinct pairs with non-dyadic biases (0.1, 1/3, 2/7, …), so that the
  /// order of every sum shows in the last bits.
  static func terms() -> [(Int, Int, Double)] {
    let values = [0.1, 0.7, 1.0 / 3, -0.3, 2.0 / 7, -1.0 / 9, 0.45, -0.6]
    var rng = Generator(seed: 3)
    var seen = Set<QuadraticKey>()
    var out: [(Int, Int, Double)] = []
    while out.count < 400 {
      let i = rng.below(n)
      let j = rng.below(n)
      guard i != j, seen.insert(QuadraticKey(i, j)).inserted else { continue }
      out.append((i, j, values[rng.below(values.count)] * Double(1 + rng.below(5))))
    }
    return out
  }

  static func build(_ vartype: Vartype, _ terms: [(Int, Int, Double)]) -> BinaryQuadraticModel {
    var m = BinaryQuadraticModel(vartype: vartype, count: n)
    for i in 0..<n { m.addLinear(index: i, Double(i % 7) / 3 - 0.9) }
    for (i, j, b) in terms { m.addQuadratic(index: i, j, b) }
    m.offset = 0.1
    return m
  }

  struct Generator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func below(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
  }

  @Test(arguments: [Vartype.binary, .spin])
  func energiesConversionsAndFreezingAreBitIdentical(_ vartype: Vartype) {
    let terms = Self.terms()
    var shuffled = terms
    var rng = Generator(seed: 9)
    for k in stride(from: shuffled.count - 1, to: 0, by: -1) {
      shuffled.swapAt(k, rng.below(k + 1))
    }
    let a = Self.build(vartype, terms)
    var variants = [Self.build(vartype, terms.reversed()), Self.build(vartype, shuffled)]
    // A much larger table: the same keys in other buckets.
    var roomy = BinaryQuadraticModel(vartype: vartype, count: Self.n)
    roomy.quadratic.reserveCapacity(1 << 14)
    roomy.merge(a)
    variants.append(roomy)
    var rows: [Int8] = []
    for _ in 0..<16 {
      for _ in 0..<Self.n {
        let bit = Int8(rng.below(2))
        rows.append(vartype == .binary ? bit : 2 * bit - 1)
      }
    }
    let reference = a.energies(ofRows: rows)
    let otherVartype: Vartype = vartype == .binary ? .spin : .binary
    let converted = a.changingVartype(to: otherVartype)
    let frozen = IsingProblem(a)
    for (v, b) in variants.enumerated() {
      #expect(b == a, "variant \(v) is not the same model")
      #expect(b.energies(ofRows: rows).map(\.bitPattern) == reference.map(\.bitPattern))
      for r in 0..<16 {
        let row = rows[(r * Self.n)..<((r + 1) * Self.n)]
        #expect(b.energy(row).bitPattern == reference[r].bitPattern, "variant \(v) row \(r)")
      }
      let c = b.changingVartype(to: otherVartype)
      #expect(c.linear.map(\.bitPattern) == converted.linear.map(\.bitPattern), "variant \(v)")
      #expect(c.offset.bitPattern == converted.offset.bitPattern, "variant \(v)")
      let p = IsingProblem(b)
      #expect(p.h.map(\.bitPattern) == frozen.h.map(\.bitPattern), "variant \(v)")
      #expect(p.coupling.map(\.bitPattern) == frozen.coupling.map(\.bitPattern))
      #expect(p.neighbor == frozen.neighbor && p.offset.bitPattern == frozen.offset.bitPattern)
    }
    // `energy` and `energies(ofRows:)` make the same sums.
    for r in 0..<16 {
      let row = rows[(r * Self.n)..<((r + 1) * Self.n)]
      #expect(a.energy(row).bitPattern == reference[r].bitPattern)
    }
  }

  /// The counting passes give exactly the comparison sort's order, also
  /// with isolated variables, zero biases and an empty model; the frozen
  /// problem drops the zeros; `energies(ofRows:)` makes the plain sum in
  /// that order.
  @Test func interactionsComeInSortedOrderWithoutASort() {
    var m = BinaryQuadraticModel(vartype: .binary, count: 30)
    for i in 0..<30 { m.addLinear(index: i, Double(i % 5) / 3 - 0.4) }
    m.offset = 0.3
    var rng = Generator(seed: 5)
    var zeros = 0
    for _ in 0..<120 {
      // Variables 10..<14 and 29 stay isolated.
      let i = rng.below(10)
      let j = 14 + rng.below(15)
      let b = rng.below(6) == 0 ? 0 : Double(rng.below(9)) / 7 - 0.5
      if b == 0 && m.quadratic[QuadraticKey(i, j)] == nil { zeros += 1 }
      if m.quadratic[QuadraticKey(i, j)] == nil { m.addQuadratic(index: i, j, b) }
    }
    #expect(zeros > 0)
    let reference = m.quadratic.keys.sorted().map { ($0.i, $0.j, m.quadratic[$0]!) }
    let got = m.sortedInteractions
    #expect(got.count == reference.count)
    #expect(zip(got, reference).allSatisfy { $0.i == $1.0 && $0.j == $1.1 && $0.bias == $1.2 })
    let nonzero = m.interactionsInOrder(skippingZero: true)
    #expect(nonzero.map { [$0.i, $0.j] } == reference.filter { $0.2 != 0 }.map { [$0.0, $0.1] })
    let problem = IsingProblem(m)
    #expect(problem.numInteractions == nonzero.count)
    for i in 0..<30 {
      let row = problem.neighbor[Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1])]
      #expect(row.elementsEqual(row.sorted()), "row \(i) not ascending")
    }
    #expect(BinaryQuadraticModel(vartype: .spin, count: 3).sortedInteractions.isEmpty)
    var rows: [Int8] = []
    for _ in 0..<5 { for _ in 0..<30 { rows.append(Int8(rng.below(2))) } }
    let energies = m.energies(ofRows: rows)
    for r in 0..<5 {
      var e = m.offset
      for i in 0..<30 { e += m.linear[i] * Double(rows[r * 30 + i]) }
      for (i, j, b) in reference { e += b * Double(rows[r * 30 + i]) * Double(rows[r * 30 + j]) }
      #expect(energies[r].bitPattern == e.bitPattern, "row \(r)")
    }
  }
}
