// Generated instances are made once per output directory: the run that lays
// out the plan writes each one (the model as dimod JSON beside a record of
// the generator's arguments, what it planted and the model's fingerprint)
// into `DIR/instances/`, and worker processes read them back instead of
// generating again. A record whose arguments differ from the spec's, or
// whose model no longer matches its fingerprint, is regenerated.

import Annealing
import Foundation
import QUBOModel

/// Planted instances, generated or read from a cache directory.
struct GeneratedInstanceCache {
  /// Where instances are kept (nil: generate every time, keep nothing).
  var directory: String?

  /// Bumped when the generator's output for the same arguments changes.
  static let generatorVersion = 2

  /// The instance of `source` at `size` and `seed`, and whether it was
  /// generated now (and is not in the cache yet).
  ///
  /// - Throws: `SweepSpecError` at `key` when the graph or the loops cannot
  ///   be built as asked.
  func instance(_ source: PlantedSource, size: Int, seed: UInt64, key: String) throws
    -> (instance: SweepInstance, generated: Bool)
  {
    let name: String
    let family: String
    var arguments: [String: JSONValue] = [
      "version": .int(Self.generatorVersion), "size": .int(size),
      "seed": .int(Int(truncatingIfNeeded: seed)),
    ]
    switch source.generator {
    case .frustratedLoops(let graph, let loops):
      switch graph {
      case .cubic: name = "fl-cubic-L\(size)-s\(seed)"
      case .regular3: name = "fl-r3-n\(size)-s\(seed)"
      }
      family = "\(graph.rawValue) loops"
      arguments["generator"] = .string("frustrated_loops")
      arguments["graph"] = .string(graph.rawValue)
      arguments["density"] = .double(loops.density)
      arguments["max_coupling"] = .double(loops.maxCoupling)
      arguments["min_length"] = .int(loops.minLength)
    case .weakStrongClusters(let clusters):
      name = "wsc-m\(size)-s\(seed)"
      family = "weak-strong clusters"
      arguments["generator"] = .string("weak_strong_clusters")
      arguments["cluster_side"] = .int(clusters.side)
      arguments["weak_field"] = .double(clusters.weakField)
    }
    if let cached = read(name: name, family: family, arguments: arguments) {
      return (cached, false)
    }
    var rng = SplitMix64(seed: SplitMix64.mix(seed ^ 0x5EED_F00D) ^ UInt64(size))
    let planted: PlantedInstance
    do {
      switch source.generator {
      case .frustratedLoops(let graph, let loops):
        let g: PlantingGraph
        switch graph {
        case .cubic: g = try .cubicLattice(side: size)
        case .regular3: g = try .randomRegular3(vertices: size, using: &rng)
        }
        planted = try loops.generate(on: g, using: &rng)
      case .weakStrongClusters(let clusters):
        planted = try clusters.generate(pairs: size, using: &rng)
      }
    } catch let error as PlantingError {
      throw SweepSpecError(key: key, "\(name): \(error)")
    }
    var record = arguments
    record["loops"] = .int(planted.loops)
    record["ground_energy"] = .double(planted.groundEnergy)
    record["loop_search"] = .string(planted.search?.rawValue ?? "")
    let instance = SweepInstance(
      name: name, family: family, model: planted.model, target: nil,
      targetSource: "best_found", generator: record)
    return (instance, true)
  }

  private func paths(_ name: String) -> (record: String, model: String)? {
    guard let directory else { return nil }
    let base = (directory as NSString).appendingPathComponent(name)
    return (base + ".generator.json", base + ".json")
  }

  /// The cached instance, if its record matches `arguments` and its model
  /// its fingerprint.
  private func read(name: String, family: String, arguments: [String: JSONValue])
    -> SweepInstance?
  {
    guard let (recordPath, modelPath) = paths(name),
      let data = FileManager.default.contents(atPath: recordPath),
      case .object(let record)? = try? JSONValue(parsing: data),
      record["arguments"] == .string(JSONValue.object(arguments).serialized()),
      case .string(let stored)? = record["fingerprint"],
      let loops = record["loops"], let ground = record["ground_energy"],
      let search = record["loop_search"],
      let loaded = try? ModelFile.read(path: modelPath, format: .json)
    else { return nil }
    var generated = arguments
    generated["loops"] = loops
    generated["ground_energy"] = ground
    generated["loop_search"] = search
    let instance = SweepInstance(
      name: name, family: family, model: loaded.model, target: nil,
      targetSource: "best_found", generator: generated)
    guard String(instance.fingerprint, radix: 16) == stored else { return nil }
    return instance
  }

  /// Writes `instance` into the cache (best effort: a run without a writable cache still
  /// works, its workers generate their own copies).
  func write(_ instance: SweepInstance) {
    guard let (recordPath, modelPath) = paths(instance.name), let directory,
      var record = instance.generator, let loops = record.removeValue(forKey: "loops"),
      let ground = record.removeValue(forKey: "ground_energy"),
      let search = record.removeValue(forKey: "loop_search")
    else { return }
    let stored: [String: JSONValue] = [
      "arguments": .string(JSONValue.object(record).serialized()),
      "fingerprint": .string(String(instance.fingerprint, radix: 16)),
      "loops": loops, "ground_energy": ground, "loop_search": search,
    ]
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
      let temporary = modelPath + ".\(getpid()).tmp.json"
      try ModelFile.write(instance.model, to: temporary, format: .json)
      _ = rename(temporary, modelPath)
      let text = JSONValue.object(stored).serialized(pretty: true) + "\n"
      try text.write(toFile: recordPath, atomically: true, encoding: .utf8)
    } catch {
      return
    }
  }
}
