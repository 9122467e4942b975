import Annealing
import QUBOModel

/// What an `anneal_result *` points to: the rows of a sample set in the
/// model's vartype and its info as JSON text (NUL-terminated), in buffers
/// of its own that stay in place until `anneal_result_free`.
final class ResultBox {
  let numVariables: Int
  let samples: UnsafeMutableBufferPointer<Int8>
  let energies: UnsafeMutableBufferPointer<Double>
  let occurrences: UnsafeMutableBufferPointer<Int64>
  let info: UnsafeMutableBufferPointer<CChar>
  let rows: Int

  init(_ set: SampleSet, info: JSONValue) {
    numVariables = set.numVariables
    rows = set.count
    samples = Self.copy(set.samples)
    energies = Self.copy(set.energies)
    occurrences = Self.copy(set.occurrences.map(Int64.init))
    self.info = Self.copy(Array(info.serialized().utf8CString))
  }

  static func copy<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
    let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, values.count))
    _ = buffer.initialize(from: values)
    return buffer
  }

  deinit {
    samples.deallocate()
    energies.deallocate()
    occurrences.deallocate()
    info.deallocate()
  }
}

/// `anneal_sample`: samples a model with a sampler configuration given as
/// JSON, seeded exactly as `anneal solve --seed`.
@_cdecl("anneal_sample")
public func anneal_sample(
  _ model: OpaquePointer?, _ configuration: UnsafePointer<CChar>?, _ seed: UInt64,
  _ initialStates: UnsafePointer<Int8>?, _ numInitialStates: Int64,
  _ out: UnsafeMutablePointer<OpaquePointer?>?,
  _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  reportingErrors(error) {
    guard let out else { throw CError.invalid("the result out-pointer is NULL") }
    out.pointee = nil
    let box = try modelBox(model)
    var config = try samplerConfiguration(configuration)
    let n = box.model.numVariables
    if let initialStates, numInitialStates != 0 {
      config.readOptions.initialStates = try spinRows(
        initialStates, rows: numInitialStates, numVariables: n, vartype: box.model.vartype)
    }
    try config.readOptions.validate(numSpins: n)
    var rng = SplitMix64(seed: seed)
    let set = try config.sampler.sample(box.problem, of: box.model, using: &rng)
    var info = set.info
    info["configuration"] = config.json
    info["seed"] = .int(Int(truncatingIfNeeded: seed))
    let result = ResultBox(set, info: .object(info))
    out.pointee = OpaquePointer(Unmanaged.passRetained(result).toOpaque())
  }
}

/// The configuration in `text` (`nil` or empty: simulated annealing's
/// defaults).
func samplerConfiguration(_ text: UnsafePointer<CChar>?) throws -> SamplerConfiguration {
  guard let text, text.pointee != 0 else { return SamplerConfiguration(.sa) }
  let value: JSONValue
  do {
    value = try JSONValue(parsing: String(cString: text))
  } catch let e as JSONParseError {
    throw CError.invalid("configuration: invalid JSON: \(e.reason)")
  }
  return try SamplerConfiguration(json: value)
}

/// Initial states in the model's vartype, checked and turned into spins.
func spinRows(
  _ states: UnsafePointer<Int8>, rows: Int64, numVariables n: Int, vartype: Vartype
) throws -> [Int8] {
  guard rows > 0 else {
    throw CError.invalid("num_initial_states must be positive, got \(rows)")
  }
  let total = Int(rows).multipliedReportingOverflow(by: n)
  guard !total.overflow, total.partialValue <= ReadOptions.maxResultSpins else {
    throw CError.invalid("\(rows) initial states of \(n) variables are too many")
  }
  let input = UnsafeBufferPointer(start: states, count: total.partialValue)
  let allowed: (Int8, Int8) = vartype == .spin ? (-1, 1) : (0, 1)
  if let k = input.firstIndex(where: { $0 != allowed.0 && $0 != allowed.1 }) {
    throw CError.invalid(
      "initial state \(k / max(n, 1)) has \(input[k]) at variable \(k % max(n, 1)); "
        + "\(vartype.rawValue) values are \(allowed.0) and \(allowed.1)")
  }
  return vartype == .spin ? Array(input) : input.map { $0 == 1 ? 1 : -1 }
}

/// `anneal_result_free`: releases a result (NULL is fine).
@_cdecl("anneal_result_free")
public func anneal_result_free(_ result: OpaquePointer?) {
  guard let result else { return }
  Unmanaged<ResultBox>.fromOpaque(UnsafeRawPointer(result)).release()
}

func resultBox(_ result: OpaquePointer?) -> ResultBox? {
  guard let result else { return nil }
  return Unmanaged<ResultBox>.fromOpaque(UnsafeRawPointer(result)).takeUnretainedValue()
}

/// `anneal_result_num_rows` (0 for NULL).
@_cdecl("anneal_result_num_rows")
public func anneal_result_num_rows(_ result: OpaquePointer?) -> Int64 {
  Int64(resultBox(result)?.rows ?? 0)
}

/// `anneal_result_num_variables` (0 for NULL).
@_cdecl("anneal_result_num_variables")
public func anneal_result_num_variables(_ result: OpaquePointer?) -> Int64 {
  Int64(resultBox(result)?.numVariables ?? 0)
}

/// `anneal_result_samples`: rows × variables values, row-major.
@_cdecl("anneal_result_samples")
public func anneal_result_samples(_ result: OpaquePointer?) -> UnsafePointer<Int8>? {
  resultBox(result).flatMap { UnsafePointer($0.samples.baseAddress) }
}

/// `anneal_result_energies`: one energy per row.
@_cdecl("anneal_result_energies")
public func anneal_result_energies(_ result: OpaquePointer?) -> UnsafePointer<Double>? {
  resultBox(result).flatMap { UnsafePointer($0.energies.baseAddress) }
}

/// `anneal_result_occurrences`: one count per row.
@_cdecl("anneal_result_occurrences")
public func anneal_result_occurrences(_ result: OpaquePointer?) -> UnsafePointer<Int64>? {
  resultBox(result).flatMap { UnsafePointer($0.occurrences.baseAddress) }
}

/// `anneal_result_info`: the info JSON, owned by the result.
@_cdecl("anneal_result_info")
public func anneal_result_info(_ result: OpaquePointer?) -> UnsafePointer<CChar>? {
  resultBox(result).flatMap { UnsafePointer($0.info.baseAddress) }
}
