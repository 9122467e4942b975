import QUBOEncoding
import QUBOModel
import Testing

@Suite("Integer encodings")
struct IntegerEncodingTests {
  static let domains: [(Int, Int)] = [(0, 0), (0, 1), (-3, 4), (2, 9), (-5, 5), (0, 15), (0, 16)]

  /// Every value in range encodes to bits that decode back to it and that
  /// the variable's expression evaluates to.
  @Test(arguments: IntegerEncoding.allCases)
  func roundTrip(_ encoding: IntegerEncoding) throws {
    for (lo, hi) in Self.domains {
      var m = Model()
      let n = m.integer("n", lower: lo, upper: hi, encoding: encoding)
      let v = try #require(m.integerVariable("n"))
      #expect(m.numVariables == encoding.bitCount(width: hi - lo))
      for value in lo...hi {
        let bits = try #require(v.encode(value))
        #expect(v.decode(bits) == .value(value))
        #expect(n.evaluate(bits: bits) == Double(value))
      }
      #expect(v.encode(lo - 1) == nil)
      #expect(v.encode(hi + 1) == nil)
    }
  }

  /// Every bit pattern either decodes to the expression's value or is
  /// reported invalid, and exactly the expected patterns are invalid.
  @Test(arguments: IntegerEncoding.allCases)
  func everyPattern(_ encoding: IntegerEncoding) throws {
    for (lo, hi) in Self.domains where encoding.bitCount(width: hi - lo) <= 12 {
      var m = Model()
      let n = m.integer("n", lower: lo, upper: hi, encoding: encoding)
      let v = try #require(m.integerVariable("n"))
      let k = encoding.bitCount(width: hi - lo)
      var invalid = 0
      for bits in everyAssignment(k) {
        switch v.decode(bits) {
        case .value(let x):
          #expect(x >= lo && x <= hi)
          #expect(n.evaluate(bits: bits) == Double(x))
        case .invalid:
          invalid += 1
        }
      }
      let expected: Int
      switch encoding {
      case .oneHot: expected = (1 << k) - k
      case .domainWall: expected = (1 << k) - (k + 1)
      case .binary, .unary: expected = 0
      }
      #expect(invalid == expected, "\(encoding) \(lo)...\(hi)")
    }
  }

  @Test func twoHotBitsAreReported() throws {
    var m = Model()
    let n = m.integer("n", in: 1...4, encoding: .oneHot)
    m.minimize(n)
    let compiled = try m.compile()
    let s = try compiled.decode(assignment: [1, 0, 1, 0])
    #expect(s.integer("n") == nil)
    guard case .invalid(let why)? = s.integers["n"] else {
      Issue.record("expected an invalid decoding")
      return
    }
    #expect(why.contains("2 bits hot"))
    #expect(!s.isFeasible)
    #expect(s.broken.map(\.name) == ["n.one-hot"])
    #expect(s.broken.first?.violation == 1)
  }

  @Test func domainWallGapIsReported() throws {
    var m = Model()
    m.minimize(m.integer("d", in: 0...3, encoding: .domainWall))
    let compiled = try m.compile()
    let s = try compiled.decode(assignment: [1, 0, 1])
    #expect(s.integer("d") == nil)
    #expect(s.broken.map(\.name) == ["d.domain-wall"])
    #expect(try compiled.decode(assignment: [1, 1, 0]).integer("d") == 2)
  }

  /// The encoding penalties make every valid pattern a zero-penalty state
  /// and every invalid one cost at least the strength.
  @Test(arguments: [IntegerEncoding.oneHot, .domainWall])
  func encodingPenalty(_ encoding: IntegerEncoding) throws {
    var m = Model()
    _ = m.integer("n", in: 2...6, encoding: encoding)
    let compiled = try m.compile()
    let bqm = try compiled.instantiate(penalties: [compiled.penaltyNames[0]: 3])
    let v = try #require(compiled.integers.first)
    for bits in everyAssignment(compiled.numVariables) {
      let e = bqm.energy(bits)
      if v.decode(bits).value != nil { #expect(e == 0) } else { #expect(e >= 3) }
    }
  }
}
