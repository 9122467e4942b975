import Annealing
import Dispatch
import Foundation
import QUBOModel

/// Runs the unfinished cells of a plan, storing each as it finishes.
///
/// Cells already in the store are skipped: a rerun resumes where a killed
/// run stopped. A store that hands out claims (`CellClaims`) lets any number
/// of workers share the plan: each claims the next cell no one holds, so
/// cells go to whichever worker is free; when none is left but others still
/// run, it waits and takes over those the store hands out again (their
/// worker died), and stops when all are finished. A store without claims
/// runs every pending cell in order (one worker).
public struct SweepRunner: Sendable {
  /// The plan.
  public var plan: SweepPlan
  /// Where finished cells go.
  public var store: any CellStore
  /// Seconds between claims while other workers still run the last cells.
  public var claimPoll: Double = 1

  /// A runner of `plan` into `store`.
  public init(plan: SweepPlan, store: any CellStore) {
    self.plan = plan
    self.store = store
  }

  /// The plan's cells not yet in the store.
  public func pending() throws -> [SweepCell] {
    let done = Set(try store.finished().map(\.key))
    return plan.cells.filter { !done.contains($0.key) }
  }

  /// The next cell to run: the next of `todo` without claims, else the
  /// first of `todo` this worker wins the claim of.
  private func next(_ todo: [SweepCell], after position: inout Int) throws -> SweepCell? {
    guard let claims = store as? any CellClaims else {
      defer { position += 1 }
      return position < todo.count ? todo[position] : nil
    }
    // All of them each time: a cell passed over while another worker ran it
    // comes back when that worker dies.
    guard let key = try claims.claim(among: todo.map(\.key)) else { return nil }
    return todo.first { $0.key == key }
  }

  /// Whether cells of `todo` are still running elsewhere (claimed, not
  /// finished), so a claiming worker should wait for them.
  private func othersRunning(_ todo: [SweepCell]) throws -> Bool {
    guard store is any CellClaims else { return false }
    let done = Set(try store.finished().map(\.key))
    return todo.contains { !done.contains($0.key) }
  }

  /// Runs the pending cells until all are done, `deadline` (uptime
  /// nanoseconds) passes or `shouldStop` says so (checked before each
  /// cell); returns how many ran.
  ///
  /// - Parameter progress: called after each cell with the cells this call
  ///   has finished and the number it set out to run.
  @discardableResult
  public func run(
    deadline: UInt64? = nil, shouldStop: () -> Bool = { false },
    progress: (Int, Int, CellResult) -> Void = { _, _, _ in }
  ) throws -> Int {
    let todo = try pending()
    var ran = 0
    var position = 0
    while true {
      if let deadline, DispatchTime.now().uptimeNanoseconds >= deadline { break }
      if shouldStop() { break }
      guard let cell = try next(todo, after: &position) else {
        guard try othersRunning(todo) else { break }
        Thread.sleep(forTimeInterval: claimPoll)
        continue
      }
      let result = try plan.run(cell)
      try store.record(result)
      ran += 1
      progress(ran, todo.count, result)
    }
    return ran
  }
}
