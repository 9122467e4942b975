import Testing

@testable import QUBOModel

@Suite("SampleSet")
struct SampleSetTests {
  func model() -> BinaryQuadraticModel {
    var m = BinaryQuadraticModel(vartype: .binary, count: 2)
    m.addLinear(0, -1)
    m.addQuadratic(0, 1, 2)
    return m
  }

  @Test func aggregationSumsOccurrences() {
    let s = SampleSet(model: model(), samples: [1, 0, 0, 0, 1, 0, 1, 1])
    #expect(s.energies == [-1, 0, -1, 1])
    let a = s.aggregated()
    #expect(a.count == 3)
    #expect(a.occurrences == [2, 1, 1])
    #expect(Array(a.sample(0)) == [1, 0])
  }

  @Test func lowestTruncateFilter() {
    let s = SampleSet(model: model(), samples: [1, 1, 1, 0, 0, 0, 1, 0])
    #expect(s.lowestEnergy == -1)
    #expect(s.lowest().count == 2)
    #expect(s.truncated(1).energies == [-1])
    #expect(Array(s.truncated(1).sample(0)) == [1, 0])
    #expect(s.filter { s.energies[$0] > 0 }.count == 1)
    #expect(s.sortedByEnergy().energies == [-1, -1, 0, 1])
    #expect(s.first?.energy == -1)
  }

  @Test func vartypeChangeKeepsEnergies() {
    let s = SampleSet(model: model(), samples: [1, 0])
    let t = s.changingVartype(to: .spin)
    #expect(Array(t.sample(0)) == [1, -1])
    #expect(t.energies == s.energies)
    var m = model().changingVartype(to: .spin)
    var u = t
    u.recomputeEnergies(m)
    #expect(u.energies == s.energies)
    m.offset += 1
    u.recomputeEnergies(m)
    #expect(u.energies == [0])
  }
}

@Suite("JSON")
struct JSONTests {
  @Test func parsesAndKeepsIntegers() throws {
    let v = try JSONValue(parsing: #"{"a": [1, 2.5, "x", true, null, -3e2], "b": {}}"#)
    guard case .object(let o) = v, case .array(let a)? = o["a"] else {
      Issue.record("not an object")
      return
    }
    #expect(a == [.int(1), .double(2.5), .string("x"), .bool(true), .null, .double(-300)])
    #expect(v.serialized() == #"{"a":[1,2.5,"x",true,null,-300.0],"b":{}}"#)
  }

  @Test(arguments: [
    ("{\n\"a\": NaN}", 2), ("[1,\n2,\n", 3), ("", 1), ("[1 2]", 1), ("{\"a\" 1}", 1),
    ("\"abc", 1), ("[Infinity]", 1), ("[-Infinity]", 1), ("[1]x", 1),
  ])
  func errorsNameTheLine(_ text: String, _ line: Int) {
    #expect {
      _ = try JSONValue(parsing: text)
    } throws: { ($0 as? JSONParseError)?.line == line }
  }

  @Test func deepNestingIsRefusedNotACrash() {
    let text = String(repeating: "[", count: 100_000)
    #expect(throws: JSONParseError.self) { _ = try JSONValue(parsing: text) }
  }
}
