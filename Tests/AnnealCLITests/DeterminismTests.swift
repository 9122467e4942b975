import Foundation
import Testing

/// The same seed reproduces across processes.
///
/// Two separate runs of `anneal solve model --seed 5 --json` must print the
/// same samples and bit-identical energies, on real-valued models whose
/// biases are not dyadic (0.1, 1/3, 2/7, …), where the order of every
/// floating-point sum shows in the last bits. Dictionary iteration order is randomised per process, so
/// these runs catch any sum or order fed by a dictionary, which a second run
/// inside one process would not.
@Suite("Cross-process determinism")
struct DeterminismTests {
  /// A COO model of `n` variables, about five interactions each, biases
  /// drawn from non-dyadic values by a fixed LCG.
  static func model(n: Int, vartype: String) -> String {
    let values = [0.1, 0.7, 1.0 / 3, -0.3, 2.0 / 7, -1.0 / 9, 0.45, -0.6]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    var text = "# vartype=\(vartype)\n"
    for i in 0..<n { text += "\(i) \(i) \(values[next(values.count)])\n" }
    for i in 0..<n {
      for _ in 0..<5 {
        let j = next(n)
        if j != i {
          text += "\(min(i, j)) \(max(i, j)) \(values[next(values.count)] * Double(1 + next(5)))\n"
        }
      }
    }
    return text
  }

  /// The text of the JSON value of `key` in `json`: a flat array (through
  /// its `]`) or a number (up to the next `,` or `}`).
  static func rawValue(_ key: String, in json: String) throws -> Substring {
    let start = try #require(json.range(of: "\"\(key)\":"), "no \(key)").upperBound
    let rest = json[start...]
    if rest.first == "[" {
      let close = try #require(rest.firstIndex(of: "]"))
      return rest[...close]
    }
    return rest.prefix { $0 != "," && $0 != "}" }
  }

  @Test(arguments: [("binary", "sa"), ("spin", "sa"), ("binary", "pt"), ("binary", "sqa")])
  func sameSeedAcrossProcesses(_ vartype: String, _ sampler: String) throws {
    let path = try CLI.temporaryFile(
      "determinism-\(vartype).coo", Self.model(n: 240, vartype: vartype))
    var runs: [String] = []
    for _ in 0..<2 {
      let r = try CLI.run([
        "solve", path, "--sampler", sampler, "--reads", "4", "--sweeps", "60", "--seed", "5",
        "--json",
      ])
      try #require(r.status == 0, "\(r.stderr)")
      runs.append(r.stdout)
    }
    let a = try jsonObject(runs[0])
    let b = try jsonObject(runs[1])
    #expect(a["num_variables"] as? Int == 240)
    let sampleA = try #require(a["best_sample"] as? [Int])
    let sampleB = try #require(b["best_sample"] as? [Int])
    #expect(sampleA == sampleB, "best samples differ between processes")
    // Bit-identical: the printed text (shortest round-trip digits) and the
    // parsed bit patterns.
    for key in ["energies", "best_energy"] {
      #expect(try Self.rawValue(key, in: runs[0]) == Self.rawValue(key, in: runs[1]), "\(key)")
    }
    let energiesA = try #require(a["energies"] as? [Double])
    let energiesB = try #require(b["energies"] as? [Double])
    #expect(energiesA.count == 4)
    #expect(energiesA.map(\.bitPattern) == energiesB.map(\.bitPattern))
  }
}
