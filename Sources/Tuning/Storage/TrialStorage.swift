import Foundation

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
}

/// A study's storage kept in this process only.
public final class InMemoryStorage: TrialStorage, @unchecked Sendable {
  private let lock = NSLock()
  private var directions: [String: Direction] = [:]
  private var studies: [String: [FrozenTrial]] = [:]
  private var reservations: [String: [String: Int]] = [:]

  /// An empty storage.
  public init() {}

  public func openStudy(name: String, direction: Direction) throws {
    try lock.withLock {
      if let d = directions[name], d != direction {
        throw TuningError.directionMismatch(study: name, stored: d.rawValue)
      }
      directions[name] = direction
      if studies[name] == nil { studies[name] = [] }
    }
  }

  public func claimTrial(study: String, limit: Int?, owner: String) throws -> FrozenTrial? {
    lock.withLock {
      var list = studies[study, default: []]
      defer { studies[study] = list }
      if let k = list.firstIndex(where: { $0.state == .waiting }) {
        list[k] = FrozenTrial(number: list[k].number, owner: owner)
        return list[k]
      }
      if let limit, list.count >= limit { return nil }
      let t = FrozenTrial(number: list.count, owner: owner)
      list.append(t)
      return t
    }
  }

  public func save(study: String, trial: FrozenTrial) throws {
    try lock.withLock {
      guard var list = studies[study], trial.number < list.count else {
        throw TuningError.storage("no trial \(trial.number) in study '\(study)'")
      }
      list[trial.number] = trial
      studies[study] = list
    }
  }

  public func trials(study: String, from: Int) throws -> [FrozenTrial] {
    lock.withLock { Array(studies[study, default: []].dropFirst(max(0, from))) }
  }

  public func requeueAbandoned(study: String, isAlive: (String) -> Bool) throws -> Int {
    lock.withLock {
      var n = 0
      var list = studies[study, default: []]
      for (k, t) in list.enumerated() where t.state == .running {
        if let o = t.owner, !isAlive(o) {
          var w = FrozenTrial(number: t.number, owner: nil, started: nil)
          w.state = .waiting
          list[k] = w
          n += 1
          reservations[study] = reservations[study]?.filter { $0.value != t.number }
        }
      }
      studies[study] = list
      return n
    }
  }

  public func reserve(study: String, configuration: String, number: Int) throws -> Bool {
    lock.withLock {
      if let holder = reservations[study]?[configuration] { return holder == number }
      reservations[study, default: [:]][configuration] = number
      return true
    }
  }
}

extension TrialStorage {
  /// Every trial of `study`, by number.
  public func trials(study: String) throws -> [FrozenTrial] {
    try trials(study: study, from: 0)
  }
}
