import Foundation
import Testing

@Suite("anneal rounding-gap, as a process")
struct RoundingGapCLITests {
  @Test func exactIsNeverAboveTheQUBOMethods() throws {
    let r = try CLI.run([
      "rounding-gap", "--dataset", "iris", "--bits", "2", "--hidden", "6", "--count", "2",
      "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    let layers = try #require(o["layers"] as? [[String: Any]])
    #expect(layers.count == 4)
    for layer in layers {
      let e = try #require(layer["energy"] as? [String: Double])
      let exact = try #require(e["exact"])
      #expect(layer["proven"] as? Bool == true)
      for m in ["rtn", "greedy", "anneal"] {
        #expect(exact <= (e[m] ?? -.infinity) + 1e-9, "\(m)")
      }
      let hits = try #require(layer["at_optimum"] as? [String: Int])
      #expect(hits["exact"] == layer["neurons"] as? Int)
    }
  }

  @Test func badBitsExitTwo() throws {
    let r = try CLI.run(["rounding-gap", "--dataset", "iris", "--bits", "1"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("--bits"))
  }
}
