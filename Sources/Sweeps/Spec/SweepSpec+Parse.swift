// Reading a spec: every key is checked, and every grid point becomes a
// `SamplerConfiguration` before any cell runs, so a bad spec fails at once
// with the key path at fault.

import Annealing
import Foundation
import QUBOModel

extension SweepSpec {
  static let topKeys: Set<String> = [
    "name", "seed", "reads", "seeds", "threads", "budget_seconds", "tts_unit", "quantile",
    "resamples", "instances", "samplers",
  ]

  /// Reads the spec file at `path` (YAML or JSON).
  ///
  /// - Throws: `SweepSpecError` with the key path at fault and its line.
  public init(path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SweepSpecError(key: nil, "cannot read the spec file \(path)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw SweepSpecError(key: nil, "not UTF-8 text")
    }
    let dir = (path as NSString).deletingLastPathComponent
    let document = try SpecText.document(text)
    do {
      try self.init(json: document.value, baseDirectory: dir.isEmpty ? "." : dir)
    } catch var error as SweepSpecError {
      if error.line == nil, let key = error.key { error.line = document.line(of: key) }
      throw error
    }
  }

  /// Reads a spec from its JSON value.
  public init(json: JSONValue, baseDirectory: String = ".") throws {
    let top = try Field.object(json, at: nil)
    try Field.rejectUnknown(top, allowed: Self.topKeys, at: nil)
    self.baseDirectory = baseDirectory
    name = try top["name"].map { try Field.string($0, at: "name") } ?? "sweep"
    seed = try top["seed"].map { UInt64(try Field.int($0, at: "seed", min: 0)) } ?? 0
    reads = try top["reads"].map { try Field.int($0, at: "reads", min: 1) } ?? 100
    threads = try top["threads"].map { try Field.int($0, at: "threads", min: 1) } ?? 1
    switch top["seeds"] {
    case nil: seeds = [0]
    case .int(let k)?:
      guard k >= 1 && k <= 100_000 else {
        throw SweepSpecError(key: "seeds", "must be between 1 and 100000, got \(k)")
      }
      seeds = (0..<UInt64(k)).map { $0 }
    case let value?:
      let list = try Field.array(value, at: "seeds")
      seeds = try list.enumerated().map {
        UInt64(try Field.int($1, at: "seeds[\($0)]", min: 0))
      }
      guard !seeds.isEmpty else { throw SweepSpecError(key: "seeds", "must not be empty") }
      try Field.rejectRepeats(list, at: "seeds")
    }
    budgetSeconds = try top["budget_seconds"].map {
      try Field.number($0, at: "budget_seconds", positive: true)
    }
    let unit = try top["tts_unit"].map { try Field.string($0, at: "tts_unit") } ?? "seconds"
    guard let ttsUnit = TTSUnit(rawValue: unit) else {
      throw SweepSpecError(key: "tts_unit", "must be seconds or spin_updates, got \(unit)")
    }
    self.ttsUnit = ttsUnit
    quantile = try top["quantile"].map { try Field.number($0, at: "quantile") } ?? 0.5
    guard quantile > 0 && quantile < 1 else {
      throw SweepSpecError(key: "quantile", "must be between 0 and 1, got \(quantile)")
    }
    resamples = try top["resamples"].map { try Field.int($0, at: "resamples", min: 10) } ?? 1000
    guard resamples <= 1_000_000 else {
      throw SweepSpecError(key: "resamples", "must be at most 1000000, got \(resamples)")
    }
    guard let list = top["instances"] else {
      throw SweepSpecError(key: "instances", "is required: a list of files or generators")
    }
    instances = try Field.array(list, at: "instances").enumerated().map {
      try Self.instanceSource($1, at: "instances[\($0)]")
    }
    guard !instances.isEmpty else {
      throw SweepSpecError(key: "instances", "must list at least one source")
    }
    guard let samplerList = top["samplers"] else {
      throw SweepSpecError(key: "samplers", "is required: a list of samplers with grids")
    }
    let entries = try Field.array(samplerList, at: "samplers")
    guard !entries.isEmpty else {
      throw SweepSpecError(key: "samplers", "must list at least one sampler")
    }
    var grids: [SamplerGrid] = []
    for (k, entry) in entries.enumerated() {
      grids.append(
        try SamplerGrid(entry, at: "samplers[\(k)]", reads: reads, threads: threads))
    }
    var seen = Set<String>()
    for (k, g) in grids.enumerated() where !seen.insert(g.label).inserted {
      throw SweepSpecError(
        key: "samplers[\(k)].label", "'\(g.label)' is used twice; give each sampler a label")
    }
    samplers = grids
  }

  static func instanceSource(_ value: JSONValue, at path: String) throws -> InstanceSource {
    let o = try Field.object(value, at: path)
    if let generator = o["generator"] {
      return .planted(try plantedSource(o, generator: generator, at: path))
    }
    try Field.rejectUnknown(o, allowed: ["files", "format", "target"], at: path)
    guard let files = o["files"] else {
      throw SweepSpecError(key: "\(path).files", "is required (or give a generator)")
    }
    let patterns: [String]
    if case .string(let one) = files {
      patterns = [one]
    } else {
      let list = try Field.array(files, at: "\(path).files")
      guard !list.isEmpty else {
        throw SweepSpecError(key: "\(path).files", "must list at least one file or pattern")
      }
      try Field.rejectRepeats(list, at: "\(path).files")
      patterns = try list.enumerated().map { try Field.string($1, at: "\(path).files[\($0)]") }
    }
    let formatName = try o["format"].map { try Field.string($0, at: "\(path).format") } ?? "auto"
    guard let format = ModelFormat(rawValue: formatName) else {
      let names = ModelFormat.allCases.map(\.rawValue).joined(separator: ", ")
      throw SweepSpecError(key: "\(path).format", "must be one of \(names), got \(formatName)")
    }
    let target = try o["target"].map { try targetRule($0, at: "\(path).target") } ?? .bestFound
    if target == .planted {
      throw SweepSpecError(key: "\(path).target", "planted applies to generated instances only")
    }
    return .files(patterns: patterns, format: format, target: target)
  }

  static func plantedSource(
    _ o: [String: JSONValue], generator: JSONValue, at path: String
  ) throws -> PlantedSource {
    let g = try Field.string(generator, at: "\(path).generator")
    let kind: PlantedSource.Generator
    let shared: Set<String> = ["generator", "sizes", "seeds", "target"]
    switch g {
    case "frustrated_loops":
      try Field.rejectUnknown(
        o, allowed: shared.union(["graph", "density", "max_coupling"]), at: path)
      let graphName = try o["graph"].map { try Field.string($0, at: "\(path).graph") } ?? "cubic"
      guard let graph = PlantedSource.Graph(rawValue: graphName) else {
        throw SweepSpecError(key: "\(path).graph", "must be cubic or regular3, got \(graphName)")
      }
      var loops = FrustratedLoops()
      if let d = o["density"] {
        loops.density = try Field.number(d, at: "\(path).density", positive: true)
      }
      if let r = o["max_coupling"] {
        loops.maxCoupling = try Field.number(r, at: "\(path).max_coupling", positive: true)
      }
      kind = .frustratedLoops(graph, loops)
    case "weak_strong_clusters":
      try Field.rejectUnknown(o, allowed: shared.union(["cluster_side", "weak_field"]), at: path)
      var clusters = WeakStrongClusters()
      if let k = o["cluster_side"] {
        clusters.side = try Field.int(k, at: "\(path).cluster_side", min: 1)
        guard clusters.side <= 64 else {
          throw SweepSpecError(key: "\(path).cluster_side", "must be at most 64, got \(clusters.side)")
        }
      }
      if let h = o["weak_field"] {
        clusters.weakField = try Field.number(h, at: "\(path).weak_field", positive: true)
        guard clusters.weakField < 0.5 else {
          throw SweepSpecError(
            key: "\(path).weak_field",
            "must be below 0.5 (else the planted state is not the ground state), got"
              + " \(clusters.weakField)")
        }
      }
      kind = .weakStrongClusters(clusters)
    default:
      throw SweepSpecError(
        key: "\(path).generator", "must be frustrated_loops or weak_strong_clusters, got \(g)")
    }
    guard let sizeList = o["sizes"] else {
      throw SweepSpecError(key: "\(path).sizes", "is required")
    }
    let sizeValues = try Field.array(sizeList, at: "\(path).sizes")
    guard !sizeValues.isEmpty else {
      throw SweepSpecError(key: "\(path).sizes", "must list at least one size")
    }
    try Field.rejectRepeats(sizeValues, at: "\(path).sizes")
    let sizes = try sizeValues.enumerated().map { k, value -> Int in
      let at = "\(path).sizes[\(k)]"
      switch kind {
      case .frustratedLoops(.cubic, _):
        let s = try Field.int(value, at: at, min: 2)
        guard s <= 64 else { throw SweepSpecError(key: at, "a cubic side of at most 64, got \(s)") }
        return s
      case .frustratedLoops(.regular3, _):
        let s = try Field.int(value, at: at, min: 4)
        guard s % 2 == 0 else {
          throw SweepSpecError(key: at, "a 3-regular graph needs an even vertex count, got \(s)")
        }
        guard s <= 1 << 20 else { throw SweepSpecError(key: at, "at most 2^20 vertices, got \(s)") }
        return s
      case .weakStrongClusters:
        let s = try Field.int(value, at: at, min: 2)
        guard s <= 1 << 16 else { throw SweepSpecError(key: at, "at most 65536 pairs, got \(s)") }
        return s
      }
    }
    var seeds: [UInt64] = [0]
    if let seedList = o["seeds"] {
      let values = try Field.array(seedList, at: "\(path).seeds")
      guard !values.isEmpty else {
        throw SweepSpecError(key: "\(path).seeds", "must list at least one seed")
      }
      try Field.rejectRepeats(values, at: "\(path).seeds")
      seeds = try values.enumerated().map {
        UInt64(try Field.int($1, at: "\(path).seeds[\($0)]", min: 0))
      }
    }
    let target = try o["target"].map { try targetRule($0, at: "\(path).target") } ?? .planted
    if case .bestKnown = target {
      throw SweepSpecError(
        key: "\(path).target", "generated instances take planted, best_found or {energy: E}")
    }
    return PlantedSource(generator: kind, sizes: sizes, seeds: seeds, target: target)
  }

  static func targetRule(_ value: JSONValue, at path: String) throws -> TargetRule {
    if case .string(let s) = value {
      switch s {
      case "best_found": return .bestFound
      case "planted": return .planted
      default:
        throw SweepSpecError(
          key: path, "must be best_found, planted, {best_known: FILE.csv} or {energy: E}")
      }
    }
    let o = try Field.object(value, at: path)
    try Field.rejectUnknown(o, allowed: ["best_known", "energy"], at: path)
    if let file = o["best_known"] {
      return .bestKnown(path: try Field.string(file, at: "\(path).best_known"))
    }
    if let e = o["energy"] { return .energy(try Field.number(e, at: "\(path).energy")) }
    throw SweepSpecError(key: path, "must name best_known or energy")
  }
}
