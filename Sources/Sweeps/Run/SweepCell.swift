import Annealing
import QUBOModel

/// One cell of a sweep: an instance, a sampler's grid point and a seed.
public struct SweepCell: Sendable, Hashable {
  /// Position in the plan (workers take cells by it).
  public var index: Int
  /// The identity stored with the result: `identity`, the instance's
  /// content hash, a hash of the sampler's configuration after defaults and
  /// the spec seed, so a changed spec never reuses a result it did not
  /// produce.
  public var key: String
  /// Instance name, sampler label, grid point and seed: what a person
  /// calls the cell, the same before and after a spec edit.
  public var identity: String
  /// Index into the plan's instances.
  public var instance: Int
  /// Index into the spec's samplers.
  public var sampler: Int
  /// Index into that sampler's grid points.
  public var point: Int
  /// The spec seed of this cell.
  public var seed: UInt64
  /// The seed of the cell's generator, from the spec seed and the key
  /// (independent of the order or worker that runs the cell).
  public var rngSeed: UInt64

  /// The identity of a cell from its parts.
  public static func identity(
    instance: String, sampler: String, parameters: [String: JSONValue], seed: UInt64
  ) -> String {
    "\(instance)|\(sampler)|\(JSONValue.object(parameters).serialized())|seed=\(seed)"
  }

  /// FNV-1a of `text`, a stable hash across runs and machines.
  public static func stableHash(_ text: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 {
      h ^= UInt64(b)
      h = h &* 0x0100_0000_01b3
    }
    return h
  }
}

/// What a finished cell stored: the best energy of each read and the cost.
public struct CellResult: Sendable, Equatable {
  /// The cell's key.
  public var key: String
  /// The instance name.
  public var instance: String
  /// The sampler label.
  public var sampler: String
  /// The grid point's parameters.
  public var parameters: [String: JSONValue]
  /// The cell's seed.
  public var seed: UInt64
  /// The best energy of each read.
  public var energies: [Double]
  /// Spin-update attempts of all reads.
  public var spinUpdates: Double
  /// Wall-clock sampling seconds.
  public var seconds: Double
  /// Threads the reads ran on.
  public var threads: Int

  /// A result from its parts.
  public init(
    key: String, instance: String, sampler: String, parameters: [String: JSONValue],
    seed: UInt64, energies: [Double], spinUpdates: Double, seconds: Double, threads: Int
  ) {
    self.key = key
    self.instance = instance
    self.sampler = sampler
    self.parameters = parameters
    self.seed = seed
    self.energies = energies
    self.spinUpdates = spinUpdates
    self.seconds = seconds
    self.threads = threads
  }

  /// The stored form: one JSON object.
  public var json: JSONValue {
    .object([
      "key": .string(key), "instance": .string(instance), "sampler": .string(sampler),
      "parameters": .object(parameters), "seed": .int(Int(truncatingIfNeeded: seed)),
      "energies": .array(energies.map { .double($0) }), "spin_updates": .double(spinUpdates),
      "seconds": .double(seconds), "threads": .int(threads),
    ])
  }

  /// A result from its stored form.
  public init(json: JSONValue) throws {
    guard case .object(let o) = json,
      case .string(let key)? = o["key"], case .string(let instance)? = o["instance"],
      case .string(let sampler)? = o["sampler"], case .object(let parameters)? = o["parameters"],
      case .int(let seed)? = o["seed"], case .array(let energies)? = o["energies"],
      let spinUpdates = o["spin_updates"]?.doubleValue, let seconds = o["seconds"]?.doubleValue,
      case .int(let threads)? = o["threads"]
    else { throw CellStoreError("a stored cell lacks a field: \(json.serialized())") }
    self.init(
      key: key, instance: instance, sampler: sampler, parameters: parameters,
      seed: UInt64(truncatingIfNeeded: seed), energies: energies.compactMap(\.doubleValue),
      spinUpdates: spinUpdates, seconds: seconds, threads: threads)
  }
}
