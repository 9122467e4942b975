import Annealing
import QUBOModel

/// A spec with its instances loaded and its cells laid out; building it
/// checks everything a run needs, so errors come before the first cell.
public struct SweepPlan: Sendable {
  /// The spec.
  public var spec: SweepSpec
  /// The instances, in spec order.
  public var instances: [SweepInstance]
  /// The cells: instances × samplers × grid points × seeds, in that order.
  public var cells: [SweepCell]

  /// Loads the instances of `spec` and lays out its cells.
  ///
  /// - Throws: `SweepSpecError` naming the key of a missing or unreadable
  ///   instance file or best-known table.
  public init(spec: SweepSpec) throws {
    self.spec = spec
    instances = try InstanceLoader.load(spec)
    var cells: [SweepCell] = []
    for (i, instance) in instances.enumerated() {
      for (s, sampler) in spec.samplers.enumerated() {
        for p in sampler.points.indices {
          let reads = sampler.configurations[p].readOptions.reads
          for seed in spec.seeds {
            let key = [
              instance.name, sampler.label, JSONValue.object(sampler.points[p]).serialized(),
              "reads=\(reads)", "seed=\(seed)", "spec_seed=\(spec.seed)",
            ].joined(separator: "|")
            let rngSeed = SplitMix64.mix(spec.seed &+ SweepCell.stableHash(key))
            cells.append(
              SweepCell(
                index: cells.count, key: key, instance: i, sampler: s, point: p, seed: seed,
                rngSeed: rngSeed))
          }
        }
      }
    }
    self.cells = cells
  }

  /// Runs `cell`: the point's sampler on the instance's frozen problem,
  /// with a generator seeded by the cell.
  public func run(_ cell: SweepCell, problem: IsingProblem) throws -> CellResult {
    let instance = instances[cell.instance]
    let grid = spec.samplers[cell.sampler]
    let configuration = grid.configurations[cell.point]
    var rng = Xoshiro256PlusPlus(seed: cell.rngSeed)
    let samples = try configuration.sampler.sample(problem, of: instance.model, using: &rng)
    return CellResult(
      key: cell.key, instance: instance.name, sampler: grid.label,
      parameters: grid.points[cell.point], seed: cell.seed, energies: samples.energies,
      spinUpdates: samples.info["spin_updates"]?.doubleValue ?? 0,
      seconds: samples.info["sample_seconds"]?.doubleValue ?? 0,
      threads: configuration.readOptions.threads)
  }
}
