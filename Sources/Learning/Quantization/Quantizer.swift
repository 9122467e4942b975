import Annealing
import Dispatch

/// Where a layer's calibration inputs come from.
public enum CalibrationSource: String, Sendable, CaseIterable {
  /// The float network's activations: every method faces the same QUBOs.
  case float
  /// The activations of the layers already quantized by the same method.
  case quantized
}

/// Wall-clock seconds spent in each stage of quantization.
public struct QuantizationTiming: Sendable {
  /// Building Gram matrices and QUBOs.
  public var construction = 0.0
  /// Solving them (rounding, descent, annealing, GPTQ).
  public var solving = 0.0
  /// Zero seconds in every stage.
  public init() {}
}

/// Post-training quantization of a network, layer by layer, with one
/// rounding method.
public struct Quantizer: Sendable {
  /// The code grid.
  public var grid: QuantizationGrid
  /// How each neuron's scale is chosen.
  public var scaleRule: ScaleRule
  /// Where calibration inputs come from.
  public var inputs: CalibrationSource
  /// The solver behind `.greedy` and `.anneal`.
  public var solver: RoundingSolver

  /// A quantizer.
  ///
  /// - Throws: `ShapeError` unless `2 <= bits <= 16`.
  public init(
    bits: Int, scaleRule: ScaleRule = .maxabs, inputs: CalibrationSource = .float,
    solver: RoundingSolver
  ) throws {
    grid = try QuantizationGrid(bits: bits)
    self.scaleRule = scaleRule
    self.inputs = inputs
    self.solver = solver
  }

  /// Quantizes `float` with `method` on the calibration rows `x`
  /// (`n × sizes[0]`).
  ///
  /// `scales` replaces the scale rule (one array per layer) and `start`
  /// gives the annealer's initial codes (the hybrid loop's later rounds).
  /// - Returns: the network and, per layer, the summed reconstruction energy
  ///   `Σ_j (w_j − ŵ_j)ᵀ H (w_j − ŵ_j)` (the QUBO energy of the chosen bits).
  public func quantize(
    _ float: MLP, calibration x: [Double], rows n: Int, method: RoundingMethod, seed: UInt64,
    timing: inout QuantizationTiming, scales given: [[Double]]? = nil,
    start: QuantizedNetwork? = nil
  ) throws -> (network: QuantizedNetwork, energies: [Double]) {
    try float.checkInput(x, rows: n)
    guard n > 0 else { throw ShapeError("quantization needs at least one calibration row") }
    if let given {
      guard given.count == float.layerCount,
        given.indices.allSatisfy({ given[$0].count == float.sizes[$0 + 1] })
      else { throw ShapeError("the given scales do not have one value per output neuron") }
    }
    if let start {
      guard start.sizes == float.sizes else {
        throw ShapeError("the starting network's sizes \(start.sizes) differ from \(float.sizes)")
      }
    }
    var q = QuantizedNetwork(shapeOf: float)
    var energies = [Double]()
    var blockLast: [Int]?
    let floatActivations = float.forward(x, rows: n, softmax: true)
    for l in 0..<float.layerCount {
      var t0 = now()
      let input =
        inputs == .float ? floatActivations[l] : q.network.forward(x, rows: n, softmax: true)[l]
      let (fanIn, fanOut) = (float.sizes[l], float.sizes[l + 1])
      let h = try gramMatrix(input, rows: n, columns: fanIn)
      let w = float.weights(l)
      let scales =
        given?[l]
        ?? (0..<fanOut).map { grid.scale(w[($0 * fanIn)..<(($0 + 1) * fanIn)], rule: scaleRule) }
      q.scales[l] = scales
      var energy = 0.0
      switch method {
      case .gptq, .gptqGreedy:
        timing.construction += now() - t0
        t0 = now()
        var codes = try GPTQ.codes(
          weights: w, rows: fanOut, columns: fanIn, scales: scales, grid: grid, gram: h)
        if method == .gptqGreedy {
          for j in 0..<fanOut {
            var row = Array(codes[(j * fanIn)..<((j + 1) * fanIn)])
            GreedyPasses.refine(
              codes: &row, weights: w[(j * fanIn)..<((j + 1) * fanIn)], scale: scales[j],
              grid: grid, gram: h)
            codes.replaceSubrange((j * fanIn)..<((j + 1) * fanIn), with: row)
          }
        }
        q.codes[l] = codes
        for j in 0..<fanOut {
          let e = (0..<fanIn).map { w[j * fanIn + $0] - scales[j] * Double(codes[j * fanIn + $0]) }
          energy += quadraticForm(h, e)
        }
        timing.solving += now() - t0
      case .coupled where l + 1 < float.layerCount:
        timing.construction += now() - t0
        t0 = now()
        let (codes, e) = try coupledCodes(
          float, layer: l, input: input, next: floatActivations[l + 1], rows: n, gram: h,
          scales: scales, seed: Self.mix(seed, l, 1 << 20), timing: &timing)
        q.codes[l] = codes
        energy = e
        timing.solving += now() - t0
      case _ where method.isBlock && l + 2 == float.layerCount:
        timing.construction += now() - t0
        t0 = now()
        let v = float.weights(l + 1)
        let width = float.sizes[l + 1]
        let secondScales =
          given?[l + 1]
          ?? (0..<float.sizes[l + 2]).map {
            grid.scale(v[($0 * width)..<(($0 + 1) * width)], rule: scaleRule)
          }
        let block = try blockCodes(
          float, layer: l, input: input, hidden: floatActivations[l + 1], rows: n, gram: h,
          scales: scales, secondScales: secondScales, method: method, seed: Self.mix(seed, l, 1 << 21),
          timing: &timing)
        q.codes[l] = block.first
        blockLast = block.second
        energy = perNeuronEnergy(w, block.first, scales: scales, fanIn: fanIn, gram: h)
        timing.solving += now() - t0
      case _ where method.isBlock && blockLast != nil:
        let codes = blockLast ?? []
        q.codes[l] = codes
        energy = perNeuronEnergy(w, codes, scales: scales, fanIn: fanIn, gram: h)
        timing.construction += now() - t0
      case .rtn, .greedy, .anneal, .adaround, .tabu, .coupled, .block, .blockGreedy, .blockFt,
        .blockFtGreedy, .annealFt, .greedyFt:
        let afterFineTune = method == .annealFt || method == .greedyFt
        let mean = afterFineTune ? columnMeans(input, rows: n, columns: fanIn) : []
        timing.construction += now() - t0
        for j in 0..<fanOut {
          t0 = now()
          let row = w[(j * fanIn)..<((j + 1) * fanIn)]
          let gram = afterFineTune ? fineTuneGram(h, mean: mean, weights: row) : h
          let qubo = try RoundingQUBO(weights: row, scale: scales[j], grid: grid, gram: gram)
          timing.construction += now() - t0
          t0 = now()
          let bits: [Int8]
          if method == .rtn {
            bits = RoundingSolver.nearest(qubo, weights: row)
          } else if method == .greedy || method == .greedyFt {
            bits = RoundingSolver.descend(qubo, from: RoundingSolver.nearest(qubo, weights: row))
          } else if method == .adaround {
            bits = solver.adaRound.solve(qubo, weights: row)
          } else if method == .tabu {
            bits = try solver.searchTabu(qubo, seed: Self.mix(seed, l, j))
          } else {
            let initial = start.map {
              qubo.assignment(Array($0.codes[l][(j * fanIn)..<((j + 1) * fanIn)]))
            }
            bits = try solver.anneal(
              qubo, weights: row, seed: Self.mix(seed, l, j), start: initial)
          }
          let codes = qubo.codes(bits)
          q.codes[l].replaceSubrange((j * fanIn)..<((j + 1) * fanIn), with: codes)
          energy +=
            afterFineTune
            ? quadraticForm(h, (0..<fanIn).map { row[row.startIndex + $0] - scales[j] * Double(codes[$0]) })
            : qubo.energy(bits)
          timing.solving += now() - t0
        }
      }
      energies.append(energy)
    }
    return (q, energies)
  }

  /// The codes of hidden layer `l` by `.coupled`, and their summed
  /// per-neuron energy `Σ_j e_jᵀ H e_j`.
  func coupledCodes(
    _ float: MLP, layer l: Int, input: [Double], next: [Double], rows n: Int, gram h: [Double],
    scales: [Double], seed: UInt64, timing: inout QuantizationTiming
  ) throws -> (codes: [Int], energy: Double) {
    let (fanIn, fanOut) = (float.sizes[l], float.sizes[l + 1])
    let w = float.weights(l)
    let warmStarts = try controls(w, rows: fanOut, columns: fanIn, scales: scales, gram: h)
    let gains = float.activation.gains(next, slope: float.leakySlope)
    let t1 = now()
    let coupled = try CoupledLayerQUBO(
      weights: w, fanIn: fanIn, fanOut: fanOut, scales: scales, grid: grid, inputs: input,
      rows: n, gains: gains, next: float.weights(l + 1), nextWidth: float.sizes[l + 2])
    timing.construction += now() - t1
    timing.solving -= now() - t1
    let starts = warmStarts.map { CoupledRefinement.assignment(coupled, codes: $0) }
    let start = starts.min { coupled.model.energy($0) < coupled.model.energy($1) } ?? starts[0]
    let bits = try solver.coupled.refine(coupled, start: start, seed: seed)
    let codes = coupled.codes(bits)
    return (codes, perNeuronEnergy(w, codes, scales: scales, fanIn: fanIn, gram: h))
  }

  /// A seed for neuron `j` of layer `l`, derived from `seed` by SplitMix64.
  static func mix(_ seed: UInt64, _ l: Int, _ j: Int) -> UInt64 {
    var g = SplitMix64(seed: seed ^ (UInt64(l) << 32 | UInt64(j)) &* 0x9E37_79B9_7F4A_7C15)
    return g.next()
  }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
