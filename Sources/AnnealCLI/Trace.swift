import Anneal
import Foundation
import Synchronization

/// `anneal solve --trace FILE`: a best-so-far trace written as reads finish.
///
/// One JSON object per line, in the order the events happened:
/// `seconds` (since sampling started, non-decreasing), `read` (the row),
/// `energy` (of the row stored, or the read's best so far while it still
/// runs), `stored` (`true` for a stored row, `false` for a report from
/// inside a long tabu or PT read), `best_energy` (the lowest energy of the
/// run so far), and for Gset and OR-Library inputs `objective` and
/// `best_objective` in the format's own convention. The last line's
/// `best_energy` is the run's `best_energy`.
///
/// Lines are written from the worker threads under one lock, with the time
/// taken inside it, so times never go backwards; the kernels only call the
/// observer between sweeps or polls, so samples do not change.
final class TraceWriter: Sendable {
  private struct State {
    var handle: FileHandle
    var best = Double.infinity
    var failure: String?
  }

  private let path: String
  private let objective: Objective?
  private let start: UInt64
  private let state: Mutex<State>

  /// Creates (or truncates) `path`; the clock starts now.
  init(path: String, objective: Objective?) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = FileHandle(forWritingAtPath: path)
    else {
      throw CLIError.failure("cannot write the trace file \(path)")
    }
    self.path = path
    self.objective = objective
    start = DispatchTime.now().uptimeNanoseconds
    state = Mutex(State(handle: handle))
  }

  /// The observer to put in the sampler's `SamplingControl`.
  var observer: ReadObserver {
    ReadObserver { [self] event in record(event) }
  }

  private func record(_ event: ReadEvent) {
    state.withLock { s in
      guard s.failure == nil else { return }
      let seconds = Double(DispatchTime.now().uptimeNanoseconds &- start) / 1e9
      s.best = min(s.best, event.energy)
      var line: [String: JSONValue] = [
        "seconds": .double(seconds),
        "read": .int(event.read),
        "energy": .double(event.energy),
        "stored": .bool(event.stored),
        "best_energy": .double(s.best),
      ]
      if let objective {
        line["objective"] = .double(objective.value(energy: event.energy))
        line["best_objective"] = .double(objective.value(energy: s.best))
      }
      do {
        try s.handle.write(contentsOf: Data((JSONValue.object(line).serialized() + "\n").utf8))
      } catch {
        s.failure = "cannot write the trace file \(path): \(error.localizedDescription)"
      }
    }
  }

  /// Closes the file; throws if a write failed.
  func finish() throws {
    let failure = state.withLock { s -> String? in
      try? s.handle.close()
      return s.failure
    }
    if let failure { throw CLIError.failure(failure) }
  }
}
