import CPostgreSQL
import Foundation

/// One libpq connection, used from one thread at a time.
///
/// Statements take text parameters (`$1`, `$2`, … bound by libpq, never
/// spliced into the SQL) and return text cells; `transaction` runs a body
/// between BEGIN and COMMIT (ROLLBACK on a thrown error). A lost connection
/// is reset by `retrying`, which waits with exponential backoff.
public final class PostgresConnection {
  private var connection: OpaquePointer?
  /// Where the connection goes (its description hides the password).
  public let url: PostgresURL

  /// Connects to `url`.
  public init(_ url: PostgresURL) throws {
    self.url = url
    connection = PQconnectdb(url.connectionString)
    guard let connection, PQstatus(connection) == CONNECTION_OK else {
      let reason = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
      if let connection { PQfinish(connection) }
      self.connection = nil
      throw PostgresError(
        message: "cannot connect to \(url): \(reason.trimmingCharacters(in: .whitespacesAndNewlines))",
        connectionLost: true)
    }
    // Server notices ("relation already exists, skipping") are not ours to
    // print; warnings and errors still come back as errors.
    try execute("SET client_min_messages TO WARNING")
  }

  deinit {
    if let connection { PQfinish(connection) }
  }

  /// The rows of a statement's result, as text (`nil` for SQL NULL).
  public struct Rows: Sendable {
    /// Column names.
    public var columns: [String]
    /// Cells, row by row.
    public var rows: [[String?]]
    /// Rows inserted, updated or deleted (0 for a query).
    public var affected: Int
  }

  /// Runs one statement with text parameters.
  @discardableResult
  public func execute(_ sql: String, _ parameters: [String?] = []) throws -> Rows {
    guard let connection else { throw PostgresError(message: "the connection is closed") }
    let result = withTextParameters(parameters) { values in
      PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
    }
    guard let result else {
      throw PostgresError(
        message: String(cString: PQerrorMessage(connection)),
        connectionLost: PQstatus(connection) != CONNECTION_OK)
    }
    defer { PQclear(result) }
    let status = PQresultStatus(result)
    guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
      let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
      let lost = PQstatus(connection) != CONNECTION_OK || (state?.hasPrefix("08") ?? false)
      throw PostgresError(
        message: String(cString: PQresultErrorMessage(result))
          .trimmingCharacters(in: .whitespacesAndNewlines),
        sqlState: state, connectionLost: lost)
    }
    let columns = (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
    var rows: [[String?]] = []
    for r in 0..<PQntuples(result) {
      rows.append(
        (0..<PQnfields(result)).map { c in
          PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c))
        })
    }
    let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
    return Rows(columns: columns, rows: rows, affected: affected)
  }

  /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it
  /// throws.
  public func transaction<T>(_ body: () throws -> T) throws -> T {
    try execute("BEGIN")
    do {
      let value = try body()
      try execute("COMMIT")
      return value
    } catch {
      _ = try? execute("ROLLBACK")
      throw error
    }
  }

  /// Runs `body`, and when the connection was lost or the transaction hit
  /// a serialization failure or deadlock, resets the connection and tries
  /// again, waiting `initialDelay`, then twice as long each time, up to
  /// `attempts` tries in all.
  public func retrying<T>(
    attempts: Int = 8, initialDelay: Double = 0.1, _ body: () throws -> T
  ) throws -> T {
    var delay = initialDelay
    var attempt = 1
    while true {
      do {
        return try body()
      } catch let error as PostgresError
        where attempt < attempts
        && (error.connectionLost || error.sqlState == "40001" || error.sqlState == "40P01")
      {
        Thread.sleep(forTimeInterval: delay)
        delay = min(delay * 2, 5)
        attempt += 1
        if error.connectionLost, let connection { PQreset(connection) }
      }
    }
  }
}

/// Calls `body` with libpq's `const char * const *` view of `values`.
private func withTextParameters<R>(
  _ values: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R
) -> R {
  if values.isEmpty { return body(nil) }
  let copies: [UnsafeMutablePointer<CChar>?] = values.map { $0.map { strdup($0) } ?? nil }
  defer { for p in copies { free(p) } }
  let views: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
  return views.withUnsafeBufferPointer { body($0.baseAddress) }
}
