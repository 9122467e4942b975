import Annealing
import Dispatch
import Foundation
import QUBOModel

/// Runs the unfinished cells of a plan that belong to one worker, storing
/// each as it finishes.
///
/// Worker `k` of `n` takes the cells whose index is `k` mod `n`, so workers
/// never run the same cell. Cells already in the store are skipped: a rerun
/// resumes where a killed run stopped. A store that hands out claims
/// (`CellClaims`) replaces the partition: every worker claims the next
/// unclaimed cell of the whole plan, so any number of processes can join;
/// when none is left but others still run, it waits and takes over those
/// their store hands out again (their worker died), and stops when all are
/// finished.
public struct SweepRunner: Sendable {
  /// The plan.
  public var plan: SweepPlan
  /// Where finished cells go.
  public var store: any CellStore
  /// This worker's index.
  public var worker: Int
  /// The number of workers.
  public var workers: Int
  /// Seconds between claims while other workers still run the last cells.
  public var claimPoll: Double = 1

  /// A runner for worker `worker` of `workers`.
  public init(plan: SweepPlan, store: any CellStore, worker: Int = 0, workers: Int = 1) {
    precondition(workers >= 1 && worker >= 0 && worker < workers, "worker must be in 0..<workers")
    self.plan = plan
    self.store = store
    self.worker = worker
    self.workers = workers
  }

  /// This worker's cells not yet in the store.
  public func pending() throws -> [SweepCell] {
    let done = Set(try store.finished().map(\.key))
    let claims = store is any CellClaims
    return plan.cells.filter {
      (claims || $0.index % workers == worker) && !done.contains($0.key)
    }
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

  /// Runs the pending cells in order until all are done, `deadline`
  /// (uptime nanoseconds) passes or `shouldStop` says so (checked before each
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
    var problems: [Int: IsingProblem] = [:]
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
      let problem: IsingProblem
      if let p = problems[cell.instance] {
        problem = p
      } else {
        problem = IsingProblem(plan.instances[cell.instance].model)
        problems[cell.instance] = problem
      }
      let result = try plan.run(cell, problem: problem)
      try store.record(result)
      ran += 1
      progress(ran, todo.count, result)
    }
    return ran
  }
}
