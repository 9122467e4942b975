import Annealing
import Dispatch
import Foundation
import QUBOModel
import WorkQueue

/// Runs the unfinished cells of a plan, storing each as it finishes.
///
/// The cells are items of a work queue (`CellQueue`): any number of
/// runners — threads, processes, machines — share one plan, each claiming
/// the next cell no one holds, so cells go to whichever worker is free.
/// Finished cells are skipped, so a rerun resumes where a killed run
/// stopped. When no cell is free but others still run, a runner waits and
/// takes over the cells the queue hands out again (their worker died), and
/// stops when all are finished.
public struct SweepRunner: Sendable {
  /// The plan.
  public var plan: SweepPlan
  /// The plan's cells on a work queue.
  public var cells: CellQueue
  /// Seconds between claims while other workers still run the last cells.
  public var claimPoll: Double = 1

  /// A runner of `plan` over `cells`.
  public init(plan: SweepPlan, cells: CellQueue) {
    self.plan = plan
    self.cells = cells
  }

  /// A runner of `plan` alone, into the JSON-lines `store` (claims in this
  /// process only).
  public init(plan: SweepPlan, store: JSONLinesCellStore) {
    self.init(
      plan: plan,
      cells: CellQueue(
        queue: InMemoryWorkQueue(), name: "cells", log: store, heartbeatInterval: nil))
  }

  /// The plan's cells not yet finished.
  public func pending() throws -> [SweepCell] {
    let done = Set(try cells.finished().map(\.key))
    return plan.cells.filter { !done.contains($0.key) }
  }

  /// Runs the pending cells until all are done, `deadline` (uptime
  /// nanoseconds) passes or `shouldStop` says so (checked before each
  /// cell); returns how many this runner ran. A cell that throws is marked
  /// failed (a rerun tries it again) and the error is rethrown.
  ///
  /// - Parameter progress: called after each cell with the cells this call
  ///   has finished and the number that were pending when it began.
  @discardableResult
  public func run(
    deadline: UInt64? = nil, shouldStop: () -> Bool = { false },
    progress: (Int, Int, CellResult) -> Void = { _, _, _ in }
  ) throws -> Int {
    try cells.submit(plan.cells)
    let todo = try pending()
    let byKey = Dictionary(plan.cells.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    let keys = Set(byKey.keys)
    var ran = 0
    while true {
      if let deadline, DispatchTime.now().uptimeNanoseconds >= deadline { break }
      if shouldStop() { break }
      guard let (key, lease) = try cells.claim() else {
        guard try cells.unfinished(among: keys) > 0 else { break }
        Thread.sleep(forTimeInterval: claimPoll)
        continue
      }
      guard let cell = byKey[key] else {
        try cells.fail(lease, error: "not a cell of this worker's spec")
        continue
      }
      let result: CellResult
      do {
        result = try plan.run(cell)
      } catch {
        try? cells.fail(lease, error: "\(error)")
        throw error
      }
      guard try cells.record(result, under: lease) else { continue }
      ran += 1
      progress(ran, todo.count, result)
    }
    return ran
  }
}
