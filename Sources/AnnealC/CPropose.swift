import Foundation
import QUBOModel
import Tuning

// The tuning proposer behind `anneal_propose`: the Python Optuna sampler
// sends its search space and history here, so its proposals are the ones
// `anneal tune` would make. The request is read as a tuning spec
// (`TuningSpec`, whose `makeSampler()` picks the sampler and reads its
// surrogate and annealer options), so every option and check of the spec
// files applies; the spec's `command` is not used and is filled in here.

/// The keys of a request: the spec keys that concern proposing.
let requestKeys: Set<String> = [
  "parameters", "parameter_order", "direction", "sampler", "surrogate", "annealer",
]

/// `anneal_propose`: up to `count` configurations to evaluate next.
@_cdecl("anneal_propose")
public func anneal_propose(
  _ request: UnsafePointer<CChar>?, _ numTrials: Int64, _ numParameters: Int64,
  _ configurations: UnsafePointer<Int32>?, _ values: UnsafePointer<Double>?, _ count: Int64,
  _ seed: UInt64, _ proposals: UnsafeMutablePointer<Int32>?,
  _ numProposed: UnsafeMutablePointer<Int64>?,
  _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  reportingErrors(error) {
    guard let request else { throw CError.invalid("the request is NULL") }
    guard let proposals, let numProposed else {
      throw CError.invalid("proposals or num_proposed is NULL")
    }
    numProposed.pointee = 0
    guard count >= 0, count <= 1 << 20 else {
      throw CError.invalid("count must be in 0...\(1 << 20), got \(count)")
    }
    guard numTrials >= 0, numTrials <= 1 << 24 else {
      throw CError.invalid("num_trials must be in 0...\(1 << 24), got \(numTrials)")
    }
    let spec = try tuningSpec(String(cString: request))
    let space = spec.space
    guard numParameters == Int64(space.count) else {
      throw CError.invalid(
        "num_parameters is \(numParameters) but the request has \(space.count) parameters")
    }
    guard numTrials == 0 || (configurations != nil && values != nil) else {
      throw CError.invalid("configurations or values is NULL")
    }
    let trials = try history(
      space: space, rows: Int(numTrials), configurations: configurations, values: values)
    let sampler = try spec.makeSampler()
    let next = try sampler.propose(
      space: space, trials: trials, direction: spec.direction, count: Int(count), seed: seed)
    let written = min(next.count, Int(count))
    for (r, configuration) in next.prefix(written).enumerated() {
      for (p, index) in configuration.enumerated() {
        proposals[r * space.count + p] = Int32(index)
      }
    }
    numProposed.pointee = Int64(written)
  }
}

/// The request read as a tuning spec (with a placeholder command).
func tuningSpec(_ text: String) throws -> TuningSpec {
  let value: JSONValue
  do {
    value = try JSONValue(parsing: text)
  } catch let e as JSONParseError {
    throw CError.invalid("request: invalid JSON: \(e.reason)")
  }
  guard case .object(var fields) = value else {
    throw CError.invalid("the request must be a JSON object")
  }
  for key in fields.keys.sorted() where !requestKeys.contains(key) {
    throw CError.invalid(
      "request: unknown key '\(key)' (known: \(requestKeys.sorted().joined(separator: ", ")))")
  }
  var order: [String] = []
  if let o = fields.removeValue(forKey: "parameter_order") {
    guard case .array(let names) = o else {
      throw CError.invalid("request: parameter_order must be a list of names")
    }
    for case .string(let name) in names { order.append(name) }
    guard order.count == names.count else {
      throw CError.invalid("request: parameter_order must be a list of names")
    }
  }
  fields["command"] = .string("(python)")
  return try TuningSpec(json: .object(fields), parameterOrder: order)
}

/// The trials of the history: complete with a finite value, running (NaN)
/// otherwise; each configuration checked against the space.
func history(
  space: SearchSpace, rows: Int, configurations: UnsafePointer<Int32>?,
  values: UnsafePointer<Double>?
) throws -> [FrozenTrial] {
  guard let configurations, let values else { return [] }
  let radices = space.radices
  return try (0..<rows).map { r in
    var indices: [Int] = []
    indices.reserveCapacity(radices.count)
    for (p, radix) in radices.enumerated() {
      let k = Int(configurations[r * radices.count + p])
      guard k >= 0, k < radix else {
        throw CError.invalid(
          "trial \(r): parameter \(space.names[p]) has index \(k), outside 0..<\(radix)")
      }
      indices.append(k)
    }
    var trial = FrozenTrial(number: r, started: nil)
    trial.parameters = space.parameters(of: indices)
    trial.distributions = space.distributions
    trial.parameterOrder = space.names
    let v = values[r]
    if v.isFinite {
      trial.state = .complete
      trial.value = v
    } else if v.isNaN {
      trial.state = .running
    } else {
      throw CError.invalid("trial \(r): the value is \(v); use NaN for an unfinished trial")
    }
    return trial
  }
}
