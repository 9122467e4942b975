import Annealing
import QUBOModel

/// A sweep: instances × samplers × grid points × seeds, each combination a
/// cell of `reads` reads, and the target energy that counts as solved.
///
/// ```yaml
/// name: example
/// seed: 7
/// reads: 50             # per cell
/// seeds: 2              # cells per grid point (or a list of seeds)
/// budget_seconds: 240   # no cell starts after this
/// tts_unit: seconds     # or spin_updates
/// instances:
///   - files: [G11.gset]   # relative to the spec; globs allowed
///     format: gset
///     target: {best_known: best_known.csv}   # or {energy: -42}, best_found
///   - generator: frustrated_loops
///     graph: regular3     # or cubic
///     sizes: [16, 32]     # vertices (regular3) or side L (cubic)
///     seeds: [1, 2, 3]
///   - generator: weak_strong_clusters
///     sizes: [2, 4, 8]    # weak-strong pairs (16 spins each)
///     seeds: [1, 2]
/// samplers:
///   - sampler: sa
///     beta_range: [0.1, 3]
///     grid: {sweeps: [10, 100, 1000]}
/// ```
public struct SweepSpec: Sendable {
  /// The sweep's name (reports and plot titles).
  public var name: String
  /// Seeds every cell's generator (with the cell's key) and the bootstraps.
  public var seed: UInt64
  /// Reads per cell (a sampler's own `reads` overrides it).
  public var reads: Int
  /// The seeds of a grid point's cells; a point's reads pool over them.
  public var seeds: [UInt64]
  /// Threads per cell (default 1: parallelism comes from `--workers`).
  public var threads: Int
  /// Wall-clock seconds after which no new cell starts (nil: no budget).
  public var budgetSeconds: Double?
  /// What t_read in TTS99 counts.
  public var ttsUnit: TTSUnit
  /// The quantile over instances that optimal TTS minimises (0.5).
  public var quantile: Double
  /// Bootstrap resamples.
  public var resamples: Int
  /// Where instances come from.
  public var instances: [InstanceSource]
  /// The samplers and their grids.
  public var samplers: [SamplerGrid]
  /// The directory relative file names are resolved against.
  public var baseDirectory: String
}

/// The unit of t_read, the cost of one read, in TTS99.
public enum TTSUnit: String, Sendable, CaseIterable {
  /// Wall-clock seconds of sampling per read (threads × seconds / reads).
  case seconds
  /// Spin-update attempts per read: machine-independent and reproducible.
  case spinUpdates = "spin_updates"
}

/// Which energy counts as solved.
public enum TargetRule: Sendable, Equatable {
  /// The `best_known` column of a CSV laid out like
  /// `benchmarks/best_known.csv` (`set,instance,n,…,best_known,…`), in the
  /// file format's own objective, converted to an energy.
  case bestKnown(path: String)
  /// A given energy.
  case energy(Double)
  /// The generator's planted ground energy.
  case planted
  /// The lowest energy any cell of the sweep found for the instance.
  case bestFound
}

/// Where a group of instances comes from.
public enum InstanceSource: Sendable {
  /// Model files (paths or glob patterns) in one format.
  case files(patterns: [String], format: ModelFormat, target: TargetRule)
  /// Planted instances (frustrated loops, weak-strong clusters).
  case planted(PlantedSource)
}

/// A planted-instance generator over sizes and seeds.
public struct PlantedSource: Sendable {
  /// The graph family of frustrated loops.
  public enum Graph: String, Sendable, CaseIterable {
    /// Periodic L×L×L cubic lattice; sizes are L.
    case cubic
    /// Random 3-regular graphs; sizes are vertex counts.
    case regular3
  }
  /// Which generator, with its parameters.
  public enum Generator: Sendable {
    /// Frustrated loops on a graph family.
    case frustratedLoops(Graph, FrustratedLoops)
    /// Weak-strong cluster networks; sizes are numbers of pairs.
    case weakStrongClusters(WeakStrongClusters)
  }
  /// The generator.
  public var generator: Generator
  /// Sizes (L, N or pairs).
  public var sizes: [Int]
  /// One instance per seed and size.
  public var seeds: [UInt64]
  /// The target (planted, or best found).
  public var target: TargetRule
}

/// A sampler with fixed parameters and a grid over others.
public struct SamplerGrid: Sendable {
  /// The name in reports and legends (default: the sampler's name).
  public var label: String
  /// The sampler.
  public var kind: SamplerKind
  /// The fixed parameters as written (with the spec's `reads` and
  /// `threads` filled in), shared by every point.
  public var fixed: [String: JSONValue]
  /// The grid's keys, in order (the first varies slowest).
  public var gridKeys: [String]
  /// Each grid point: the grid keys' values.
  public var points: [[String: JSONValue]]
  /// The configuration of each point (fixed parameters, reads and the
  /// point's values), validated.
  public var configurations: [SamplerConfiguration]
}
