import Foundation
import Testing

@Suite("anneal rounding-gap, as a process")
struct RoundingGapCLITests {
  @Test(arguments: [["--bits", "2"], ["--bits", "1", "--scale", "mse"]])
  func exactIsNeverAboveTheQUBOMethods(grid: [String]) throws {
    let r = try CLI.run(
      ["rounding-gap", "--dataset", "iris", "--hidden", "6", "--count", "2", "--json"] + grid)
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

  /// Descent on the coupled QUBO from the per-neuron optimum never raises
  /// the block error on the rows the QUBO was built on.
  @Test func coupledDescentNeverWorsensTheCalibrationError() throws {
    let r = try CLI.run([
      "rounding-gap", "--dataset", "iris", "--bits", "2", "--hidden", "6", "--count", "2",
      "--coupled", "--calibration-rows", "40", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    let calib = try #require(o["calibration_error"] as? [String: [Double]])
    let all = try #require(o["block_error"] as? [String: [Double]])
    let heldOut = try #require(o["held_out_error"] as? [String: [Double]])
    let start = try #require(calib["neuron-exact"])
    let descent = try #require(calib["coupled-descent"])
    #expect(start.count == 2 && descent.count == 2)
    for (d, s) in zip(descent, start) { #expect(d <= s + 1e-9) }
    for m in ["rtn", "greedy", "gptq", "neuron-exact", "coupled-descent", "coupled-sa"] {
      #expect(all[m]?.count == 2, "\(m)")
      #expect(heldOut[m]?.allSatisfy { $0 >= 0 } == true, "\(m)")
    }
  }

  @Test func badBitsExitTwo() throws {
    let r = try CLI.run(["rounding-gap", "--dataset", "iris", "--bits", "0"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("--bits"))
  }
}
