import Annealing
import Foundation
import Logging
import QUBOModel
import ServiceLifecycle
import Synchronization
import WorkQueue

/// The server's workers: each claims a job from the queue, runs it on a
/// thread of its own while heartbeating and watching for cancellation, and
/// stores the result (or the error) through its lease.
///
/// A running job stops at its next poll when its owner cancels it (the
/// sample set found so far is stored, marked cancelled), when it reaches the
/// server's time limit (what it found is stored as its result), when its
/// lease is lost (another server took it over; nothing is stored), and at
/// graceful shutdown (the job goes back on the queue).
final class JobWorker: Service, Sendable {
  let queue: any WorkQueue
  let store: any ServeStore
  let configuration: ServeConfiguration
  let metrics: ServeMetrics
  let logger: Logger
  private let running = Mutex<[String: RunningJob]>([:])
  private let stopping = Atomic<Bool>(false)

  init(
    queue: any WorkQueue, store: any ServeStore, configuration: ServeConfiguration,
    metrics: ServeMetrics, logger: Logger
  ) {
    self.queue = queue
    self.store = store
    self.configuration = configuration
    self.metrics = metrics
    self.logger = logger
  }

  /// Runs the workers until graceful shutdown, then puts the jobs they were
  /// running back on the queue.
  func run() async throws {
    await withTaskCancellationHandler {
      await withGracefulShutdownHandler {
        await withTaskGroup(of: Void.self) { group in
          for w in 1...max(1, configuration.workers) {
            group.addTask { await self.loop(worker: "\(self.configuration.name)/\(w)") }
          }
        }
      } onGracefulShutdown: {
        self.shutDown()
      }
    } onCancel: {
      self.shutDown()
    }
  }

  /// Stops claiming, and stops the running jobs so that they go back on
  /// the queue.
  private func shutDown() {
    stopping.store(true, ordering: .relaxed)
    for job in running.withLock({ Array($0.values) }) { job.stop(.shutdown) }
  }

  /// Stops the job `id` at its next poll if this server runs it, keeping
  /// what it found; `false` when it does not run here.
  func cancelLocally(id: String) -> Bool {
    guard let job = running.withLock({ $0[id] }) else { return false }
    job.stop(.cancelled)
    return true
  }

  private func loop(worker: String) async {
    while !stopping.load(ordering: .relaxed) {
      do {
        let staleAfter = configuration.staleAfter
        let queue = self.queue
        let claimed = try await offload {
          try queue.claim(in: JobPayload.queue, worker: worker, staleAfter: staleAfter)
        }
        if let (item, lease) = claimed {
          await runJob(item, lease)
          continue
        }
      } catch {
        logger.error("claiming a job failed: \(error)", metadata: ["worker": "\(worker)"])
      }
      try? await Task.sleep(for: .seconds(configuration.pollInterval))
    }
  }

  private func runJob(_ item: WorkItem, _ lease: WorkLease) async {
    let id = item.key
    var log = logger
    log[metadataKey: "job"] = "\(id)"
    log[metadataKey: "account"] = "\(item.owner ?? "-")"
    let queue = self.queue
    let store = self.store
    do {
      if try await offload({ try store.cancelRequested(id: id) }) {
        _ = try await offload { try queue.cancel(key: id, in: JobPayload.queue, reason: "cancelled") }
        try await offload { try store.closeJob(id: id) }
        log.info("job cancelled before it started")
        metrics.cancelled.increment()
        return
      }
      let payload = try JobPayload.decode(item.payload)
      let model = try JobRequest.model(format: payload.format, text: payload.problem)
      var config = try JobRequest.configuration(payload.parameters)
      let job = RunningJob()
      config.readOptions.control.cancellation = job.token
      running.withLock { $0[id] = job }
      if stopping.load(ordering: .relaxed) { job.stop(.shutdown) }
      metrics.running.increment()
      defer {
        running.withLock { $0[id] = nil }
        metrics.running.decrement()
      }
      log.info(
        "job started",
        metadata: ["attempt": "\(lease.generation)", "variables": "\(model.numVariables)"])
      let t0 = Date()
      let sampling = Task { [config] in
        try await onOwnThread {
          var rng = SplitMix64(seed: payload.seed)
          var set = try config.sampler.sample(model, using: &rng)
          set.info["seed"] = .int(Int(truncatingIfNeeded: payload.seed))
          set.info["configuration"] = config.json
          return set
        }
      }
      let watch = Task {
        await self.watch(job, id: id, lease: lease, maxSeconds: payload.maxSeconds, log: log)
      }
      let outcome = await sampling.result
      watch.cancel()
      try await settle(outcome, job: job, id: id, lease: lease, log: log)
      metrics.jobSeconds.record(Date().timeIntervalSince(t0))
    } catch {
      log.error("job failed: \(error)")
      _ = try? await offload { try queue.fail(lease, error: "\(error)") }
      _ = try? await offload { try store.closeJob(id: id) }
      metrics.failed.increment()
    }
  }

  /// Stores what a finished run produced, according to why it stopped.
  private func settle(
    _ outcome: Result<SampleSet, any Error>, job: RunningJob, id: String, lease: WorkLease,
    log: Logger
  ) async throws {
    let queue = self.queue
    let store = self.store
    switch job.reason {
    case .shutdown:
      _ = try await offload { try queue.release(lease) }
      metrics.released.increment()
      log.info("job released at shutdown")
    case .lost:
      log.warning("job lost its lease (taken over or cancelled); nothing stored")
    case .cancelled, .timeLimit, .none:
      let cancelled = job.reason == .cancelled
      switch outcome {
      case .success(var set):
        if job.reason == .timeLimit { set.info["stopped_at_server_time_limit"] = .bool(true) }
        let data = JobPayload.result(set, cancelled: cancelled)
        let stored = try await offload { try queue.finish(lease, result: data) }
        if stored {
          (cancelled ? metrics.cancelled : metrics.done).increment()
          log.info(
            cancelled ? "job cancelled; partial result stored" : "job done",
            metadata: ["rows": "\(set.count)"])
        } else {
          log.warning("job lost its lease before its result was stored")
        }
      case .failure(let error):
        _ = try await offload { try queue.fail(lease, error: "\(error)") }
        metrics.failed.increment()
        log.error("job failed: \(error)")
      }
      try await offload { try store.closeJob(id: id) }
    }
  }

  /// Heartbeats the lease and polls for cancellation until cancelled.
  private func watch(
    _ job: RunningJob, id: String, lease: WorkLease, maxSeconds: Double, log: Logger
  ) async {
    let queue = self.queue
    let store = self.store
    let started = Date()
    var lastBeat = started
    while !Task.isCancelled {
      try? await Task.sleep(for: .seconds(configuration.pollInterval))
      if Task.isCancelled { return }
      if Date().timeIntervalSince(started) >= maxSeconds { job.stop(.timeLimit) }
      do {
        if try await offload({ try store.cancelRequested(id: id) }) {
          job.stop(.cancelled)
        }
        if Date().timeIntervalSince(lastBeat) >= configuration.heartbeatInterval {
          lastBeat = Date()
          if try await !offload({ try queue.heartbeat(lease) }) { job.stop(.lost) }
        }
      } catch {
        log.error("heartbeat failed: \(error)")
      }
    }
  }
}

/// Why a running job was asked to stop.
enum StopReason: Sendable {
  /// Its owner cancelled it: keep what it found.
  case cancelled
  /// It reached the server's time limit: store what it found as its result.
  case timeLimit
  /// Its lease is no longer current: store nothing.
  case lost
  /// The server is shutting down: put it back on the queue.
  case shutdown
}

/// A job a worker is running: the token its sampler polls, and why it was
/// stopped (the first reason wins).
final class RunningJob: Sendable {
  let token = CancellationToken()
  private let why = Mutex<StopReason?>(nil)

  var reason: StopReason? { why.withLock { $0 } }

  func stop(_ reason: StopReason) {
    why.withLock { if $0 == nil { $0 = reason } }
    token.cancel()
  }
}
