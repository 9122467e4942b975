import Anneal
import ArgumentParser
import Foundation
import Learning

/// `anneal quantize`: post-training quantization of a small network, the
/// rounding chosen by a QUBO solved by an annealer, against RTN, greedy
/// descent and GPTQ, each with and without fine-tuning.
struct Quantize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Quantize a trained network's weights by annealing rounding QUBOs.",
    discussion: """
      Examples:
        anneal quantize --dataset digits --bits 2 --seeds 1-10
        anneal quantize --dataset iris --bits 2 --hidden 8 --sampler sa --json

      Per seed: split and train the float network, then quantize every layer \
      to b-bit signed codes times a per-neuron scale by round-to-nearest (rtn), \
      greedy descent on the rounding QUBO from the rtn bits, GPTQ, and the \
      annealer (--sampler; greedy means descent from the rtn bits); each is \
      then fine-tuned (codes fixed; scales and biases fitted by BFGS).
      With --json, stdout is one object: dataset, bits, sampler, seeds, \
      test_accuracy (method → one fraction per seed), qubo_energy (rtn, \
      greedy, gptq, anneal → per seed, per layer), seconds, timing.
      Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.
      """)

  enum AnnealerChoice: String, ExpressibleByArgument, CaseIterable {
    case sqa, sa, tabu, greedy
  }

  @Option(help: "A shipped dataset (iris, wine, breast_cancer, digits) or a CSV path.")
  var dataset: String

  @Option(help: "Bits per weight (2…8): signed codes −(2^(b−1)−1) … 2^(b−1)−1.")
  var bits: Int

  @Option(help: "Hidden layer widths, e.g. 32 or 64,32.")
  var hidden = "32"

  @Option(help: "Hidden activation: tanh or relu.")
  var activation: Activation = .tanh

  @Option(help: "L2 weight for training and fine-tuning.")
  var l2 = 1e-3

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

  @Option(help: "Calibration rows from the training split: a count or all.")
  var calibration = "all"

  @Option(help: "Layer inputs of the QUBOs: from the float network or the quantized layers.")
  var inputs: CalibrationSource = .float

  @Option(help: "Seeds, e.g. 1,2,3 or 1-10.")
  var seeds: String?

  @Option(help: "A single seed (same as --seeds S).")
  var seed: UInt64?

  @Option(
    help: "Rounds of the hybrid loop: re-anneal at the fine-tuned scales from the current codes.")
  var rounds = 1

  @Option(help: "Seeds run at the same time (results do not depend on it).")
  var jobs = 1

  @Flag(help: "Print one JSON object on stdout instead of tables.")
  var json = false

  @Flag(name: .shortAndLong, help: "Say what the optimisers did, per seed, on stderr.")
  var verbose = false

  func validate() throws {
    guard (2...8).contains(bits) else { throw ValidationError("--bits must be in 2…8") }
    guard l2 >= 0, l2.isFinite else { throw ValidationError("--l2 must be a finite number ≥ 0") }
    guard betaScale > 0, betaScale.isFinite else {
      throw ValidationError("--beta-scale must be a positive number")
    }
    guard reads > 0, trotter > 0, (sweeps ?? 1) > 0 else {
      throw ValidationError("--reads, --sweeps and --trotter must be positive")
    }
    guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be in 1…64") }
    guard (1...50).contains(rounds) else { throw ValidationError("--rounds must be in 1…50") }
    guard seeds == nil || seed == nil else {
      throw ValidationError("give --seeds or --seed, not both")
    }
    _ = try seedList()
    _ = try calibrationCount()
  }

  func seedList() throws -> [UInt64] {
    if let seed { return [seed] }
    guard let text = seeds else { return [1] }
    var out = [UInt64]()
    for part in text.split(separator: ",") {
      let bounds = part.split(separator: "-").map {
        UInt64($0.trimmingCharacters(in: .whitespaces))
      }
      if bounds.count == 1, let a = bounds[0] {
        out.append(a)
      } else if bounds.count == 2, let a = bounds[0], let b = bounds[1], a <= b, b - a < 10_000 {
        out += Array(a...b)
      } else {
        throw ValidationError("--seeds must be numbers or ranges like 1-10, got '\(text)'")
      }
    }
    guard !out.isEmpty else { throw ValidationError("--seeds is empty") }
    return out
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
    let t0 = Date()
    let data = try loadDataset(dataset)
    let quantizer = Quantizer(
      bits: bits, scaleRule: scale, inputs: inputs,
      solver: RoundingSolver(annealer: try annealer(), sqaBetaScale: betaScale))
    var experiment = QuantizationExperiment(quantizer: quantizer)
    experiment.hidden = try parseHidden(hidden)
    experiment.activation = activation
    experiment.l2 = l2
    experiment.calibration = try calibrationCount()
    experiment.rounds = rounds
    let list = try seedList()
    let progress = StageProgress()
    let box = SeedResults(count: list.count)
    let workers = min(jobs, list.count)
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
      return text
        + String(
          format: "seed %llu (%d/%d): float %.4f, anneal+finetune %.4f, %.1f s", r.seed, k + 1,
          list.count, r.accuracy["float"] ?? 0, r.accuracy["anneal+finetune"] ?? 0, seconds)
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
      inputs: inputs.rawValue, results: results,
      seconds: Date().timeIntervalSince(t0))
    print(json ? report.json.serialized() : report.table)
  }
}

/// Per-seed results filled in by concurrent workers, and the first failure.
final class SeedResults: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [QuantizationExperiment.SeedResult?]
  private var error: String?

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  /// Stores seed `k`'s result and prints its progress line.
  func store(_ k: Int, _ result: QuantizationExperiment.SeedResult, line: String) {
    lock.withLock {
      slots[k] = result
      stderrLine(line)
    }
  }

  /// Records a failure (the first one wins); workers stop taking seeds.
  func fail(_ message: String) { lock.withLock { if error == nil { error = message } } }

  var failed: Bool { lock.withLock { error != nil } }
  var failure: String? { lock.withLock { error } }
  var results: [QuantizationExperiment.SeedResult?] { lock.withLock { slots } }
}
