import Foundation

/// A `postgresql://user:password@host:port/database` connection string, and
/// the form of it that may be shown: the password never appears in logs,
/// errors or JSON output.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
  /// The string handed to libpq.
  public let connectionString: String

  /// Accepts `postgresql://…` and `postgres://…` URLs.
  public init(_ string: String) throws {
    guard string.hasPrefix("postgresql://") || string.hasPrefix("postgres://") else {
      throw PostgresError(
        message: "a PostgreSQL storage URL starts with postgresql:// (got \(Self.redact(string)))")
    }
    connectionString = string
  }

  /// The URL with any password replaced by `***`.
  public var description: String { Self.redact(connectionString) }

  /// `text` with the password of every URL in it replaced by `***`; a
  /// `password=…` keyword is masked too.
  public static func redact(_ text: String) -> String {
    var out = text
    // scheme://user:password@ → scheme://user:***@
    if let regex = try? NSRegularExpression(pattern: #"(postgres(?:ql)?://[^:/@\s]*):[^@\s]*@"#) {
      let range = NSRange(out.startIndex..., in: out)
      out = regex.stringByReplacingMatches(in: out, range: range, withTemplate: "$1:***@")
    }
    if let regex = try? NSRegularExpression(pattern: #"password=[^&\s]*"#) {
      let range = NSRange(out.startIndex..., in: out)
      out = regex.stringByReplacingMatches(in: out, range: range, withTemplate: "password=***")
    }
    return out
  }
}

/// A failure reported by libpq or the server, with the SQLSTATE code when
/// the server gave one; the text never holds a password.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
  /// What went wrong, redacted.
  public var message: String
  /// The five-character SQLSTATE (`40001` serialization failure, `08…`
  /// connection exceptions), `nil` for client-side failures.
  public var sqlState: String?
  /// Whether the connection itself was lost (worth reconnecting and
  /// retrying).
  public var connectionLost: Bool

  public init(message: String, sqlState: String? = nil, connectionLost: Bool = false) {
    self.message = PostgresURL.redact(message)
    self.sqlState = sqlState
    self.connectionLost = connectionLost
  }

  public var description: String {
    sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message
  }
}
