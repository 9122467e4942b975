import Anneal
import Foundation
import PostgresSupport
import SweepsPostgres
import WorkQueue

/// The cells `anneal sweep --storage` names, on a work queue: a local
/// sweep's claims in an SQLite queue beside its `cells.jsonl` (`PATH.queue`),
/// a shared sweep's cells and results in PostgreSQL.
enum SweepStorage {
  /// The cells (emptied first when `fresh`) and how to name their storage
  /// in messages (a URL without its password).
  static func open(
    _ storage: String?, dir: String, sweep: String, staleAfter: Double, fresh: Bool
  ) throws -> (CellQueue, String) {
    if let storage, storage.hasPrefix("postgresql://") || storage.hasPrefix("postgres://") {
      do {
        let url = try PostgresURL(storage)
        let cells = try PostgresCellQueue.open(
          url: url, sweep: sweep, staleAfter: staleAfter, heartbeatInterval: staleAfter / 6)
        if fresh { try cells.removeAll() }
        return (cells, url.description)
      } catch let error as PostgresError {
        throw CLIError.failure(error.description)
      } catch let error as CellStoreError {
        throw CLIError.failure(error.description)
      }
    }
    var path = (dir as NSString).appendingPathComponent("cells.jsonl")
    if let storage {
      if storage.contains("://") && !storage.hasPrefix("jsonl:") {
        // Not echoed: a URL of another scheme may hold a password.
        let scheme = storage.components(separatedBy: "://")[0]
        throw CLIError.badInput(
          "--storage: \(scheme):// is not supported; give a path, jsonl:PATH or postgresql://…")
      }
      path = storage.hasPrefix("jsonl:") ? String(storage.dropFirst("jsonl:".count)) : storage
    }
    let queuePath = path + ".queue"
    if fresh {
      // The claims file of earlier versions goes too.
      let files = [path, queuePath, queuePath + "-wal", queuePath + "-shm", path + ".claims"]
      for file in files where FileManager.default.fileExists(atPath: file) {
        do {
          try FileManager.default.removeItem(atPath: file)
        } catch {
          throw CLIError.failure("--fresh: cannot remove \(file): \(error.localizedDescription)")
        }
      }
    }
    do {
      let queue = try SQLiteWorkQueue(path: queuePath)
      let cells = CellQueue(
        queue: queue, name: "cells", log: JSONLinesCellStore(path: path), staleAfter: staleAfter,
        heartbeatInterval: staleAfter / 6)
      return (cells, path)
    } catch let error as WorkQueueError {
      throw CLIError.failure(error.description)
    }
  }
}
