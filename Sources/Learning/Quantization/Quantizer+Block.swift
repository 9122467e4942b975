extension Quantizer {
  /// The codes of layers `l` and `l + 1` (the last two) by a block method:
  /// the Gauss–Newton block QUBO against the logits (`.blockFt`,
  /// `.blockFtGreedy`: the part fine-tuning cannot remove), annealed from
  /// the lowest-energy combination of GPTQ's and AdaRound's codes per layer
  /// (`.blockGreedy`, `.blockFtGreedy`: descended from it instead).
  ///
  /// `input` is layer `l`'s calibration input (`n × sizes[l]`) and `hidden`
  /// the float network's layer-`l` activations (`n × sizes[l + 1]`);
  /// `scales` and `secondScales` are the two layers' per-neuron scales.
  func blockCodes(
    _ float: MLP, layer l: Int, input: [Double], hidden: [Double], rows n: Int,
    gram h: [Double], scales: [Double], secondScales: [Double], method: RoundingMethod,
    seed: UInt64,
    timing: inout QuantizationTiming
  ) throws -> (first: [Int], second: [Int]) {
    let (fanIn, width, outputs) = (float.sizes[l], float.sizes[l + 1], float.sizes[l + 2])
    let w = float.weights(l)
    let v = float.weights(l + 1)
    let hiddenGram = try gramMatrix(hidden, rows: n, columns: width)
    let firstControls = try controls(w, rows: width, columns: fanIn, scales: scales, gram: h)
    let secondControls = try controls(
      v, rows: outputs, columns: width, scales: secondScales, gram: hiddenGram)
    let t1 = now()
    let block = try BlockQUBO(
      first: w, second: v, fanIn: fanIn, hidden: width, outputs: outputs, firstScales: scales,
      secondScales: secondScales, grid: grid, inputs: input, hiddenActivations: hidden,
      gains: float.activation.gains(hidden, slope: float.leakySlope), rows: n,
      afterFineTune: method == .blockFt || method == .blockFtGreedy)
    let built = now() - t1
    timing.construction += built
    timing.solving -= built
    var starts = [[Int8]]()
    for a in firstControls {
      for b in secondControls { starts.append(block.assignment(first: a, second: b)) }
    }
    let start = starts.min { block.model.energy($0) < block.model.energy($1) } ?? starts[0]
    let bits =
      method == .blockGreedy || method == .blockFtGreedy
      ? CoupledRefinement.descend(block.model, from: start)
      : try solver.coupled.refine(block.model, start: start, seed: seed)
    return block.codes(bits)
  }

  /// GPTQ's and AdaRound's codes of one layer (`rows × columns` weights
  /// `w`): the warm starts of the coupled and block objectives.
  func controls(
    _ w: [Double], rows: Int, columns: Int, scales: [Double], gram h: [Double]
  ) throws -> [[Int]] {
    let gptq = try GPTQ.codes(
      weights: w, rows: rows, columns: columns, scales: scales, grid: grid, gram: h)
    var ada = [Int]()
    for j in 0..<rows {
      let row = w[(j * columns)..<((j + 1) * columns)]
      let qubo = try RoundingQUBO(weights: row, scale: scales[j], grid: grid, gram: h)
      ada += qubo.codes(solver.adaRound.solve(qubo, weights: row))
    }
    return [gptq, ada]
  }

  /// `Σ_j e_jᵀ H e_j` for the codes of a layer (`rows × fanIn`).
  func perNeuronEnergy(
    _ w: [Double], _ codes: [Int], scales: [Double], fanIn: Int, gram h: [Double]
  ) -> Double {
    var energy = 0.0
    for j in scales.indices {
      let e = (0..<fanIn).map { w[j * fanIn + $0] - scales[j] * Double(codes[j * fanIn + $0]) }
      energy += quadraticForm(h, e)
    }
    return energy
  }
}
