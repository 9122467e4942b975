/// How close each rounding method comes to the exact optimum of the
/// per-neuron rounding QUBOs of a trained network.
///
/// Per layer, every output neuron's QUBO (`RoundingQUBO`, float
/// calibration inputs, the quantizer's scale rule) is solved by
/// round-to-nearest, greedy descent from it, the quantizer's annealer, and
/// exactly (`RoundingSphereDecoder`, started from the best of the others);
/// GPTQ's codes for the layer are scored on the same objective
/// `(w − ŵ)ᵀH(w − ŵ)` (they may leave the two-candidate set, so GPTQ can
/// even go below the QUBO optimum). Energies are summed over the layer's
/// neurons.
public struct RoundingGapStudy: Sendable {
  /// The methods, in report order (`exact` last).
  public static let methods = ["rtn", "greedy", "gptq", "anneal", "exact"]

  /// The quantizer whose grid, scale rule and annealer are used.
  public var quantizer: Quantizer
  /// The exact solver.
  public var decoder = RoundingSphereDecoder()

  /// A study with `quantizer`.
  public init(quantizer: Quantizer) {
    self.quantizer = quantizer
  }

  /// One layer's energies.
  public struct LayerResult: Sendable {
    /// The layer index.
    public var layer: Int
    /// Summed energy per method.
    public var energy: [String: Double]
    /// Neurons whose method energy is within 10⁻⁹ (relative) of the exact one.
    public var atOptimum: [String: Int]
    /// Neurons, and the largest number of variables in one QUBO.
    public var neurons: Int
    /// The largest QUBO of the layer (variables).
    public var maxVariables: Int
    /// Whether every exact solve finished within its node budget.
    public var proven: Bool
    /// Search nodes of the exact solver, summed.
    public var nodes: Int
  }

  /// The layers of `net` on calibration rows `x` (`n × sizes[0]`).
  public func run(_ net: MLP, calibration x: [Double], rows n: Int, seed: UInt64) throws
    -> [LayerResult]
  {
    let grid = quantizer.grid
    let activations = try net.activations(x, rows: n)
    var out = [LayerResult]()
    for l in 0..<net.layerCount {
      let (fanIn, fanOut) = (net.sizes[l], net.sizes[l + 1])
      let h = try gramMatrix(activations[l], rows: n, columns: fanIn)
      let w = net.weights(l)
      let scales = (0..<fanOut).map {
        grid.scale(w[($0 * fanIn)..<(($0 + 1) * fanIn)], rule: quantizer.scaleRule)
      }
      let gptq = try GPTQ.codes(
        weights: w, rows: fanOut, columns: fanIn, scales: scales, grid: grid, gram: h)
      var result = LayerResult(
        layer: l, energy: [:], atOptimum: [:], neurons: fanOut, maxVariables: 0, proven: true,
        nodes: 0)
      for j in 0..<fanOut {
        let row = w[(j * fanIn)..<((j + 1) * fanIn)]
        let q = try RoundingQUBO(weights: row, scale: scales[j], grid: grid, gram: h)
        result.maxVariables = max(result.maxVariables, q.count)
        let rtn = RoundingSolver.nearest(q, weights: row)
        let greedy = RoundingSolver.descend(q, from: rtn)
        let annealed = try quantizer.solver.anneal(
          q, weights: row, seed: Quantizer.mix(seed, l, j))
        let exact = try decoder.solve(q, gram: h, starts: [rtn, greedy, annealed])
        result.proven = result.proven && exact.proven
        result.nodes += exact.nodes
        let e = (0..<fanIn).map { w[j * fanIn + $0] - scales[j] * Double(gptq[j * fanIn + $0]) }
        let energies = [
          "rtn": q.energy(rtn), "greedy": q.energy(greedy), "gptq": quadraticForm(h, e),
          "anneal": q.energy(annealed), "exact": exact.energy,
        ]
        for (m, v) in energies {
          result.energy[m, default: 0] += v
          let hit = v <= exact.energy + 1e-9 * max(1, abs(exact.energy))
          result.atOptimum[m, default: 0] += hit ? 1 : 0
        }
      }
      out.append(result)
    }
    return out
  }
}
