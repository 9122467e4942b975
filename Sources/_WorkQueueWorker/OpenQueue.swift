import WorkQueue
import WorkQueuePostgres

/// The queue a URL names: `sqlite:////absolute/path` or `postgresql://…`.
func openQueue(_ url: String) throws -> any WorkQueue {
  if url.hasPrefix("sqlite:///") {
    return try SQLiteWorkQueue(path: String(url.dropFirst("sqlite:///".count)))
  }
  if let queue = try PostgresWorkQueue.open(url: url) { return queue }
  throw WorkQueueError("\(url): not a work-queue URL this worker opens")
}
