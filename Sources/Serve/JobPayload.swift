import Foundation
import QUBOModel

/// What a job puts on the work queue, and what its worker stores back.
///
/// Payload: `{"format": "json"|"coo", "problem": text, "parameters": {…},
/// "seed": n, "max_seconds": s}` (the server's time limit at submission). Result: `{"cancelled": bool, "sampleset": <dimod JSON>}` —
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
      "max_seconds": .double(job.maxSeconds),
    ])
    return Data(value.serialized().utf8)
  }

  /// What a payload holds.
  struct Decoded {
    var format: ModelFormat
    var problem: String
    var parameters: [String: JSONValue]
    var seed: UInt64
    var maxSeconds: Double
  }

  /// The problem format, text, configuration object, seed and time limit
  /// of a payload.
  static func decode(_ data: Data) throws -> Decoded {
    guard case .object(let fields) = try JSONValue(parsing: [UInt8](data)),
      case .string(let f)? = fields["format"], let format = ModelFormat(rawValue: f),
      case .string(let problem)? = fields["problem"],
      case .object(let parameters)? = fields["parameters"],
      case .int(let seed)? = fields["seed"]
    else {
      throw ServeStoreError("a job payload on the queue is not one this server wrote")
    }
    return Decoded(
      format: format, problem: problem, parameters: parameters,
      seed: UInt64(truncatingIfNeeded: seed),
      maxSeconds: fields["max_seconds"]?.doubleValue ?? ServeLimits().maxTimeLimit)
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
