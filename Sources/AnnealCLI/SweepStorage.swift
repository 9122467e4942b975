import Anneal
import Foundation
import PostgresSupport
import SweepsPostgres

/// The cell store `anneal sweep --storage` names.
enum SweepStorage {
  /// The store (emptied first when `fresh`) and how to name it in messages
  /// (a URL without its password).
  static func open(
    _ storage: String?, dir: String, sweep: String, staleAfter: Double, fresh: Bool
  ) throws -> (any CellStore, String) {
    if let storage, storage.hasPrefix("postgresql://") || storage.hasPrefix("postgres://") {
      do {
        let url = try PostgresURL(storage)
        let store = try PostgresCellStore(
          url: url, sweep: sweep, heartbeatInterval: staleAfter / 6, staleAfter: staleAfter)
        if fresh { try store.removeAll() }
        return (store, url.description)
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
    if fresh {
      for file in [path, path + ".claims"] where FileManager.default.fileExists(atPath: file) {
        do {
          try FileManager.default.removeItem(atPath: file)
        } catch {
          throw CLIError.failure("--fresh: cannot remove \(file): \(error.localizedDescription)")
        }
      }
    }
    return (JSONLinesCellStore(path: path), path)
  }
}
