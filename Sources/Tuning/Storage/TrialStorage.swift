import Foundation
import QUBOModel
import Synchronization
import WorkQueue

/// Where a study's trials live: one protocol for every backend (in memory,
/// SQLite; a server database later).
///
/// The contract that lets several workers share a study:
/// - `claimTrial` is atomic: two workers never get the same number, and a
///   study never holds more than `limit` trials;
/// - a trial is written only by the worker that claimed it (`save`);
/// - a claim first reuses a `waiting` trial (one whose worker died, see
///   `requeueAbandoned`), so a restarted study runs no finished trial again.
public protocol TrialStorage: Sendable {
  /// Creates the study, or checks that an existing one has `direction`.
  func openStudy(name: String, direction: Direction) throws

  /// Claims the next trial of `study` for `owner`: a waiting trial if there
  /// is one, else a new number, unless the study already holds `limit`
  /// trials (then `nil`).
  func claimTrial(study: String, limit: Int?, owner: String) throws -> FrozenTrial?

  /// Writes `trial` (matched by number) as a whole.
  func save(study: String, trial: FrozenTrial) throws

  /// The trials of `study` numbered `from` or more, by number. (Finished
  /// trials never change, so a reader may cache them and ask only for the
  /// rest.)
  func trials(study: String, from: Int) throws -> [FrozenTrial]

  /// Puts running trials whose owner `isAlive` says is gone back to
  /// `waiting`, with their parameters cleared and their reservation
  /// released; returns how many.
  func requeueAbandoned(study: String, isAlive: (String) -> Bool) throws -> Int

  /// Reserves `configuration` (a canonical text of a configuration) for
  /// trial `number`, atomically; `false` when another trial holds it. Lets
  /// workers in several processes propose without running one
  /// configuration twice.
  func reserve(study: String, configuration: String, number: Int) throws -> Bool

  /// Records that `owner` still runs trial `number` (a no-op once the trial
  /// has finished). Every `save` of a running trial counts as one too.
  func heartbeat(study: String, number: Int, owner: String) throws

  /// Marks `failed` the running trials whose last heartbeat is more than
  /// `timeout` seconds old, with `reason` in the user attribute `error`, and
  /// flags them lost: a lost trial does not count toward a claim's `limit`,
  /// so another trial takes its place. Returns how many.
  func failStale(study: String, timeout: Double, reason: String) throws -> Int
}

/// The worker-lost marker `failStale` sets on a trial it fails.
public let lostTrialAttribute = "worker_lost"

/// A study's storage kept in this process only; running trials are leased
/// on an in-memory work queue (`TrialLeases`).
public final class InMemoryStorage: TrialStorage, Sendable {
  /// Everything the storage holds, behind one lock.
  private struct State {
    var directions: [String: Direction] = [:]
    var studies: [String: [FrozenTrial]] = [:]
    var reservations: [String: [String: Int]] = [:]
    var lost: [String: Set<Int>] = [:]
  }

  private let state = Mutex(State())
  private let leases = TrialLeases(queue: InMemoryWorkQueue())

  /// An empty storage.
  public init() {}

  public func openStudy(name: String, direction: Direction) throws {
    try state.withLock { s in
      if let d = s.directions[name], d != direction {
        throw TuningError.directionMismatch(study: name, stored: d.rawValue)
      }
      s.directions[name] = direction
      if s.studies[name] == nil { s.studies[name] = [] }
    }
  }

  public func claimTrial(study: String, limit: Int?, owner: String) throws -> FrozenTrial? {
    let claimed = state.withLock { s -> FrozenTrial? in
      var list = s.studies[study, default: []]
      defer { s.studies[study] = list }
      if let k = list.firstIndex(where: { $0.state == .waiting }) {
        list[k] = FrozenTrial(number: list[k].number, owner: owner)
        return list[k]
      }
      if let limit, list.count - s.lost[study, default: []].count >= limit { return nil }
      let t = FrozenTrial(number: list.count, owner: owner)
      list.append(t)
      return t
    }
    guard let claimed else { return nil }
    guard try leases.start(study: study, number: claimed.number, owner: owner) else {
      throw TuningError.storage("trial \(claimed.number) of '\(study)' is leased to another worker")
    }
    return claimed
  }

  public func save(study: String, trial: FrozenTrial) throws {
    try state.withLock { s in
      guard var list = s.studies[study], trial.number < list.count else {
        throw TuningError.storage("no trial \(trial.number) in study '\(study)'")
      }
      // A finished trial never changes (a late save of a trial failed as
      // stale is dropped).
      if list[trial.number].state.isFinished { return }
      list[trial.number] = trial
      s.studies[study] = list
    }
    try leases.saved(study: study, trial: trial)
  }

  public func trials(study: String, from: Int) throws -> [FrozenTrial] {
    state.withLock { s in Array(s.studies[study, default: []].dropFirst(max(0, from))) }
  }

  public func requeueAbandoned(study: String, isAlive: (String) -> Bool) throws -> Int {
    _ = try leases.releaseAbandoned(study: study, isAlive: isAlive)
    return state.withLock { s in
      var n = 0
      var list = s.studies[study, default: []]
      for (k, t) in list.enumerated() where t.state == .running {
        if let o = t.owner, !isAlive(o) {
          var w = FrozenTrial(number: t.number, owner: nil, started: nil)
          w.state = .waiting
          list[k] = w
          n += 1
          s.reservations[study] = s.reservations[study]?.filter { $0.value != t.number }
        }
      }
      s.studies[study] = list
      return n
    }
  }

  public func reserve(study: String, configuration: String, number: Int) throws -> Bool {
    state.withLock { s in
      if let holder = s.reservations[study]?[configuration] { return holder == number }
      s.reservations[study, default: [:]][configuration] = number
      return true
    }
  }

  public func heartbeat(study: String, number: Int, owner: String) throws {
    try leases.beat(study: study, number: number, owner: owner)
  }

  public func failStale(study: String, timeout: Double, reason: String) throws -> Int {
    let stale = try leases.failStale(study: study, timeout: timeout, reason: reason)
    let now = try leases.now()
    return state.withLock { s in
      var n = 0
      var list = s.studies[study, default: []]
      for number in stale where number < list.count && list[number].state == .running {
        list[number].state = .failed
        list[number].finished = now
        list[number].userAttributes["error"] = .string(reason)
        list[number].userAttributes[lostTrialAttribute] = .bool(true)
        s.lost[study, default: []].insert(number)
        n += 1
      }
      s.studies[study] = list
      return n
    }
  }
}

extension TrialStorage {
  /// Every trial of `study`, by number.
  public func trials(study: String) throws -> [FrozenTrial] {
    try trials(study: study, from: 0)
  }
}
