import Foundation
import QUBOModel

/// What a job puts on the work queue, and what its worker stores back.
///
/// Payload: `{"format": "json"|"coo", "problem": text, "parameters": {…},
/// "seed": n}`. Result: `{"cancelled": bool, "sampleset": <dimod JSON>}` —
/// a job cancelled while running stores what it had found.
enum JobPayload {
  /// The queue that holds the server's jobs.
  static let queue = "serve.jobs"

  /// The payload of a checked request.
  static func encode(_ job: JobRequest) -> Data {
    let value = JSONValue.object([
      "format": .string(job.format.rawValue),
      "problem": .string(job.problem),
      "parameters": .object(job.parameters),
      "seed": .int(Int(truncatingIfNeeded: job.seed)),
    ])
    return Data(value.serialized().utf8)
  }

  /// The problem format, text, configuration object and seed of a payload.
  static func decode(
    _ data: Data
  ) throws -> (format: ModelFormat, problem: String, parameters: [String: JSONValue], seed: UInt64)
  {
    guard case .object(let fields) = try JSONValue(parsing: [UInt8](data)),
      case .string(let f)? = fields["format"], let format = ModelFormat(rawValue: f),
      case .string(let problem)? = fields["problem"],
      case .object(let parameters)? = fields["parameters"],
      case .int(let seed)? = fields["seed"]
    else {
      throw ServeStoreError("a job payload on the queue is not one this server wrote")
    }
    return (format, problem, parameters, UInt64(truncatingIfNeeded: seed))
  }

  /// The stored result of a job: its sample set and whether it was cut
  /// short by a cancellation.
  static func result(_ set: SampleSet, cancelled: Bool) -> Data {
    Data("{\"cancelled\": \(cancelled), \"sampleset\": \(set.dimodJSON())}".utf8)
  }

  /// Whether a stored result says the job was cancelled, and its sample set
  /// as JSON text.
  static func readResult(_ data: Data) -> (cancelled: Bool, sampleset: String)? {
    guard case .object(let fields)? = try? JSONValue(parsing: [UInt8](data)),
      let set = fields["sampleset"]
    else { return nil }
    return (fields["cancelled"] == .bool(true), set.serialized())
  }
}
