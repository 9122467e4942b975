import Anneal
import Foundation
import Learning

extension RoundingGap {
  /// `--coupled`: block errors of per-neuron and coupled rounding of the
  /// first layer, per seed, then means and paired differences.
  func runCoupled(_ data: Dataset, widths: [Int], quantizer: Quantizer) throws {
    var sa = SamplerConfiguration(.sa)
    try sa.update(with: ["reads": .int(4), "sweeps": .int(1000)])
    var study = CoupledLayerStudy(quantizer: quantizer, sampler: sa)
    study.calibrationRows = calibrationRows
    var results = [(seed: UInt64, result: CoupledLayerStudy.Result)]()
    for s in 0..<count {
      let seed = self.seed + UInt64(s)
      let (train, test) = try QuantizationExperiment.prepare(data, testFraction: 0.25, seed: seed)
      var net = try MLP(
        sizes: [data.featureCount] + widths + [data.classCount], activation: .tanh, seed: seed)
      do {
        _ = try net.train(on: train, l2: 1e-3, maxIterations: 400)
        let r = try study.run(
          net, layer: 0, train: train.features, rows: train.count, test: test.features,
          testRows: test.count, seed: seed)
        results.append((seed, r))
      } catch {
        throw CLIError.failure("seed \(seed): \(error)")
      }
      stderrLine("seed \(seed) done")
    }
    let methods = CoupledLayerStudy.methods
    if json {
      let out: JSONValue = .object([
        "dataset": .string(data.name), "bits": .int(bits),
        "calibration_rows": .int(calibrationRows),
        "seeds": .array(results.map { .int(Int($0.seed)) }),
        "block_error": .object(
          Dictionary(
            uniqueKeysWithValues: methods.map { m in
              (m, JSONValue.array(results.map { rounded($0.result.blockError[m] ?? .nan, 9) }))
            })),
        "calibration_error": .object(
          Dictionary(
            uniqueKeysWithValues: methods.map { m in
              (
                m,
                JSONValue.array(
                  results.map { rounded($0.result.calibrationError[m] ?? .nan, 9) })
              )
            })),
        "held_out_error": .object(
          Dictionary(
            uniqueKeysWithValues: methods.map { m in
              (m, JSONValue.array(results.map { rounded($0.result.heldOutError[m] ?? .nan, 9) }))
            })),
        "variables": .array(results.map { .int($0.result.variables) }),
        "couplings": .array(results.map { .int($0.result.couplings) }),
        "build_seconds": .array(results.map { rounded($0.result.buildSeconds, 3) }),
        "anneal_seconds": .array(results.map { rounded($0.result.annealSeconds, 3) }),
      ])
      print(out.serialized())
      return
    }
    print(
      "coupled first-layer rounding, \(data.name), \(bits) bits, hidden \(hidden), "
        + "coupled QUBO on \(calibrationRows) rows")
    print("block error: all training rows, (calibration rows), [held-out test rows]")
    for (seed, r) in results {
      print(
        "seed \(seed): \(r.variables) variables, \(r.couplings) couplings, "
          + String(format: "built in %.1f s, SA %.1f s", r.buildSeconds, r.annealSeconds))
      for m in methods {
        print(
          String(
            format: "  %@ %.6f (%.6f) [%.6f]",
            m.padding(toLength: 16, withPad: " ", startingAt: 0), r.blockError[m] ?? .nan,
            r.calibrationError[m] ?? .nan, r.heldOutError[m] ?? .nan))
      }
    }
    if results.count > 1 {
      for m in ["coupled-descent", "coupled-sa", "gptq"] {
        let d = Summary(
          paired: results.map { $0.result.heldOutError[m] ?? .nan },
          minus: results.map { $0.result.heldOutError["neuron-exact"] ?? .nan })
        print(
          String(
            format: "held-out %@ − neuron-exact: %+.6f [%+.6f, %+.6f] (paired 95%% t interval)",
            m, d.mean, d.mean - d.halfWidth, d.mean + d.halfWidth))
      }
    }
  }
}
