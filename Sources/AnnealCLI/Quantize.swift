import Anneal
import ArgumentParser
import Foundation
import Learning
import Synchronization

/// `anneal quantize`: post-training quantization by annealing rounding
/// QUBOs, of a user's ONNX model (`MODEL.onnx --data FILE`) or, as a
/// benchmark, of networks trained here on a dataset (`--dataset`), against
/// RTN, greedy descent and GPTQ, each with and without fine-tuning.
struct Quantize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Quantize a trained network's weights by annealing rounding QUBOs.",
    discussion: """
      Examples:
        anneal quantize model.onnx --data calib.csv --bits 3
        anneal quantize model.onnx --data calib.npy --bits 2 --method best --qdq --json
        anneal quantize --dataset digits --bits 2 --seeds 1-10
        anneal quantize --dataset iris --bits 2 --hidden 8 --sampler sa --json

      With MODEL.onnx: read an ONNX model of dense layers (Gemm, MatMul + \
      Add, Relu, Tanh, Sigmoid, LeakyRelu, Softmax, Flatten, Identity, \
      Reshape), quantize every layer's weights to b-bit signed codes times a \
      per-output-channel scale by --method (anneal, gptq, greedy, rtn, or \
      best: all four, keeping the lowest fine-tuning loss), fine-tune scales \
      and biases on --data (to the float model's own outputs, or to the \
      labels with --labels), and write the same graph with the new weights \
      to --output (default MODEL.q<bits>.onnx): scale × code floats, or \
      DequantizeLinear over int8 codes with --qdq. Any other operator is \
      named with its node and exit 2; nothing is written.
      --data is a CSV of feature rows in the model's input order (a first \
      line that is not numbers, e.g. f0,f1,…,label, is a header), or a 2-D \
      NumPy .npy array; with --labels the last column is the class. Reported \
      on all rows of --data: top-1 agreement and KL(float ‖ quantized) of \
      the softmax outputs, and accuracy with --labels.

      With --dataset, per seed: split and train the float network, then \
      quantize every layer by round-to-nearest (rtn), greedy descent on the \
      rounding QUBO from the rtn bits, GPTQ, and the annealer (--sampler; \
      greedy means descent from the rtn bits); each is then fine-tuned \
      (codes fixed; scales and biases fitted by BFGS). --methods adds the \
      controls on the same QUBOs (gptq-greedy, adaround, tabu; 'all' is \
      the standard four and these) and coupled (hidden layers rounded \
      jointly against the next layer, annealed from GPTQ/AdaRound) and \
      block (the last two layers jointly against the logits, Gauss–Newton) \
      and its control block-greedy (descent from the same start, no annealing), \
      block-ft (the same, on the error left after fine-tuning the scales and \
      biases) and its control block-ft-greedy (descent, no annealing); every \
      annealing method is compared with every other by a paired t interval \
      on test accuracy and log-loss and McNemar's exact test per seed. \
      --bits 2 is ternary {−1, 0, 1}, --bits 1 binary ±1 (use --scale mse). \
      --dataset classification256 is a generated 256-feature, 4-class problem.
      Dataset CSV: either a header 'samples,features,class names…' and rows \
      of features then an integer label, or a header of column names \
      (f0,…,label) and such rows, or no header (labels 0…k−1, k at most the \
      row count).
      With --json, stdout is one object: dataset, bits, sampler, seeds, \
      test_accuracy (method → one fraction per seed), qubo_energy (rtn, \
      greedy, gptq, anneal → per seed, per layer), seconds, timing.
      Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.
      """)

  enum AnnealerChoice: String, ExpressibleByArgument, CaseIterable {
    case sqa, sa, tabu, greedy
  }

  @Argument(help: "An ONNX model to quantize (then --data is needed, --dataset is not).")
  var model: String?

  @Option(help: "Calibration rows for MODEL.onnx: a CSV or .npy file (see below).")
  var data: String?

  @Flag(help: "The last column of --data is the class: fine-tune on it, report accuracy.")
  var labels = false

  @Option(help: "MODEL.onnx: anneal, gptq, greedy, rtn, or best (all four, lowest loss kept).")
  var method: ModelMethod = .anneal

  @Option(help: "MODEL.onnx: where to write the quantized model (default MODEL.q<bits>.onnx).")
  var output: String?

  @Flag(help: "MODEL.onnx: write DequantizeLinear over int8 codes instead of float weights.")
  var qdq = false

  @Option(help: "A shipped dataset (iris, wine, breast_cancer, digits) or a CSV path.")
  var dataset: String?

  @Option(
    help: "Bits per weight (1…8): signed codes −(2^(b−1)−1) … 2^(b−1)−1; 2 is ternary {−1,0,1}, 1 binary ±1.")
  var bits: Int

  @Option(
    help: ArgumentHelp(
      "--dataset: rounding methods, comma-separated, or 'all' (default rtn,greedy,gptq,anneal).",
      discussion: "Controls: gptq-greedy (GPTQ then greedy passes), adaround, tabu."))
  var methods: String?

  @Option(help: "adaround: Adam iterations per neuron.")
  var adaroundIterations = 1000

  @Option(help: "adaround: regulariser weight λ (relative to the mean weight curvature).")
  var adaroundLambda = 1.0

  @Option(help: "adaround: Adam's step size on the rounding logits V.")
  var adaroundRate = 0.05

  @Option(help: "tabu: reads (starts from random states) per QUBO.")
  var tabuReads = 4

  @Option(help: "tabu: restarts per read.")
  var tabuRestarts = 4

  @Option(help: "tabu: iterations without improvement that end a restart.")
  var tabuStall = 1000

  @Option(help: "--dataset: hidden layer widths, e.g. 32 or 64,32 (default 32).")
  var hidden: String?

  @Option(help: "--dataset: hidden activation, tanh or relu (default tanh).")
  var activation: Activation?

  @Option(help: "L2 weight for training and fine-tuning (default 1e-3; MODEL.onnx: 0).")
  var l2: Double?

  @Option(help: "BFGS iteration cap of each fine-tuning (0: no fine-tuning).")
  var iterations = 200

  @Option(help: "Per-neuron scale: maxabs or mse.")
  var scale: ScaleRule = .maxabs

  @Option(help: "The QUBO solver: sqa, sa, tabu or greedy (descent from the rtn bits).")
  var sampler: AnnealerChoice = .sqa

  @Option(help: "Reads per QUBO for the annealer.")
  var reads = 4

  @Option(help: "Sweeps per read for sqa and sa (default: sqa 300, sa 1000).")
  var sweeps: Int?

  @Option(help: "Trotter slices for sqa.")
  var trotter = 8

  @Option(help: "sqa: β = this / (median total |bias| per spin) for each QUBO.")
  var betaScale = 300.0

  @Option(help: "Calibration rows (from the training split, or of --data): a count or all.")
  var calibration = "all"

  @Option(help: "Layer inputs of the QUBOs: from the float network or the quantized layers.")
  var inputs: CalibrationSource = .float

  @Option(help: "--dataset: seeds, e.g. 1,2,3 or 1-10.")
  var seeds: String?

  @Option(help: "A single seed (same as --seeds S; MODEL.onnx: the annealer's seed, default 1).")
  var seed: UInt64?

  @Option(
    help: "--dataset: rounds of the hybrid loop (re-anneal at the fine-tuned scales).")
  var rounds: Int?

  @Option(help: "--dataset: seeds run at the same time (results do not depend on it).")
  var jobs: Int?

  @Option(
    help: "--dataset: write energy against accuracy as SVG to FILE.svg (and FILE-finetuned.svg).")
  var plot: String?

  @Flag(help: "Print one JSON object on stdout instead of tables.")
  var json = false

  @Flag(name: .shortAndLong, help: "Say what the optimisers did, per seed, on stderr.")
  var verbose = false

  func validate() throws {
    guard (1...8).contains(bits) else { throw ValidationError("--bits must be in 1…8") }
    guard adaroundIterations > 0, adaroundLambda >= 0, adaroundLambda.isFinite,
      adaroundRate > 0, adaroundRate.isFinite
    else {
      throw ValidationError(
        "--adaround-iterations and --adaround-rate must be positive, --adaround-lambda ≥ 0")
    }
    guard tabuReads > 0, tabuRestarts > 0, tabuStall > 0 else {
      throw ValidationError("--tabu-reads, --tabu-restarts and --tabu-stall must be positive")
    }
    _ = try roundingMethods()
    guard (l2 ?? 0) >= 0, (l2 ?? 0).isFinite else {
      throw ValidationError("--l2 must be a finite number ≥ 0")
    }
    guard (0...100_000).contains(iterations) else {
      throw ValidationError("--iterations must be in 0…100000")
    }
    guard iterations > 0 || dataset == nil else {
      throw ValidationError("--dataset fine-tunes every method: --iterations must be positive")
    }
    switch (model, dataset) {
    case (nil, nil): throw ValidationError("give MODEL.onnx with --data, or --dataset")
    case (.some, .some): throw ValidationError("give MODEL.onnx or --dataset, not both")
    case (.some, nil):
      guard data != nil else { throw ValidationError("MODEL.onnx needs --data FILE.csv|FILE.npy") }
      let datasetOnly: [(String, Bool)] = [
        ("--hidden", hidden != nil), ("--activation", activation != nil),
        ("--seeds", seeds != nil), ("--rounds", rounds != nil), ("--jobs", jobs != nil),
        ("--methods", methods != nil), ("--plot", plot != nil),
      ]
      if let given = datasetOnly.first(where: { $0.1 }) {
        throw ValidationError("\(given.0) applies to --dataset only, not to MODEL.onnx")
      }
    case (nil, .some):
      let modelOnly: [(String, Bool)] = [
        ("--data", data != nil), ("--labels", labels), ("--output", output != nil),
        ("--qdq", qdq), ("--method", method != .anneal),
      ]
      if let given = modelOnly.first(where: { $0.1 }) {
        throw ValidationError("\(given.0) applies to MODEL.onnx only, not to --dataset")
      }
    }
    guard betaScale > 0, betaScale.isFinite else {
      throw ValidationError("--beta-scale must be a positive number")
    }
    guard reads > 0, trotter > 0, (sweeps ?? 1) > 0 else {
      throw ValidationError("--reads, --sweeps and --trotter must be positive")
    }
    guard (1...64).contains(jobs ?? 1) else { throw ValidationError("--jobs must be in 1…64") }
    guard (1...50).contains(rounds ?? 1) else { throw ValidationError("--rounds must be in 1…50") }
    guard seeds == nil || seed == nil else {
      throw ValidationError("give --seeds or --seed, not both")
    }
    _ = try seedList()
    _ = try calibrationCount()
  }

  func seedList() throws -> [UInt64] {
    if let seed { return [seed] }
    guard let text = seeds else { return [1] }
    do {
      return try parseSeeds(text)
    } catch let error as CLIError {
      throw ValidationError(error.message)
    }
  }

  /// The `--methods` list (default: the standard four).
  func roundingMethods() throws -> [RoundingMethod] {
    guard let text = methods else { return RoundingMethod.standard }
    if text == "all" { return RoundingMethod.standard + RoundingMethod.controls }
    var out = [RoundingMethod]()
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let name = part.trimmingCharacters(in: .whitespaces)
      guard let m = RoundingMethod(rawValue: name) else {
        let known = RoundingMethod.allCases.map(\.rawValue).joined(separator: ", ")
        throw ValidationError("--methods: unknown method '\(name)' (known: \(known), or all)")
      }
      guard !out.contains(m) else { throw ValidationError("--methods: '\(name)' given twice") }
      out.append(m)
    }
    return out
  }

  /// The rounding solver: the annealer and the controls' budgets.
  func roundingSolver() throws -> RoundingSolver {
    var solver = RoundingSolver(annealer: try annealer(), sqaBetaScale: betaScale)
    solver.adaRound.iterations = adaroundIterations
    solver.adaRound.lambda = adaroundLambda
    solver.adaRound.learningRate = adaroundRate
    if case .tabu(var p) = solver.tabu.parameters {
      p.readOptions.reads = tabuReads
      p.restarts = tabuRestarts
      p.stallIterations = tabuStall
      solver.tabu.parameters = .tabu(p)
    }
    return solver
  }

  func calibrationCount() throws -> Int? {
    if calibration == "all" { return nil }
    guard let n = Int(calibration), n > 0 else {
      throw ValidationError("--calibration must be a positive count or all")
    }
    return n
  }

  func annealer() throws -> SamplerConfiguration? {
    var fields: [String: JSONValue] = ["reads": .int(reads)]
    switch sampler {
    case .greedy: return nil
    case .sqa:
      fields["sweeps"] = .int(sweeps ?? 300)
      fields["trotter"] = .int(trotter)
    case .sa: fields["sweeps"] = .int(sweeps ?? 1000)
    case .tabu: break
    }
    fields["sampler"] = .string(sampler.rawValue)
    do {
      return try SamplerConfiguration(json: .object(fields))
    } catch {
      throw CLIError.badInput("sampler: \(error)")
    }
  }

  func run() throws {
    guard let dataset else { return try runModel() }
    let t0 = Date()
    let data = try loadDataset(dataset)
    let quantizer = try Quantizer(
      bits: bits, scaleRule: scale, inputs: inputs, solver: try roundingSolver())
    var experiment = QuantizationExperiment(quantizer: quantizer)
    experiment.roundingMethods = try roundingMethods()
    experiment.hidden = try parseHidden(hidden ?? "32")
    experiment.activation = activation ?? .tanh
    experiment.l2 = l2 ?? 1e-3
    experiment.calibration = try calibrationCount()
    experiment.rounds = rounds ?? 1
    experiment.fineTuneIterations = iterations
    let list = try seedList()
    // The split's sizes do not depend on the seed: a split with no test rows
    // or fewer training rows than --calibration is bad input, found here.
    do {
      let (train, _) = try data.stratifiedSplit(testFraction: experiment.testFraction, seed: 1)
      if let k = experiment.calibration, k > train.count {
        throw CLIError.badInput(
          "--calibration \(k) is more than the \(train.count) training rows of \(data.name)")
      }
    } catch let error as ShapeError {
      throw CLIError.badInput(error.description)
    }
    let cpuStart = StageClock.cpuSeconds
    let progress = StageProgress()
    let box = SeedResults(count: list.count)
    let workers = min(jobs ?? 1, list.count)
    let run = experiment
    let seedLine: @Sendable (Int, QuantizationExperiment.SeedResult, Double) -> String = {
      k, r, seconds in
      var text = ""
      if verbose { for line in r.notes { text += "  seed \(r.seed): \(line)\n" } }
      for h in r.hybrid where r.hybrid.count > 1 {
        text +=
          String(
            format: "  seed %llu hybrid round %d: training loss %.5f, test %.4f", r.seed,
            h.round, h.trainingLoss, h.testAccuracy) + (h.kept ? "" : " (not kept)") + "\n"
      }
      // The fine-tuned accuracy of every method run (not only anneal's).
      let tuned = run.roundingMethods.map {
        String(format: "%@+finetune %.4f", $0.rawValue, r.accuracy[$0.rawValue + "+finetune"] ?? .nan)
      }
      return text
        + String(format: "seed %llu (%d/%d): float %.4f, ", r.seed, k + 1, list.count, r.accuracy["float"] ?? .nan)
        + tuned.joined(separator: ", ") + String(format: ", %.1f s", seconds)
    }
    // Seeds are independent and deterministic: any number of workers gives
    // the same results; worker w runs seeds w, w + jobs, ….
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      for k in stride(from: w, to: list.count, by: workers) where !box.failed {
        let start = Date()
        do {
          let r = try run.run(data, seed: list[k]) { stage in
            if workers == 1 { progress.show("[\(k + 1)/\(list.count)] \(stage)") }
          }
          if workers == 1 { progress.clear() }
          box.store(k, r, line: seedLine(k, r, Date().timeIntervalSince(start)))
        } catch {
          if workers == 1 { progress.clear() }
          box.fail("seed \(list[k]): \(error)")
        }
      }
    }
    if let message = box.failure { throw CLIError.failure(message) }
    let results = box.results.compactMap { $0 }
    let report = QuantizeReport(
      dataset: data.name, bits: bits, sampler: sampler.rawValue, scale: scale.rawValue,
      inputs: inputs.rawValue, roundingMethods: experiment.roundingMethods, results: results,
      seconds: Date().timeIntervalSince(t0), cpuSeconds: StageClock.cpuSeconds - cpuStart,
      jobs: workers)
    if let plot {
      let after = plot.hasSuffix(".svg") ? String(plot.dropLast(4)) + "-finetuned.svg" : plot + "-finetuned.svg"
      do {
        try report.energyAccuracyPlot(fineTuned: false).write(
          toFile: plot, atomically: true, encoding: .utf8)
        try report.energyAccuracyPlot(fineTuned: true).write(
          toFile: after, atomically: true, encoding: .utf8)
      } catch {
        throw CLIError.failure("--plot: cannot write \(plot): \(error.localizedDescription)")
      }
    }
    print(json ? report.json.serialized() : report.table)
  }
}

/// Per-seed results filled in by concurrent workers, and the first failure.
final class SeedResults: Sendable {
  private struct State {
    var slots: [QuantizationExperiment.SeedResult?]
    var error: String?
  }
  private let state: Mutex<State>

  init(count: Int) { state = Mutex(State(slots: Array(repeating: nil, count: count))) }

  /// Stores seed `k`'s result and prints its progress line.
  func store(_ k: Int, _ result: QuantizationExperiment.SeedResult, line: String) {
    state.withLock {
      $0.slots[k] = result
      stderrLine(line)
    }
  }

  /// Records a failure (the first one wins); workers stop taking seeds.
  func fail(_ message: String) { state.withLock { if $0.error == nil { $0.error = message } } }

  var failed: Bool { state.withLock { $0.error != nil } }
  var failure: String? { state.withLock { $0.error } }
  var results: [QuantizationExperiment.SeedResult?] { state.withLock { $0.slots } }
}
