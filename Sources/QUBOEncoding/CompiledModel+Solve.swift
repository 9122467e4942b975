import QUBOModel

// The automatic penalty loop.
//
// Round k instantiates the model with strengths λ^(k), samples it, and
// decodes the rows. When some row is feasible the loop stops and returns
// the feasible row of best objective. Otherwise every constraint broken in
// the lowest-energy row has its strength multiplied by `growth`
// (λ_c ← growth·λ_c, the others unchanged) and the loop goes on, for at most
// `maxRounds` rounds. Raising only the broken constraints keeps the
// landscape as flat as it can be for the sampler.

/// One round of the automatic penalty loop.
public struct PenaltyRound: Sendable {
  /// The strengths used, by constraint name.
  public var penalties: [String: Double]
  /// The lowest energy sampled.
  public var lowestEnergy: Double?
  /// How many rows were feasible.
  public var feasibleCount: Int
  /// The constraints broken in the lowest-energy row.
  public var broken: [String]
}

/// What the automatic penalty loop found, and the strengths it tried.
public struct SolveReport: Sendable {
  /// The feasible sample of best objective in the last round, if any.
  public var solution: Solution?
  /// The lowest-energy sample of the last round, decoded.
  public var lowestEnergy: Solution?
  /// Every round, in order.
  public var rounds: [PenaltyRound]
  /// The samples of the last round.
  public var samples: SampleSet
  /// The strengths of the last round, by constraint name.
  public var penalties: [String: Double] { rounds.last?.penalties ?? [:] }
}

extension CompiledModel {
  /// Samples the model, raising the strengths of broken constraints until a
  /// feasible sample is found or `maxRounds` rounds have run.
  ///
  /// `sample` runs any sampler on a BQM, e.g. with Annealing:
  /// `{ try SimulatedAnnealing(parameters).sample($0, seed: 7) }`.
  ///
  /// - Parameters:
  ///   - values: the placeholders' values.
  ///   - penalties: starting strengths; missing ones start at
  ///     `defaultPenalty(values:)`.
  ///   - growth: the factor (> 1) applied to a broken constraint's strength.
  ///   - maxRounds: the cap on rounds (≥ 1).
  ///   - sample: samples one instantiated BQM.
  /// - Returns: the best feasible sample (if any) and every round's strengths.
  /// - Throws: `EncodingError` for bad values or arguments, and whatever
  ///   `sample` throws.
  public func solve(
    values: [String: Double] = [:], penalties: [String: Double] = [:],
    growth: Double = 2, maxRounds: Int = 8,
    sample: (BinaryQuadraticModel) throws -> SampleSet
  ) throws -> SolveReport {
    guard growth > 1, growth.isFinite else {
      throw EncodingError.invalidArgument("growth must be a finite number > 1, got \(growth)")
    }
    guard maxRounds >= 1 else {
      throw EncodingError.invalidArgument("maxRounds must be at least 1, got \(maxRounds)")
    }
    var strengths = try resolve(values: values, penalties: penalties).penalties
    var rounds: [PenaltyRound] = []
    while true {
      let parameters = try resolve(values: values, penalties: strengths)
      let samples = try sample(instantiate(parameters))
      let cols = try columns(in: samples)
      let feasibleCount = (0..<samples.count).filter {
        isFeasible(assignment(samples, row: $0, columns: cols))
      }.count
      let lowest = try lowestEnergy(samples, values: values)
      let best = feasibleCount > 0 ? try lowestFeasible(samples, values: values) : nil
      let broken = lowest?.broken.map(\.name) ?? []
      rounds.append(
        PenaltyRound(
          penalties: strengths, lowestEnergy: lowest?.energy,
          feasibleCount: feasibleCount, broken: broken))
      if best != nil || rounds.count >= maxRounds {
        return SolveReport(
          solution: best, lowestEnergy: lowest, rounds: rounds, samples: samples)
      }
      // No feasible row: raise what broke in the lowest row, or everything
      // when only integer decodings failed there.
      let raise = broken.isEmpty ? penaltyNames : broken
      for name in raise { strengths[name, default: 1] *= growth }
    }
  }
}
