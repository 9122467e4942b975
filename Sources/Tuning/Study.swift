import Annealing
import Foundation
import QUBOModel
import Synchronization

/// A hyperparameter search: a named set of trials in a storage, a direction,
/// and a sampler that proposes the next configuration.
///
/// ```swift
/// let study = try Study(name: "demo")      // TrustRegionSampler by default
/// try study.optimize(trials: 50) { trial in
///   let x = try trial.suggestInt("x", low: -10, high: 10)
///   let lr = try trial.suggestFloat("lr", low: 1e-4, high: 1e-1, log: true)
///   return Double(x * x) + lr
/// }
/// print(try study.bestTrial?.parameters ?? [:])
/// ```
///
/// Several studies (in threads or in processes) may share one storage and
/// study name; trial numbers are claimed atomically, so `optimize(trials:)`
/// stops every worker once the study holds that many trials.
public final class Study: Sendable {
  /// The study's name in its storage.
  public let name: String
  /// Whether smaller or larger values are better.
  public let direction: Direction
  /// Proposes configurations.
  public let sampler: any TuningSampler
  /// Keeps the trials.
  public let storage: any TrialStorage
  /// Stops unpromising trials (when the objective asks `shouldPrune`).
  public let pruner: MedianPruner?
  /// The declared search space, when known up front; otherwise the sampler
  /// works on the parameters every completed trial shares.
  public let searchSpace: SearchSpace?
  /// The seed every trial's randomness derives from (with its number).
  public let seed: UInt64
  /// This worker's name in the storage (`host/pid`).
  public let owner: String
  /// Seconds between heartbeats of a running trial (from a background
  /// thread while `optimize` runs the objective).
  public let heartbeatInterval: Double
  /// Seconds without a heartbeat after which a running trial counts as
  /// lost: the next claim or finish by any worker marks it `failed`.
  public let heartbeatTimeout: Double
  /// Serialises `ask` within this process (claims and proposals).
  private let askLock = Mutex(())
  /// The longest run of finished trials from number 0 (they never change).
  private let finishedPrefix = Mutex<[FrozenTrial]>([])

  /// Opens (or creates) the study `name` in `storage` with `sampler` (by
  /// default `TrustRegionSampler`, as `anneal tune`), and puts back to
  /// `waiting` the running trials of workers on this host that are gone
  /// (their process no longer exists). Trials of workers that die later, or
  /// on other hosts, are found by their heartbeat instead and failed.
  public init(
    name: String = "study", direction: Direction = .minimize,
    sampler: any TuningSampler = TrustRegionSampler(),
    storage: any TrialStorage = InMemoryStorage(),
    pruner: MedianPruner? = nil, searchSpace: SearchSpace? = nil, seed: UInt64 = 0,
    heartbeatInterval: Double = 5, heartbeatTimeout: Double = 30
  ) throws {
    self.heartbeatInterval = heartbeatInterval
    self.heartbeatTimeout = heartbeatTimeout
    self.name = name
    self.direction = direction
    self.sampler = sampler
    self.storage = storage
    self.pruner = pruner
    self.searchSpace = searchSpace
    self.seed = seed
    owner = Worker.current
    try storage.openStudy(name: name, direction: direction)
    _ = try storage.requeueAbandoned(study: name, isAlive: Worker.isAlive)
  }

  /// Every trial, by number.
  ///
  /// Finished trials never change, so the longest run of finished trials
  /// from number 0 is cached and only the rest is read from the storage.
  public var trials: [FrozenTrial] {
    get throws {
      let cached = finishedPrefix.withLock { $0 }
      let rest = try storage.trials(study: name, from: cached.count)
      var all = cached + rest
      // Keep only a gap-free prefix of finished trials for next time.
      var k = cached.count
      while k < all.count, all[k].number == k, all[k].state.isFinished { k += 1 }
      if k > cached.count {
        let prefix = Array(all[..<k])
        finishedPrefix.withLock { if prefix.count > $0.count { $0 = prefix } }
      }
      if all.count > 0, all.last?.number != all.count - 1 {
        all = try storage.trials(study: name)
      }
      return all
    }
  }

  /// The best complete trial (the lowest number among ties).
  public var bestTrial: FrozenTrial? {
    get throws { Self.best(of: try trials, direction: direction) }
  }

  static func best(of trials: [FrozenTrial], direction: Direction) -> FrozenTrial? {
    var best: FrozenTrial?
    for t in trials where t.state == .complete {
      guard let v = t.value else { continue }
      if let b = best?.value, !direction.isBetter(v, than: b) { continue }
      best = t
    }
    return best
  }

  /// Starts a trial with the sampler's proposal, or returns `nil` when the
  /// study already holds `limit` trials or the sampler has nothing left to
  /// propose (an exhausted grid).
  public func ask(limit: Int? = nil) throws -> Trial? {
    try ask(count: 1, limit: limit).first
  }

  /// Starts up to `count` trials at once with distinct proposals.
  ///
  /// For parallel workers: one sampler call proposes them all. Each proposed
  /// trial gets the user attribute `propose_seconds` (the sampler's time).
  public func ask(count: Int, limit: Int? = nil) throws -> [Trial] {
    try askLock.withLock { _ throws -> [Trial] in
      let before = try trials
      let space =
        searchSpace
        ?? SearchSpace.intersection(
          of: before.filter { $0.state == .complete })
      if space.count > 0, sampler.isExhausted(space: space, trials: before) { return [] }
      try failStaleTrials()
      var claimed: [FrozenTrial] = []
      for _ in 0..<count {
        guard let t = try storage.claimTrial(study: name, limit: limit, owner: owner) else {
          break
        }
        claimed.append(t)
      }
      guard let first = claimed.first else { return [] }
      var proposals: [[Int]] = []
      var notes: [[String: JSONValue]] = []
      var original: [[Int]] = []
      var proposeSeconds: Double?
      if space.count > 0 {
        let history = try trials
        let t0 = Date()
        let noted = try sampler.proposeWithNotes(
          space: space, trials: history, direction: direction, count: claimed.count,
          seed: Worker.mix(seed, UInt64(first.number)))
        original = noted.map(\.configuration)
        proposals = original
        notes = noted.map(\.notes)
        proposals = try reserve(
          proposals, for: claimed, space: space, history: history,
          seed: Worker.mix(seed, UInt64(first.number)))
        proposeSeconds = Date().timeIntervalSince(t0)
      }
      var out: [Trial] = []
      for (k, t) in claimed.enumerated() {
        var proposal: [String: (Distribution, ParameterValue)] = [:]
        if k < proposals.count, proposals[k].count == space.count {
          for (i, (n, d)) in zip(space.names, space.ordered).enumerated() {
            proposal[n] = (d, d.value(at: proposals[k][i]))
          }
        }
        let trial = Trial(
          study: self, record: t, proposal: proposal,
          seed: Worker.mix(seed ^ 0x5EED, UInt64(t.number)))
        if let proposeSeconds, k < proposals.count, !proposals[k].isEmpty {
          // Notes describe the sampler's own proposal; a replaced one has none.
          var attributes: [String: JSONValue] = ["propose_seconds": .double(proposeSeconds)]
          if k < notes.count, original[k] == proposals[k] {
            attributes.merge(notes[k]) { a, _ in a }
          }
          try trial.adoptProposal(order: space.names, attributes: attributes)
        } else if space.count > 0 {
          // Another worker took the last configuration between our check
          // and our claim: record the claimed trial as failed, run nothing.
          try trial.setUserAttribute("error", .string("no configuration left to try"))
          try tell(trial, state: .failed)
          continue
        }
        out.append(trial)
      }
      return out
    }
  }

  /// Reserves each proposal in the storage for its trial.
  ///
  /// A proposal that another worker (maybe in another process) holds is replaced by a new
  /// one, with the held configurations added to the history. An empty
  /// entry means the sampler had nothing left (an exhausted grid). After 8
  /// refusals a proposal is kept unreserved (every configuration is taken).
  private func reserve(
    _ proposals: [[Int]], for claimed: [FrozenTrial], space: SearchSpace,
    history: [FrozenTrial], seed: UInt64
  ) throws -> [[Int]] {
    var out: [[Int]] = []
    var held = history
    for (k, t) in claimed.enumerated() {
      var c = k < proposals.count ? proposals[k] : []
      var attempt = 0
      while !c.isEmpty,
        try !storage.reserve(study: name, configuration: space.key(of: c), number: t.number),
        attempt < 8
      {
        var ghost = FrozenTrial(number: -1 - attempt, started: nil)
        ghost.parameters = space.parameters(of: c)
        held.append(ghost)
        attempt += 1
        c =
          try sampler.propose(
            space: space,
            trials: held
              + out.map { taken in
                var g = FrozenTrial(number: -1, started: nil)
                g.parameters = space.parameters(of: taken)
                return g
              }, direction: direction, count: 1, seed: Worker.mix(seed, UInt64(100 + attempt))
          ).first ?? []
      }
      out.append(c)
    }
    return out
  }

  /// Marks `failed` the running trials with no heartbeat for
  /// `heartbeatTimeout` seconds (done before every claim and finish).
  @discardableResult
  public func failStaleTrials() throws -> Int {
    try storage.failStale(
      study: name, timeout: heartbeatTimeout,
      reason: "worker lost: no heartbeat for \(JSONValue.format(heartbeatTimeout)) s")
  }

  /// Finishes `trial` as complete with `value`; a non-finite value fails
  /// it instead, with the user attribute `error` saying so.
  @discardableResult
  public func tell(_ trial: Trial, value: Double) throws -> FrozenTrial {
    guard value.isFinite else {
      try trial.setUserAttribute(
        "error", .string("the objective returned \(value), not a finite number"))
      return try tell(trial, state: .failed)
    }
    return try trial.finish(state: .complete, value: value)
  }

  /// Finishes `trial` in `state` (pruned or failed).
  @discardableResult
  public func tell(_ trial: Trial, state: TrialState, value: Double? = nil) throws
    -> FrozenTrial
  {
    try trial.finish(state: state, value: value)
  }

  /// Runs `objective` on new trials until the study holds `trials` trials
  /// (not counting those lost with their worker) and none is running,
  /// `timeout` seconds have passed, or `patience` complete trials in a row
  /// have not improved on the best value.
  ///
  /// `trials` is the study's total — trials of earlier runs and of other
  /// workers count — so running a study of 60 again after a crash runs only
  /// the missing ones. (Optuna's `n_trials` counts the new trials of this
  /// call instead: for that, pass the current count plus the new ones.)
  ///
  /// While the objective runs, a background thread refreshes the trial's
  /// heartbeat every `heartbeatInterval` seconds. A trial whose worker died
  /// (no heartbeat for `heartbeatTimeout` seconds) is marked failed, with
  /// the user attributes `error` and `worker_lost`, by the next worker that
  /// claims or finishes a trial; it does not count toward `trials`, so a
  /// study of 60 trials that lost one ends with 60 others and the failed one.
  ///
  /// `parallelism` workers (threads) run at once. An objective that throws
  /// `TrialPruned` ends its trial as pruned; any other error, or a
  /// non-finite value, as failed (the message goes into the user attribute
  /// `error`), and the study goes on. Storage errors stop it.
  ///
  /// - Parameters:
  ///   - onFinish: called after each trial finishes (from its worker thread).
  public func optimize(
    trials: Int? = nil, timeout: Double? = nil, parallelism: Int = 1, patience: Int? = nil,
    onFinish: (@Sendable (FrozenTrial) -> Void)? = nil,
    _ objective: @escaping @Sendable (Trial) throws -> Double
  ) throws {
    let start = Date()
    let failure = ErrorBox()
    let work: @Sendable () -> Void = { [self] in
      do {
        while failure.error == nil {
          if let timeout, Date().timeIntervalSince(start) >= timeout { return }
          if let patience, try stalled(patience: patience) { return }
          guard let trial = try ask(limit: trials) else {
            // The budget is full, but a trial still running elsewhere may yet
            // be lost and replaced: wait until none is running.
            guard trials != nil, try self.trials.contains(where: { $0.state == .running })
            else { return }
            Thread.sleep(forTimeInterval: min(1, heartbeatInterval))
            continue
          }
          let record: FrozenTrial
          do {
            let beat = Heartbeat(every: heartbeatInterval) { [storage, name, owner] in
              try? storage.heartbeat(study: name, number: trial.number, owner: owner)
            }
            defer { beat.stop() }
            let v = try objective(trial)
            record = try tell(trial, value: v)
          } catch is TrialPruned {
            record = try tell(trial, state: .pruned)
          } catch let e as TuningError {
            throw e
          } catch {
            try? trial.setUserAttribute("error", .string("\(error)"))
            record = try tell(trial, state: .failed)
          }
          onFinish?(record)
        }
      } catch {
        failure.set(error)
      }
    }
    let n = max(1, parallelism)
    if n == 1 {
      work()
    } else {
      let group = DispatchGroup()
      for _ in 0..<n {
        group.enter()
        Thread {
          work()
          group.leave()
        }.start()
      }
      group.wait()
    }
    if let e = failure.error { throw e }
  }

  /// Whether the last `patience` complete trials (by number) all came after
  /// the best one.
  func stalled(patience: Int) throws -> Bool {
    let list = try trials
    guard let best = Self.best(of: list, direction: direction) else { return false }
    let after = list.filter { $0.state == .complete && $0.number > best.number }.count
    return after >= patience
  }
}
