import Annealing
import Dispatch
import QUBOModel

/// Per-neuron rounding against rounding a layer jointly on the coupled
/// objective (`CoupledLayerQUBO`), scored by the block error on all training
/// rows.
///
/// Per-neuron methods use every training row (as `anneal quantize` does):
/// rtn, greedy descent, GPTQ, and the exact per-neuron optimum
/// (`RoundingSphereDecoder`). The coupled QUBO is built on
/// `calibrationRows` rows drawn from the training rows and solved by
/// steepest descent from the per-neuron optimum and by simulated annealing
/// from random states.
public struct CoupledLayerStudy: Sendable {
  /// The method names, in report order.
  public static let methods = [
    "rtn", "greedy", "gptq", "neuron-exact", "coupled-descent", "coupled-sa",
  ]

  /// Grid and scale rule.
  public var quantizer: Quantizer
  /// Rows the coupled QUBO is built on.
  public var calibrationRows = 256
  /// The annealer of `coupled-sa`.
  public var sampler: SamplerConfiguration

  /// A study with `quantizer` and `sampler`.
  public init(quantizer: Quantizer, sampler: SamplerConfiguration) {
    self.quantizer = quantizer
    self.sampler = sampler
  }

  /// What one layer measured.
  public struct Result: Sendable {
    /// Block error on all training rows, per method.
    public var blockError: [String: Double]
    /// Block error on the calibration rows of the coupled QUBO, per method.
    public var calibrationError: [String: Double]
    /// Block error on held-out rows (the test split), per method.
    public var heldOutError: [String: Double]
    /// Variables and couplings of the coupled QUBO.
    public var variables: Int
    /// Non-zero couplings.
    public var couplings: Int
    /// Seconds to build the coupled QUBO and to anneal it.
    public var buildSeconds: Double
    /// Seconds of `coupled-sa` sampling.
    public var annealSeconds: Double
  }

  /// Runs hidden layer `l` of `net` on the training rows `x` (`n × sizes[0]`),
  /// scoring also on the held-out rows `test` (`testRows × sizes[0]`).
  public func run(
    _ net: MLP, layer l: Int, train x: [Double], rows n: Int, test: [Double], testRows: Int,
    seed: UInt64
  ) throws -> Result {
    let grid = quantizer.grid
    let (fanIn, fanOut) = (net.sizes[l], net.sizes[l + 1])
    let acts = try net.activations(x, rows: n)
    let input = acts[l]
    let gains = net.activation.gains(acts[l + 1], slope: net.leakySlope)
    let w = net.weights(l)
    let v = net.weights(l + 1)
    let nextWidth = net.sizes[l + 2]
    let scales = (0..<fanOut).map {
      grid.scale(w[($0 * fanIn)..<(($0 + 1) * fanIn)], rule: quantizer.scaleRule)
    }
    let h = try gramMatrix(input, rows: n, columns: fanIn)
    var codes: [String: [Int]] = [
      "gptq": try GPTQ.codes(
        weights: w, rows: fanOut, columns: fanIn, scales: scales, grid: grid, gram: h)
    ]
    for j in 0..<fanOut {
      let row = w[(j * fanIn)..<((j + 1) * fanIn)]
      let q = try RoundingQUBO(weights: row, scale: scales[j], grid: grid, gram: h)
      let rtn = RoundingSolver.nearest(q, weights: row)
      let greedy = RoundingSolver.descend(q, from: rtn)
      let exact = try RoundingSphereDecoder().solve(q, gram: h, starts: [rtn, greedy])
      codes["rtn", default: []] += q.codes(rtn)
      codes["greedy", default: []] += q.codes(greedy)
      codes["neuron-exact", default: []] += q.codes(exact.assignment)
    }

    // The calibration subset of the coupled QUBO (seeded, sorted).
    var rng = Xoshiro256PlusPlus(seed: seed ^ 0xC0DE)
    var order = Array(0..<n)
    order.shuffle(using: &rng)
    let pick = order.prefix(min(calibrationRows, n)).sorted()
    let cx = pick.flatMap { input[($0 * fanIn)..<(($0 + 1) * fanIn)] }
    let cg = pick.flatMap { gains[($0 * fanOut)..<(($0 + 1) * fanOut)] }
    var t0 = DispatchTime.now().uptimeNanoseconds
    let coupled = try CoupledLayerQUBO(
      weights: w, fanIn: fanIn, fanOut: fanOut, scales: scales, grid: grid, inputs: cx,
      rows: pick.count, gains: cg, next: v, nextWidth: nextWidth)
    let buildSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    let problem = IsingProblem(coupled.model)
    let neuronCodes = codes["neuron-exact"] ?? []
    var s: [Int8] = coupled.free.map { neuronCodes[$0] > coupled.base[$0] ? 1 : -1 }
    _ = SteepestDescent.descend(problem, &s)
    codes["coupled-descent"] = coupled.codes(s.map { $0 > 0 ? Int8(1) : 0 })
    t0 = DispatchTime.now().uptimeNanoseconds
    let set = try sampler.sampler.sample(coupled.model, seed: seed)
    let annealSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    guard let best = set.lowestRow else { throw SamplerError("the sampler returned no sample") }
    codes["coupled-sa"] = coupled.codes(Array(set.sample(best)))

    let testActs = try net.activations(test, rows: testRows)
    let testGains = net.activation.gains(testActs[l + 1], slope: net.leakySlope)
    var all = [String: Double]()
    var calib = [String: Double]()
    var heldOut = [String: Double]()
    for (m, c) in codes {
      all[m] = try CoupledLayerQUBO.blockError(
        codes: c, weights: w, scales: scales, fanIn: fanIn, inputs: input, rows: n, gains: gains,
        next: v, nextWidth: nextWidth)
      calib[m] = try coupled.blockError(codes: c)
      heldOut[m] = try CoupledLayerQUBO.blockError(
        codes: c, weights: w, scales: scales, fanIn: fanIn, inputs: testActs[l],
        rows: testRows, gains: testGains, next: v, nextWidth: nextWidth)
    }
    return Result(
      blockError: all, calibrationError: calib, heldOutError: heldOut,
      variables: coupled.model.numVariables,
      couplings: coupled.model.numInteractions, buildSeconds: buildSeconds,
      annealSeconds: annealSeconds)
  }
}
