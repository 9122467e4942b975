import Annealing
import Foundation
import QUBOModel

/// An instance of a sweep, loaded or generated, with its target.
public struct SweepInstance: Sendable {
  /// A unique name: the file's base name, or `fl-cubic-L4-s1` style.
  public var name: String
  /// The family it belongs to (one per instance source), for optimal-TTS
  /// curves over size.
  public var family: String
  /// The model to minimise.
  public var model: BinaryQuadraticModel
  /// The frozen spin form the samplers run on.
  public var problem: IsingProblem
  /// The content hash of `problem` (part of every cell key).
  public var fingerprint: UInt64
  /// The size plotted on optimal-TTS axes: the number of variables.
  public var size: Int { model.numVariables }
  /// The target energy, when known before running (nil: best found).
  public var target: Double?
  /// Where the target comes from: `best_known`, `energy`, `planted` or
  /// `best_found`.
  public var targetSource: String
  /// For a generated instance: the generator's arguments and what it
  /// planted (loops, ground energy); nil for files.
  public var generator: [String: JSONValue]?

  /// An instance from its model; computes the frozen form and fingerprint.
  public init(
    name: String, family: String, model: BinaryQuadraticModel, target: Double?,
    targetSource: String, generator: [String: JSONValue]? = nil
  ) {
    self.name = name
    self.family = family
    self.model = model
    problem = IsingProblem(model)
    fingerprint = InstanceFingerprint.of(problem)
    self.target = target
    self.targetSource = targetSource
    self.generator = generator
  }
}

/// Loading instances and their targets from a spec's sources.
enum InstanceLoader {
  /// The instances of `spec`; generated ones are read from `cache` when an
  /// earlier run (the parent of these workers) wrote them there with the
  /// same generator arguments, and written there otherwise.
  static func load(_ spec: SweepSpec, cache: String? = nil) throws -> [SweepInstance] {
    var out: [SweepInstance] = []
    var generated: [SweepInstance] = []
    let cache = GeneratedInstanceCache(directory: cache)
    var csvCache: [String: [String: Double]] = [:]
    for (k, source) in spec.instances.enumerated() {
      let path = "instances[\(k)]"
      switch source {
      case .files(let patterns, let format, let target):
        for (j, pattern) in patterns.enumerated() {
          let files = try Glob.expand(pattern, in: spec.baseDirectory, key: "\(path).files[\(j)]")
          for file in files {
            let loaded: LoadedModel
            do {
              loaded = try ModelFile.read(path: file, format: format)
            } catch {
              throw SweepSpecError(key: "\(path).files[\(j)]", "\(error)")
            }
            let name = Self.baseName(file)
            var instance = SweepInstance(
              name: name,
              family: patterns.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "),
              model: loaded.model,
              target: nil, targetSource: "best_found")
            switch target {
            case .bestFound, .planted: break
            case .energy(let e):
              instance.target = e
              instance.targetSource = "energy"
            case .bestKnown(let csv):
              let csvPath = Glob.resolve(csv, in: spec.baseDirectory)
              if csvCache[csvPath] == nil {
                csvCache[csvPath] = try BestKnownTable.read(
                  csvPath, key: "\(path).target.best_known")
              }
              guard let value = csvCache[csvPath]?[name] else {
                throw SweepSpecError(
                  key: "\(path).target.best_known", "\(csv) has no row for instance '\(name)'")
              }
              instance.target = loaded.objective?.energy(value: value) ?? value
              instance.targetSource = "best_known"
            }
            out.append(instance)
          }
        }
      case .planted(let source):
        for size in source.sizes {
          for seed in source.seeds {
            var (instance, fresh) = try cache.instance(source, size: size, seed: seed, key: path)
            if fresh { generated.append(instance) }
            switch source.target {
            case .planted:
              instance.target = instance.generator?["ground_energy"]?.doubleValue
              instance.targetSource = "planted"
            case .energy(let e):
              instance.target = e
              instance.targetSource = "energy"
            case .bestFound, .bestKnown: break
            }
            out.append(instance)
          }
        }
      }
    }
    var seen = Set<String>()
    for i in out where !seen.insert(i.name).inserted {
      throw SweepSpecError(key: "instances", "two instances are named '\(i.name)'")
    }
    // Only a spec that loads in full leaves files behind.
    generated.forEach(cache.write)
    return out
  }

  static func baseName(_ path: String) -> String {
    let file = (path as NSString).lastPathComponent
    let stem = (file as NSString).deletingPathExtension
    return stem.isEmpty ? file : stem
  }
}
