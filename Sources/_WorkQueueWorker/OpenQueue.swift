import WorkQueue

/// The queue a URL names: `sqlite:////absolute/path`.
func openQueue(_ url: String) throws -> any WorkQueue {
  if url.hasPrefix("sqlite:///") {
    return try SQLiteWorkQueue(path: String(url.dropFirst("sqlite:///".count)))
  }
  throw WorkQueueError("\(url): not a work-queue URL this worker opens")
}
