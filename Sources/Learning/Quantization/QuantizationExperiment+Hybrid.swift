/// One round of the hybrid loop.
public struct HybridRound: Sendable, Equatable {
  /// The round (1 is the first anneal + fine-tune).
  public var round: Int
  /// The training loss after the round's fine-tune.
  public var trainingLoss: Double
  /// The test accuracy after the round.
  public var testAccuracy: Double
  /// The summed QUBO energy per layer of the round's annealed bits.
  public var energies: [Double]
  /// Whether the round was kept (its training loss improved on the last
  /// kept round's).
  public var kept: Bool
}

extension QuantizationExperiment {
  /// The hybrid loop after the first anneal + fine-tune: rebuild every
  /// rounding QUBO at the fine-tuned scales, anneal again from the current
  /// codes, fine-tune the scales and biases again; stop when the training
  /// loss does not improve or after `rounds` rounds in all.
  ///
  /// - Returns: the best network (lowest training loss) and every round,
  ///   round 1 being the given one.
  func hybrid(
    from first: QuantizedNetwork, firstLoss: Double, firstEnergies: [Double], float: MLP,
    calibration: Dataset, train: Dataset, test: Dataset, seed: UInt64,
    progress: (String) -> Void
  ) throws -> (network: QuantizedNetwork, rounds: [HybridRound]) {
    var best = first
    var bestLoss = firstLoss
    var log = [
      HybridRound(
        round: 1, trainingLoss: firstLoss, testAccuracy: try first.network.accuracy(test),
        energies: firstEnergies, kept: true)
    ]
    guard rounds > 1 else { return (best, log) }
    for r in 2...rounds {
      progress("seed \(seed): hybrid round \(r)")
      var timing = QuantizationTiming()
      var (next, energies) = try quantizer.quantize(
        float, calibration: calibration.features, rows: calibration.count, method: .anneal,
        seed: seed &+ UInt64(r) &* 0x51_7CC1_B727_220A, timing: &timing,
        scales: best.scales.map { $0.map { abs($0) > 0 ? abs($0) : 1 } }, start: best)
      next.biases = best.biases
      for l in next.scales.indices {
        for j in next.scales[l].indices where best.scales[l][j] < 0 {
          // A negative fitted scale: the QUBO used |s|; keep the sign.
          next.scales[l][j] = -next.scales[l][j]
          next.codes[l].withUnsafeMutableBufferPointer { c in
            let fanIn = next.sizes[l]
            for i in (j * fanIn)..<((j + 1) * fanIn) { c[i] = -c[i] }
          }
        }
      }
      let tuned = try next.fineTune(on: train, l2: l2, maxIterations: fineTuneIterations)
      let kept = tuned.loss < bestLoss - 1e-9
      log.append(
        HybridRound(
          round: r, trainingLoss: tuned.loss, testAccuracy: try next.network.accuracy(test),
          energies: energies, kept: kept))
      guard kept else { break }
      best = next
      bestLoss = tuned.loss
    }
    return (best, log)
  }
}
