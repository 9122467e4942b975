import HTTPTypes

/// A request the server refuses: the status and a message for the client,
/// sent as `{"error": message}`.
public struct ServeError: Error, Sendable, CustomStringConvertible {
  /// The HTTP status (4xx for the client's mistakes, 5xx for the server's).
  public var status: HTTPResponse.Status
  /// What was wrong, for a person.
  public var message: String

  /// An error with `status` and `message`.
  public init(_ status: HTTPResponse.Status, _ message: String) {
    self.status = status
    self.message = message
  }

  public var description: String { "\(status.code) \(message)" }

  static func badRequest(_ message: String) -> ServeError { ServeError(.badRequest, message) }
  static func quota(_ message: String) -> ServeError { ServeError(.tooManyRequests, message) }
  static let notFound = ServeError(.notFound, "no such job")
  static let unauthorized = ServeError(
    .unauthorized, "missing or unknown token: send 'Authorization: Bearer TOKEN' "
      + "(create one with 'anneal serve token create NAME')")
}
