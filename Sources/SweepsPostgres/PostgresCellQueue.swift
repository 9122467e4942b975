import Foundation
import PostgresSupport
import Sweeps
import WorkQueue
import WorkQueuePostgres

/// A sweep's cells on the PostgreSQL work queue (`work_items`, queue
/// `sweep:NAME`), shared by workers on many processes or machines
/// (`postgresql://user@host:port/db`). Results are stored in the queue with
/// the cell's done state; heartbeats are stamped and aged on the server's
/// clock.
///
/// Cells finished under schema version 2 (the `sweep_cells` table, before
/// the work queue) are carried over into the queue when the sweep is
/// opened, so a sweep started by an older binary resumes.
public enum PostgresCellQueue {
  /// The queue name of sweep `sweep`.
  public static func queueName(_ sweep: String) -> String { "sweep:\(sweep)" }

  /// Connects to `url` (creating or checking the schema) and opens sweep
  /// `sweep` for `worker`.
  public static func open(
    url: PostgresURL, sweep: String, worker: String = WorkerIdentity.current,
    staleAfter: Double = 60, heartbeatInterval: Double = 10
  ) throws -> CellQueue {
    let queue: PostgresWorkQueue
    do {
      queue = try PostgresWorkQueue(url: url)
      let db = try PostgresConnection(url)
      try db.retrying { try carryOver(db, sweep: sweep) }
    } catch let error as PostgresError {
      throw CellStoreError(error.description)
    } catch let error as WorkQueueError {
      throw CellStoreError(error.description)
    }
    return CellQueue(
      queue: queue, name: queueName(sweep), log: nil, worker: worker, staleAfter: staleAfter,
      heartbeatInterval: heartbeatInterval)
  }

  /// Copies the sweep's finished cells from a version-2 `sweep_cells` table
  /// into the queue as done items (keys already there are left alone).
  static func carryOver(_ db: PostgresConnection, sweep: String) throws {
    try db.transaction {
      let exists = try db.execute("SELECT to_regclass('sweep_cells') IS NOT NULL").rows
      guard exists.first?.first == "t" else { return }
      try db.execute(
        """
        INSERT INTO work_items
          (queue, key, payload, state, attempts, worker, result, enqueued, heartbeat)
        SELECT $2, key, ''::bytea, 'done', 1, owner, convert_to(result, 'UTF8'),
          coalesce(heartbeat, 0), heartbeat
        FROM sweep_cells WHERE sweep = $1 AND state = 'finished' AND result IS NOT NULL
        ORDER BY key
        ON CONFLICT (queue, key) DO NOTHING
        """, [sweep, queueName(sweep)])
    }
  }
}
