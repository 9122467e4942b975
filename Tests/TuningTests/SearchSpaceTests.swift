import QUBOEncoding
import QUBOModel
import Testing

@testable import Tuning

let everyKind: [(String, Distribution)] = [
  ("act", .categorical(["relu", "tanh", "gelu"])),
  ("width", .integer(low: 8, high: 128, step: 8)),
  ("lr", .float(low: 1e-4, high: 0.1, steps: 7, log: true)),
  ("drop", .float(low: 0, high: 0.5, steps: 6, log: false)),
  ("bias", .bool),
  ("fixed", .integer(low: 3, high: 3, step: 1)),
]

@Suite struct SearchSpaceTests {
  @Test func everyValueRoundTripsThroughItsIndex() throws {
    for (name, d) in everyKind {
      try d.validate(key: name)
      for k in 0..<d.count {
        let v = d.value(at: k)
        #expect(d.index(of: v) == k, "\(name) index \(k) value \(v)")
        let back = try Distribution(json: d.json, key: name)
        #expect(back == d)
        #expect(ParameterValue(json: v.json) == v)
      }
    }
  }

  @Test func gridEndsAreExactAndLogGridIsGeometric() {
    let d = Distribution.float(low: 1e-4, high: 0.1, steps: 4, log: true)
    #expect(d.value(at: 0) == .double(1e-4))
    #expect(d.value(at: 3) == .double(0.1))
    let a = d.value(at: 1).doubleValue!, b = d.value(at: 2).doubleValue!
    #expect(abs(b / a - 10) < 1e-9)
    #expect(Distribution.integer(low: 8, high: 128, step: 8).count == 16)
  }

  @Test(arguments: [IntegerEncoding.oneHot, .binary, .domainWall])
  func everyConfigurationRoundTripsThroughBits(encoding: IntegerEncoding) throws {
    let space = try SearchSpace(everyKind)
    let enc = try BitEncoding(space: space, encoding: encoding)
    #expect(space.size == 3 * 16 * 7 * 6 * 2 * 1)
    for rank in stride(from: 0, to: Int(space.size), by: 7) {
      let c = space.configuration(rank: rank)
      let bits = enc.bits(of: c)
      #expect(bits.count == enc.bitCount)
      #expect(enc.configuration(of: bits) == c)
      #expect(space.indices(of: space.parameters(of: c)) == c)
    }
  }

  /// Rewriting one parameter's bits (the trust region's projection)
  /// gives the bits of the changed configuration, visited in bit order.
  @Test(arguments: [IntegerEncoding.oneHot, .binary, .domainWall])
  func oneParametersBitsPatchTheEncoding(encoding: IntegerEncoding) throws {
    let space = try SearchSpace(everyKind)
    let enc = try BitEncoding(space: space, encoding: encoding)
    for rank in stride(from: 0, to: Int(space.size), by: 11) {
      let c = space.configuration(rank: rank)
      for k in c.indices {
        for v in 0..<space.radices[k] {
          var patched = enc.bits(of: c)
          var last = -1
          enc.forEachBit(ofParameter: k, value: v) { bit, target in
            #expect(bit > last)
            last = bit
            patched[bit] = target
          }
          var y = c
          y[k] = v
          #expect(patched == enc.bits(of: y))
        }
      }
    }
  }

  @Test func invalidPatternsDecodeToNothing() throws {
    let space = try SearchSpace([("a", .categorical(["x", "y", "z"]))])
    let oneHot = try BitEncoding(space: space, encoding: .oneHot)
    #expect(oneHot.configuration(of: [1, 1, 0] as [Int8]) == nil)
    #expect(oneHot.configuration(of: [0, 0, 0] as [Int8]) == nil)
    let wall = try BitEncoding(space: space, encoding: .domainWall)
    #expect(wall.configuration(of: [0, 1] as [Int8]) == nil)
    // Binary with 4 values per 2 bits, but only 3 categories: index 3 is out.
    let binary = try BitEncoding(
      space: try SearchSpace([("a", .categorical(["w", "x", "y", "z", "v"]))]),
      encoding: .binary)
    #expect(binary.bitCount == 3)
  }

  @Test func penaltyIsZeroExactlyOnValidPatterns() throws {
    let space = try SearchSpace([("a", .categorical(["x", "y", "z"])), ("b", .bool)])
    for encoding in [IntegerEncoding.oneHot, .domainWall] {
      let enc = try BitEncoding(space: space, encoding: encoding)
      let bqm = try enc.penaltyModel(strength: 3)
      for pattern in 0..<(1 << enc.bitCount) {
        let bits = (0..<enc.bitCount).map { Int8((pattern >> $0) & 1) }
        let e = bqm.energy(bits)
        if enc.configuration(of: bits) != nil {
          #expect(abs(e) < 1e-12)
        } else {
          #expect(e >= 3 - 1e-12, "\(encoding) \(bits) energy \(e)")
        }
      }
    }
  }

  @Test func malformedDistributionsNameTheKey() {
    let cases: [(JSONValue, String)] = [
      (.object(["type": .string("gaussian")]), "lr.type"),
      (.object(["type": .string("int"), "low": .int(5), "high": .int(1)]), "lr.low"),
      (
        .object(["type": .string("int"), "low": .int(0), "high": .int(10), "step": .int(3)]),
        "lr.step"
      ),
      (
        .object(["type": .string("float"), "low": .int(0), "high": .int(1), "log": .bool(true)]),
        "lr.low"
      ),
      (
        .object(["type": .string("float"), "low": .int(0), "high": .int(1), "stepz": .int(3)]),
        "lr.stepz"
      ),
      (.object(["type": .string("categorical"), "values": .array([])]), "lr.values"),
    ]
    for (json, key) in cases {
      #expect {
        _ = try Distribution(json: json, key: "lr")
      } throws: { error in
        guard case .invalidParameter(let k, _) = error as? TuningError else { return false }
        return k == key
      }
    }
  }
}
