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
  /// The size plotted on optimal-TTS axes: the number of variables.
  public var size: Int { model.numVariables }
  /// The target energy, when known before running (nil: best found).
  public var target: Double?
  /// Where the target comes from: `best_known`, `energy`, `planted` or
  /// `best_found`.
  public var targetSource: String
}

/// Loading instances and their targets from a spec's sources.
enum InstanceLoader {
  static func load(_ spec: SweepSpec) throws -> [SweepInstance] {
    var out: [SweepInstance] = []
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
            var rng = SplitMix64(seed: SplitMix64.mix(seed ^ 0x5EED_F00D) ^ UInt64(size))
            let graph: PlantingGraph
            let name: String
            switch source.graph {
            case .cubic:
              graph = .cubicLattice(side: size)
              name = "fl-cubic-L\(size)-s\(seed)"
            case .regular3:
              graph = .randomRegular3(vertices: size, using: &rng)
              name = "fl-r3-n\(size)-s\(seed)"
            }
            let planted = source.loops.generate(on: graph, using: &rng)
            var instance = SweepInstance(
              name: name, family: "\(source.graph.rawValue) loops", model: planted.model,
              target: nil, targetSource: "best_found")
            switch source.target {
            case .planted:
              instance.target = planted.groundEnergy
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
    return out
  }

  static func baseName(_ path: String) -> String {
    let file = (path as NSString).lastPathComponent
    let stem = (file as NSString).deletingPathExtension
    return stem.isEmpty ? file : stem
  }
}
