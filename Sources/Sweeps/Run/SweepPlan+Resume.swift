// What a rerun into the same store can reuse. A stored cell counts only
// when its key matches a cell of the plan exactly; a stored cell for the
// same instance name, sampler label, grid point and seed under a different
// key was produced by a different spec (a fixed parameter, the instance's
// content or the spec seed changed) and is run again, and the run says so.

/// Stored cells measured against a plan.
public struct ResumeState: Sendable {
  /// Plan cells whose stored result is reused.
  public var reused: [SweepCell]
  /// Plan cells stored under an older key: they run again.
  public var changed: [SweepCell]
  /// Plan cells never stored.
  public var new: [SweepCell]

  /// One line for people, or nil when nothing was stored.
  public func message(store: String) -> String? {
    guard !reused.isEmpty || !changed.isEmpty else { return nil }
    var text = "resuming: \(reused.count) of \(reused.count + changed.count + new.count)"
      + " cells already in \(store)"
    if !changed.isEmpty {
      let names = changed.prefix(3).map(\.identity).joined(separator: "; ")
      text +=
        "; \(changed.count) stored cell\(changed.count == 1 ? "" : "s") no longer match the"
        + " spec (a fixed parameter, the instance's content or the seed changed) and run"
        + " again: \(names)\(changed.count > 3 ? "; …" : "")"
    }
    return text
  }
}

extension SweepPlan {
  /// Which cells of the plan `results` already cover, which changed, and
  /// which are new.
  public func resumeState(_ results: [CellResult]) -> ResumeState {
    let keys = Set(results.map(\.key))
    let identities = Set(
      results.map {
        SweepCell.identity(
          instance: $0.instance, sampler: $0.sampler, parameters: $0.parameters, seed: $0.seed)
      })
    var state = ResumeState(reused: [], changed: [], new: [])
    for cell in cells {
      if keys.contains(cell.key) {
        state.reused.append(cell)
      } else if identities.contains(cell.identity) {
        state.changed.append(cell)
      } else {
        state.new.append(cell)
      }
    }
    return state
  }
}
