import Foundation
import Logging
import QUBOModel
import Synchronization

/// A log handler that writes one JSON object per line to standard error:
/// `{"time", "level", "message", …metadata}` (a job's lines carry `"job"`),
/// so that logs can be filtered by job id with `jq` or a log collector.
public struct JSONLogHandler: LogHandler {
  public var logLevel: Logger.Level = .info
  public var metadata: Logger.Metadata = [:]
  private let label: String
  private static let lock = Mutex<Void>(())

  /// A handler for the logger `label`.
  public init(label: String) { self.label = label }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var fields: [String: JSONValue] = [
      "time": .string(ISO8601DateFormatter().string(from: Date())),
      "level": .string(event.level.rawValue),
      "message": .string(event.message.description),
      "logger": .string(label),
    ]
    for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
    where fields[key] == nil {
      fields[key] = .string(value.description)
    }
    let line = JSONValue.object(fields).serialized() + "\n"
    Self.lock.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
  }
}
