import Anneal
import Foundation
import Learning

/// What `anneal quantize MODEL.onnx` prints: per method, agreement with the
/// float model (and accuracy with labels), the QUBO energies, the chosen
/// method and the written file; a table or one JSON object.
struct ModelQuantizeReport {
  var model: String
  var output: String
  var form: String
  var bits: Int
  var method: String
  var data: String
  var rows: Int
  var calibrationRows: Int
  var labels: Bool
  var input: String
  var outputs: [String]
  var sizes: [Int]
  var results: [ModelMethodResult]
  var chosen: Int
  var clock: StageClock

  func methodJSON(_ r: ModelMethodResult) -> JSONValue {
    var o: [String: JSONValue] = [
      "agreement": rounded(r.agreement.top1, 9), "kl": rounded(r.agreement.kl, 9),
      "qubo_energy": .array(r.result.quboEnergies.map { rounded($0, 9) }),
      "finetune_iterations": .int(r.result.iterations),
      "calibration_agreement": rounded(r.result.agreement.top1, 9),
    ]
    if let a = r.agreement.accuracy { o["accuracy"] = rounded(a, 9) }
    if let b = r.result.lossBefore { o["finetune_loss_before"] = rounded(b, 9) }
    if let a = r.result.lossAfter { o["finetune_loss_after"] = rounded(a, 9) }
    return .object(o)
  }

  var json: JSONValue {
    let best = results[chosen]
    var o: [String: JSONValue] = [
      "model": .string(model), "output": .string(output), "form": .string(form),
      "bits": .int(bits), "method": .string(method), "chosen": .string(best.result.method),
      "data": .string(data), "rows": .int(rows), "calibration_rows": .int(calibrationRows),
      "labels": .bool(labels), "input": .string(input), "outputs": .array(outputs.map(JSONValue.string)),
      "sizes": .array(sizes.map(JSONValue.int)),
      "agreement": rounded(best.agreement.top1, 9), "kl": rounded(best.agreement.kl, 9),
      "methods": .object(
        Dictionary(uniqueKeysWithValues: results.map { ($0.result.method, methodJSON($0)) })),
      "seconds": rounded(clock.total, 3),
      "cpu_seconds": rounded(StageClock.cpuSeconds, 3),
      "timing": .object(
        Dictionary(
          clock.stages.map { ($0.name, rounded($0.seconds, 3)) }, uniquingKeysWith: { a, _ in a })),
    ]
    if let a = best.agreement.accuracy { o["accuracy"] = rounded(a, 9) }
    if let f = best.agreement.floatAccuracy { o["float_accuracy"] = rounded(f, 9) }
    return .object(o)
  }

  var table: String {
    var lines = [
      "\(model): \(sizes.map(String.init).joined(separator: "-")), \(bits) bits, "
        + "\(rows) rows of \(data) (\(calibrationRows) for calibration)"
    ]
    var header = "method    agreement        KL"
    if labels { header += "  accuracy" }
    lines.append(header)
    if let f = results.first?.agreement.floatAccuracy {
      lines.append("float         1.0000    0.0000" + String(format: "    %.4f", f))
    }
    for (k, r) in results.enumerated() {
      var line = r.result.method.padding(toLength: 10, withPad: " ", startingAt: 0)
      line += String(format: "%9.4f %9.5f", r.agreement.top1, r.agreement.kl)
      if let a = r.agreement.accuracy { line += String(format: "    %.4f", a) }
      if k == chosen && results.count > 1 { line += "   (kept)" }
      lines.append(line)
    }
    lines.append("wrote \(output) (\(form)); input '\(input)', outputs \(outputs.map { "'\($0)'" }.joined(separator: ", "))")
    lines.append(
      String(format: "seconds: %.1f wall, %.1f CPU; ", clock.total, StageClock.cpuSeconds)
        + clock.stages.map { String(format: "%@ %.2f", $0.name, $0.seconds) }.joined(separator: ", "))
    return lines.joined(separator: "\n")
  }
}
