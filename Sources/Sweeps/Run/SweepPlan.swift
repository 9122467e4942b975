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
  /// - Parameter instanceCache: a directory where generated instances are
  ///   written once and read back by later plans (the workers of a run).
  /// - Throws: `SweepSpecError` naming the key of a missing or unreadable
  ///   instance file or best-known table, or of a generator that cannot
  ///   plant what was asked.
  public init(spec: SweepSpec, instanceCache: String? = nil) throws {
    self.spec = spec
    instances = try InstanceLoader.load(spec, cache: instanceCache)
    var cells: [SweepCell] = []
    for (i, instance) in instances.enumerated() {
      for (s, sampler) in spec.samplers.enumerated() {
        for p in sampler.points.indices {
          // Everything that changes a result: the instance's content, the
          // sampler with every parameter after defaults (writing a default
          // out changes nothing), the fields the resolved form leaves out
          // (initial states), and the seeds.
          let resolved = sampler.configurations[p].json
          var extra = sampler.fixed.merging(sampler.points[p]) { $1 }
          if case .object(let o) = resolved { extra = extra.filter { o[$0.key] == nil } }
          let configuration = resolved.serialized() + JSONValue.object(extra).serialized()
          let fingerprint = String(instance.fingerprint, radix: 16)
          let settings = String(SweepCell.stableHash(configuration), radix: 16)
          for seed in spec.seeds {
            let identity = SweepCell.identity(
              instance: instance.name, sampler: sampler.label, parameters: sampler.points[p],
              seed: seed)
            let key = [
              identity, "instance=\(fingerprint)", "configuration=\(settings)",
              "spec_seed=\(spec.seed)",
            ].joined(separator: "|")
            let rngSeed = SplitMix64.mix(spec.seed &+ SweepCell.stableHash(key))
            cells.append(
              SweepCell(
                index: cells.count, key: key, identity: identity, instance: i, sampler: s,
                point: p, seed: seed, rngSeed: rngSeed))
          }
        }
      }
    }
    self.cells = cells
  }

  /// Runs `cell`: the point's sampler on the instance's frozen problem,
  /// with a generator seeded by the cell.
  public func run(_ cell: SweepCell) throws -> CellResult {
    let instance = instances[cell.instance]
    let grid = spec.samplers[cell.sampler]
    let configuration = grid.configurations[cell.point]
    var rng = Xoshiro256PlusPlus(seed: cell.rngSeed)
    let samples = try configuration.sampler.sample(
      instance.problem, of: instance.model, using: &rng)
    return CellResult(
      key: cell.key, instance: instance.name, sampler: grid.label,
      parameters: grid.points[cell.point], seed: cell.seed, energies: samples.energies,
      spinUpdates: samples.info["spin_updates"]?.doubleValue ?? 0,
      seconds: samples.info["sample_seconds"]?.doubleValue ?? 0,
      threads: configuration.readOptions.threads)
  }
}
