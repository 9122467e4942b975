import Anneal
import ArgumentParser
import Foundation
import Learning

/// `anneal rounding-gap`: each rounding method's energy against the exact
/// optimum of the per-neuron rounding QUBOs (sphere decoding).
struct RoundingGap: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rounding-gap",
    abstract: "Compare rounding methods with the exact optimum of each neuron's rounding QUBO.",
    discussion: """
      Example:
        anneal rounding-gap --dataset digits --bits 2 --seed 1 --count 3

      Per seed: split and train the float network as anneal quantize does, \
      then for every layer solve each neuron's rounding QUBO (float \
      calibration inputs, all training rows) by rtn, greedy descent, GPTQ, \
      the annealer (SQA, anneal quantize's defaults) and exactly by sphere \
      decoding. Prints, per seed and layer, the summed energies, the share of \
      the rtn→optimum and greedy→optimum gaps each method closes, and how \
      many neurons each solves to optimality. --bits 1 is binary ±1 × scale \
      (give --scale mse: max-abs scales are far too large for it).
      With --json, stdout is one object: dataset, bits, seeds, and layers \
      (one entry per seed and layer with energy, at_optimum, neurons, \
      max_variables, proven, nodes).
      Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.
      """)

  @Option(help: "A shipped dataset (iris, wine, breast_cancer, digits) or a CSV path.")
  var dataset: String

  @Option(help: "Bits per weight (1…8; 1 is binary ±1).")
  var bits: Int

  @Option(help: "Per-neuron scale: maxabs or mse.")
  var scale: ScaleRule = .maxabs

  @Option(help: "Hidden layer widths, e.g. 32.")
  var hidden = "32"

  @Option(help: "The first seed.")
  var seed: UInt64 = 1

  @Option(help: "Number of seeds (seed, seed + 1, …).")
  var count = 3

  @Flag(help: "Instead: per-neuron rounding against the coupled layer QUBO (first layer).")
  var coupled = false

  @Option(help: "--coupled: training rows the coupled QUBO is built on.")
  var calibrationRows = 256

  @Flag(help: "Print one JSON object on stdout instead of a table.")
  var json = false

  func validate() throws {
    guard (1...8).contains(bits) else { throw ValidationError("--bits must be in 1…8") }
    guard (1...100).contains(count) else { throw ValidationError("--count must be in 1…100") }
    guard calibrationRows >= 1 else { throw ValidationError("--calibration-rows must be positive") }
  }

  func run() throws {
    let data = try loadDataset(dataset)
    let widths = try parseHidden(hidden)
    var sqa = SamplerConfiguration(.sqa)
    try sqa.update(with: ["reads": .int(4), "sweeps": .int(300), "trotter": .int(8)])
    let quantizer = try Quantizer(
      bits: bits, scaleRule: scale, solver: RoundingSolver(annealer: sqa))
    if coupled {
      try runCoupled(data, widths: widths, quantizer: quantizer)
      return
    }
    let study = RoundingGapStudy(quantizer: quantizer)
    var rows = [(seed: UInt64, layer: RoundingGapStudy.LayerResult)]()
    for s in 0..<count {
      let seed = self.seed + UInt64(s)
      let (train, _) = try QuantizationExperiment.prepare(data, testFraction: 0.25, seed: seed)
      var net = try MLP(
        sizes: [data.featureCount] + widths + [data.classCount], activation: .tanh, seed: seed)
      do {
        _ = try net.train(on: train, l2: 1e-3, maxIterations: 400)
        for layer in try study.run(net, calibration: train.features, rows: train.count, seed: seed)
        {
          rows.append((seed, layer))
        }
      } catch {
        throw CLIError.failure("seed \(seed): \(error)")
      }
      stderrLine("seed \(seed) done")
    }
    if json {
      let layers: [JSONValue] = rows.map { r in
        .object([
          "seed": .int(Int(r.seed)), "layer": .int(r.layer.layer),
          "energy": .object(r.layer.energy.mapValues { rounded($0, 9) }),
          "at_optimum": .object(r.layer.atOptimum.mapValues { .int($0) }),
          "neurons": .int(r.layer.neurons), "max_variables": .int(r.layer.maxVariables),
          "proven": .bool(r.layer.proven), "nodes": .int(r.layer.nodes),
        ])
      }
      let out: JSONValue = .object([
        "dataset": .string(data.name), "bits": .int(bits), "scale": .string(scale.rawValue),
        "seeds": .array((0..<count).map { .int(Int(seed) + $0) }), "layers": .array(layers),
      ])
      print(out.serialized())
      return
    }
    let methods = RoundingGapStudy.methods
    print("rounding gap, \(data.name), \(bits) bits, \(scale.rawValue) scale, hidden \(hidden)")
    print(
      "seed layer vars proven  "
        + methods.map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined()
        + "(summed energy; neurons at optimum)")
    for r in rows {
      let e = r.layer.energy
      let cells = methods.map {
        String(format: "%.5f %d", e[$0] ?? .nan, r.layer.atOptimum[$0] ?? 0)
          .padding(toLength: 11, withPad: " ", startingAt: 0)
      }
      print(
        String(
          format: "%-4llu %-5d %-4d %-7@ ", r.seed, r.layer.layer, r.layer.maxVariables,
          r.layer.proven ? "yes" : "no") + cells.joined())
    }
    for (from, label) in [("rtn", "rtn→optimum"), ("greedy", "greedy→optimum")] {
      print("share of the \(label) gap closed (summed over seeds and layers, per layer index):")
      for l in Set(rows.map { $0.layer.layer }).sorted() {
        let sel = rows.filter { $0.layer.layer == l }.map(\.layer)
        let base = sel.reduce(0) { $0 + ($1.energy[from] ?? 0) }
        let opt = sel.reduce(0) { $0 + ($1.energy["exact"] ?? 0) }
        let shares = methods.map { m -> String in
          let v = sel.reduce(0) { $0 + ($1.energy[m] ?? 0) }
          return String(format: "%@ %.3f", m, base - opt > 0 ? (base - v) / (base - opt) : .nan)
        }
        print("  layer \(l): " + shares.joined(separator: "  "))
      }
    }
  }
}
