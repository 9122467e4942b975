import Anneal
import ArgumentParser
import Foundation
import Learning
import ONNX

/// `--method` of `anneal quantize MODEL.onnx`.
enum ModelMethod: String, ExpressibleByArgument, CaseIterable {
  case anneal, gptq, greedy, rtn, best

  /// The rounding methods run, simplest first (the order ties are broken in).
  var rounding: [RoundingMethod] {
    switch self {
    case .anneal: return [.anneal]
    case .gptq: return [.gptq]
    case .greedy: return [.greedy]
    case .rtn: return [.rtn]
    case .best: return [.rtn, .greedy, .gptq, .anneal]
    }
  }
}

/// The largest layer input width quantized (its Gram matrix is width²).
let maximumFanIn = 4096

extension Quantize {
  /// `anneal quantize MODEL.onnx --data FILE`: read, quantize, fine-tune,
  /// report, write.
  func runModel() throws {
    guard let path = model, let dataPath = data else {
      throw CLIError.badInput("MODEL.onnx needs --data FILE.csv|FILE.npy")
    }
    let clock = StageClock()
    let onnx: ONNXModel
    do {
      onnx = try ONNXModel(contentsOf: path)
    } catch let error as ONNXError {
      throw CLIError.badInput(error.description)
    }
    let float = onnx.network
    if let wide = float.sizes.dropLast().first(where: { $0 > maximumFanIn }) {
      throw CLIError.badInput("\(path): a layer takes \(wide) inputs; at most \(maximumFanIn) are supported")
    }
    let matrix: FeatureMatrix
    do {
      matrix = try FeatureMatrix.load(contentsOf: dataPath, labels: labels)
    } catch let error as DatasetError {
      throw CLIError.badInput(error.description)
    }
    guard matrix.columns == float.sizes[0] else {
      throw CLIError.badInput(
        "\(dataPath): rows have \(matrix.columns) features\(labels ? " (and a label)" : ""), "
          + "the model takes \(float.sizes[0]) inputs")
    }
    if let y = matrix.labels, let bad = y.firstIndex(where: { $0 >= float.classCount }) {
      throw CLIError.badInput(
        "\(dataPath): row \(bad + 1): label \(y[bad]) is not one of the model's "
          + "\(float.classCount) classes")
    }
    // A runtime reads float32 inputs: compute on exactly those values.
    let x = matrix.values.map { Double(Float($0)) }
    let n = matrix.rows
    let calibrationRows = try modelCalibrationRows(n)
    let calibX = calibrationRows.flatMap { x[($0 * matrix.columns)..<(($0 + 1) * matrix.columns)] }
    let calibY = matrix.labels.map { y in calibrationRows.map { y[$0] } }
    clock.mark("read")

    var ptq = try PostTrainingQuantization(
      bits: bits, scaleRule: scale,
      solver: RoundingSolver(annealer: try annealer(), sqaBetaScale: betaScale))
    ptq.quantizer.inputs = inputs
    ptq.fineTuneIterations = iterations
    ptq.l2 = l2 ?? 0
    ptq.frozenBiases = onnx.layersWithoutBias
    var results = [ModelMethodResult]()
    let progress = StageProgress()
    for m in method.rounding {
      progress.show("quantizing \(path) by \(m.rawValue) …")
      let r = try ptq.quantize(
        float, calibration: calibX, rows: calibrationRows.count, labels: calibY, method: m,
        seed: seed ?? 1)
      let stored = onnx.storable(r.network)
      let agreement = try Agreement(
        float: float, quantized: stored.network, inputs: x, rows: n, labels: matrix.labels)
      results.append(ModelMethodResult(result: r, stored: stored, agreement: agreement))
      clock.mark(m.rawValue)
    }
    progress.clear()
    guard
      let chosen = results.indices.min(by: {
        (results[$0].loss, $0) < (results[$1].loss, $1)
      })
    else { throw CLIError.failure("no method ran") }
    let destination = output ?? Self.defaultOutput(path, bits: bits)
    let bytes: Data
    do {
      bytes = try onnx.serialized(results[chosen].stored, form: qdq ? .qdq : .floats)
    } catch let error as ONNXError {
      throw CLIError.failure(error.description)
    }
    do {
      try bytes.write(to: URL(fileURLWithPath: destination), options: .atomic)
    } catch {
      throw CLIError.failure("cannot write \(destination): \(error.localizedDescription)")
    }
    clock.mark("write")
    let report = ModelQuantizeReport(
      model: path, output: destination, form: qdq ? "qdq" : "floats", bits: bits,
      method: method.rawValue, data: dataPath, rows: n, calibrationRows: calibrationRows.count,
      labels: labels, input: onnx.inputName, outputs: onnx.outputNames, sizes: float.sizes,
      results: results, chosen: chosen, clock: clock)
    print(json ? report.json.serialized() : report.table)
  }

  /// The calibration rows of `--data`: all, or `--calibration N` of them
  /// drawn by a seeded shuffle (in file order).
  func modelCalibrationRows(_ n: Int) throws -> [Int] {
    guard let k = try calibrationCount() else { return Array(0..<n) }
    guard k <= n else {
      throw CLIError.badInput("--calibration \(k) is more than the \(n) rows of --data")
    }
    var rng = Xoshiro256PlusPlus(seed: (seed ?? 1) ^ 0xC0FF_EE00)
    var rows = Array(0..<n)
    rows.shuffle(using: &rng)
    return rows[..<k].sorted()
  }

  /// `dir/name.q<bits>.onnx` beside `path`.
  static func defaultOutput(_ path: String, bits: Int) -> String {
    let url = URL(fileURLWithPath: path)
    let stem = url.deletingPathExtension().lastPathComponent
    return url.deletingLastPathComponent().appendingPathComponent("\(stem).q\(bits).onnx").path
  }
}

/// One method's quantization of an ONNX model, as stored in the file.
struct ModelMethodResult {
  var result: PostTrainingQuantization.Result
  /// The network with the float32 scales and biases the file holds.
  var stored: QuantizedNetwork
  /// Against the float model, on every row of --data.
  var agreement: Agreement

  /// The fine-tuning loss on the calibration rows (before, without
  /// fine-tuning): what `--method best` minimises.
  var loss: Double { result.lossAfter ?? result.lossBefore ?? result.agreement.kl }
}

/// Wall-clock seconds per stage, one after another, and CPU seconds of the
/// process.
final class StageClock {
  private let start = Date()
  private var last = Date()
  private(set) var stages = [(name: String, seconds: Double)]()

  /// Ends the current stage, named `name`.
  func mark(_ name: String) {
    let now = Date()
    stages.append((name, now.timeIntervalSince(last)))
    last = now
  }

  /// Wall-clock seconds since the clock was made.
  var total: Double { Date().timeIntervalSince(start) }

  /// User + system CPU seconds of this process so far.
  static var cpuSeconds: Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }
}
