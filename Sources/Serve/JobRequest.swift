import Annealing
import Foundation
import QUBOModel

/// A submitted job, checked: the problem as text in one format, and the
/// sampler configuration the worker will run (with the server's time limit
/// and thread cap applied).
///
/// `POST /v1/jobs` bodies look like
///
///     {"problem": <dimod BQM JSON object>, "parameters": {"sampler": "sa", …},
///      "seed": 7}
///
/// or carry `"problem_coo": "<COO text>"` instead of `problem`. `seed` is
/// optional (the server draws one and reports it in the result's info).
struct JobRequest: Sendable {
  /// `json` or `coo`.
  var format: ModelFormat
  /// The problem's text in `format`.
  var problem: String
  /// The sampler configuration, as the JSON object the worker reads.
  var parameters: [String: JSONValue]
  /// The seed of the run.
  var seed: UInt64
  /// How many variables the problem has.
  var numVariables: Int
  /// The server's limit on the job's sampling time, in seconds.
  var maxSeconds = ServeLimits().maxTimeLimit

  private static let keys: Set<String> = ["problem", "problem_coo", "parameters", "seed"]

  /// Reads and checks a request body against `limits`.
  ///
  /// - Throws: `ServeError` 400 for a malformed request, 429 for one over a
  ///   quota.
  init(body: [UInt8], limits: ServeLimits, threads: Int) throws {
    let root: JSONValue
    do {
      root = try JSONValue(parsing: body)
    } catch let error as JSONParseError {
      throw ServeError.badRequest("the body is not valid JSON: \(error.description)")
    }
    guard case .object(let fields) = root else {
      throw ServeError.badRequest(
        "the body must be a JSON object {\"problem\": …, \"parameters\": {…}}")
    }
    if let unknown = fields.keys.sorted().first(where: { !Self.keys.contains($0) }) {
      throw ServeError.badRequest(
        "unknown field '\(unknown)'; a job has problem or problem_coo, parameters, seed")
    }
    switch (fields["problem"], fields["problem_coo"]) {
    case (.some(let object), .none):
      guard case .object = object else {
        throw ServeError.badRequest("'problem' must be a dimod BQM JSON object")
      }
      format = .json
      problem = object.serialized()
    case (.none, .some(.string(let text))):
      format = .coo
      problem = text
    case (.none, .some):
      throw ServeError.badRequest("'problem_coo' must be a string of COO text")
    case (.none, .none):
      throw ServeError.badRequest("give 'problem' (dimod BQM JSON) or 'problem_coo' (COO text)")
    case (.some, .some):
      throw ServeError.badRequest("give 'problem' or 'problem_coo', not both")
    }
    let model = try Self.model(format: format, text: problem)
    numVariables = model.numVariables
    guard numVariables <= limits.maxVariables else {
      throw ServeError.quota(
        "the problem has \(numVariables) variables; this server's limit is "
          + "\(limits.maxVariables) per job")
    }

    switch fields["parameters"] {
    case .none, .some(.null): parameters = [:]
    case .some(.object(let p)): parameters = p
    case .some(let other):
      throw ServeError.badRequest(
        "'parameters' must be an object such as {\"sampler\": \"sa\"}, got \(other.serialized())")
    }
    seed = try Self.seed(fields["seed"])
    try applyLimits(limits, threads: threads, numSpins: numVariables)
  }

  /// Checks the configuration and puts the server's limits into it.
  private mutating func applyLimits(_ limits: ServeLimits, threads: Int, numSpins: Int) throws {
    var config = try Self.configuration(parameters)
    let json = config.json
    guard case .object(let resolved) = json else { return }
    let reads = resolved["reads"]?.doubleValue ?? 1
    let sweeps = resolved["sweeps"]?.doubleValue ?? 1
    guard reads * max(sweeps, 1) <= Double(limits.maxReadsTimesSweeps) else {
      throw ServeError.quota(
        "reads × sweeps is \(Int(reads)) × \(Int(sweeps)); this server's limit is "
          + "\(limits.maxReadsTimesSweeps) per job")
    }
    guard reads * Double(max(numSpins, 1)) <= Double(limits.maxResultValues) else {
      throw ServeError.quota(
        "reads × variables is \(Int(reads)) × \(numSpins); this server's limit is "
          + "\(limits.maxResultValues) values per result")
    }
    if let t = config.readOptions.control.timeLimit, t > limits.maxTimeLimit {
      throw ServeError.quota(
        "time_limit is \(t) s; this server's limit is \(limits.maxTimeLimit) s per job")
    }
    // Not put into the parameters (a time limit changes what some samplers
    // do: tabu restarts until it passes); the worker stops the job there.
    maxSeconds = limits.maxTimeLimit
    if config.readOptions.threads > threads {
      parameters["threads"] = .int(threads)
      config.readOptions.threads = threads
    }
    do {
      try config.readOptions.validate(numSpins: numSpins)
    } catch {
      throw ServeError.badRequest("parameters: \(error)")
    }
  }

  /// The model of a problem text (the worker reads it again the same way).
  static func model(format: ModelFormat, text: String) throws -> BinaryQuadraticModel {
    let name = format == .coo ? "problem_coo" : "problem"
    do {
      return try ModelFile.read(bytes: Array(text.utf8), path: name, format: format).model
    } catch let error as ModelFileError {
      throw ServeError.badRequest(error.description)
    }
  }

  /// The sampler configuration of a `parameters` object.
  static func configuration(_ parameters: [String: JSONValue]) throws -> SamplerConfiguration {
    do {
      return try SamplerConfiguration(parameters)
    } catch let error as SamplerConfigurationError {
      throw ServeError.badRequest("parameters: \(error.description)")
    }
  }

  private static func seed(_ value: JSONValue?) throws -> UInt64 {
    switch value {
    case .none, .some(.null): return UInt64.random(in: 0...UInt64(Int64.max))
    case .some(.int(let s)) where s >= 0: return UInt64(s)
    case .some(let other):
      throw ServeError.badRequest(
        "'seed' must be a non-negative integer, got \(other.serialized())")
    }
  }
}
