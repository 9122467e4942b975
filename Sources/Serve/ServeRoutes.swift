import Annealing
import Foundation
import Hummingbird
import QUBOModel
import WorkQueue

/// The HTTP API over the work queue and the serve store (the contract is
/// docs/openapi.yaml).
struct ServeRoutes: Sendable {
  let queue: any WorkQueue
  let store: any ServeStore
  let configuration: ServeConfiguration
  let metrics: ServeMetrics
  let worker: JobWorker
  let quota = QuotaRefresh()

  /// Adds the routes to `router`.
  func add(to router: Router<ServeRequestContext>) {
    router.get("/healthz") { _, _ in try await self.health() }
    router.get("/metrics") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
        body: .init(byteBuffer: ByteBuffer(string: self.metrics.text())))
    }
    router.get("/v1/samplers") { _, _ in self.samplers() }
    let jobs = router.group("/v1/jobs").add(middleware: AuthMiddleware(store: store))
    jobs.post { request, context in try await self.submit(request, context) }
    jobs.get(":id") { _, context in try await self.show(context) }
    jobs.delete(":id") { _, context in try await self.cancel(context) }
  }

  private func health() async throws -> Response {
    let queue = self.queue
    do {
      _ = try await offload { try queue.now() }
    } catch {
      return JSONResponse.make(
        .serviceUnavailable,
        JSONValue.object(["status": .string("storage unavailable: \(error)")]).serialized())
    }
    return JSONResponse.make(.ok, "{\"status\": \"ok\"}")
  }

  private func samplers() -> Response {
    let list = SamplerKind.allCases.map { kind -> JSONValue in
      .object([
        "name": .string(kind.rawValue),
        "parameters": .array(kind.keys.map(JSONValue.string)),
        "defaults": SamplerConfiguration(kind).json,
      ])
    }
    let limits = configuration.limits
    let body = JSONValue.object([
      "samplers": .array(list),
      "limits": .object([
        "max_body_bytes": .int(limits.maxBodyBytes),
        "max_variables": .int(limits.maxVariables),
        "max_reads_times_sweeps": .int(limits.maxReadsTimesSweeps),
        "max_result_values": .int(limits.maxResultValues),
        "max_concurrent_jobs": .int(limits.maxConcurrentJobs),
        "max_time_limit": .double(limits.maxTimeLimit),
      ]),
    ])
    return JSONResponse.make(.ok, body.serialized())
  }

  private func submit(_ request: Request, _ context: ServeRequestContext) async throws
    -> Response
  {
    let t0 = Date()
    defer { metrics.submitSeconds.record(Date().timeIntervalSince(t0)) }
    guard let account = context.account else { throw ServeError.unauthorized }
    let limits = configuration.limits
    // A body over the limit is read and dropped (up to 8 times the limit)
    // before the 413, since many clients read no answer before they have
    // sent their whole body; beyond that the connection is closed.
    var bytes: [UInt8] = []
    var total = 0
    for try await buffer in request.body {
      total += buffer.readableBytes
      if total <= limits.maxBodyBytes {
        bytes.append(contentsOf: buffer.readableBytesView)
      } else if total > 8 * limits.maxBodyBytes {
        break
      }
    }
    if total > limits.maxBodyBytes {
      metrics.refusedBad.increment()
      var response = JSONResponse.error(
        .contentTooLarge,
        "the body has \(total > 8 * limits.maxBodyBytes ? "more than \(total)" : "\(total)") "
          + "bytes; this server takes at most \(limits.maxBodyBytes)")
      response.headers[.connection] = "close"
      return response
    }
    let job: JobRequest
    do {
      job = try JobRequest(
        body: bytes, limits: limits, threads: configuration.threadsPerJob)
    } catch let error as ServeError {
      (error.status == .tooManyRequests ? metrics.refusedQuota : metrics.refusedBad).increment()
      throw error
    }
    let id = UUID().uuidString.lowercased()
    let store = self.store
    let queue = self.queue
    let limit = limits.maxConcurrentJobs
    let quota = self.quota
    let reserved = try await offload { () throws -> Bool in
      // A refusal costs only reads: the open jobs are counted first, and the
      // atomic reservation (a write) is tried only when there is room.
      var open = try store.openJobs(owner: account)
      if open.count >= limit, quota.refreshDue(account) {
        // Jobs that finished on a server that died before closing them
        // still count; close those the queue says are finished.
        for id in open
        where try queue.item(key: id, in: JobPayload.queue)?.state.isFinished ?? true {
          try store.closeJob(id: id)
        }
        open = try store.openJobs(owner: account)
      }
      guard open.count < limit else { return false }
      return try store.reserveJob(id: id, owner: account, limit: limit)
    }
    guard reserved else {
      metrics.refusedQuota.increment()
      throw ServeError.quota(
        "account '\(account)' has \(limit) jobs queued or running, this server's limit; "
          + "wait for one to finish or cancel one")
    }
    let item = NewWorkItem(key: id, payload: JobPayload.encode(job), owner: account)
    do {
      _ = try await offload { try queue.enqueue([item], in: JobPayload.queue) }
    } catch {
      _ = try? await offload { try store.closeJob(id: id) }
      throw error
    }
    metrics.submitted.increment()
    context.logger.info(
      "job submitted",
      metadata: ["job": "\(id)", "variables": "\(job.numVariables)"])
    return JSONResponse.make(.accepted, JSONValue.object(["id": .string(id)]).serialized())
  }

  /// The job of `context`'s id parameter, if its owner is the caller.
  private func ownedItem(_ context: ServeRequestContext) async throws -> WorkItem {
    guard let account = context.account else { throw ServeError.unauthorized }
    guard let id = context.parameters.get("id") else { throw ServeError.notFound }
    let queue = self.queue
    guard let item = try await offload({ try queue.item(key: id, in: JobPayload.queue) }),
      item.owner == account
    else { throw ServeError.notFound }
    return item
  }

  private func show(_ context: ServeRequestContext) async throws -> Response {
    JSONResponse.make(.ok, Self.view(try await ownedItem(context)))
  }

  private func cancel(_ context: ServeRequestContext) async throws -> Response {
    let item = try await ownedItem(context)
    let id = item.key
    let queue = self.queue
    let store = self.store
    switch item.state {
    case .done, .failed, .cancelled:
      return JSONResponse.make(.ok, Self.view(item))
    case .queued:
      try await offload { try store.requestCancel(id: id) }
      if try await offload({
        try queue.cancel(key: id, in: JobPayload.queue, reason: "cancelled by its owner")
      }) {
        try await offload { try store.closeJob(id: id) }
      }
    case .running:
      try await offload { try store.requestCancel(id: id) }
      _ = worker.cancelLocally(id: id)
    }
    context.logger.info("job cancel requested", metadata: ["job": "\(id)"])
    let now = try await offload { try queue.item(key: id, in: JobPayload.queue) } ?? item
    return JSONResponse.make(now.state.isFinished ? .ok : .accepted, Self.view(now))
  }

  /// `{"id", "state", "error"?, "result"?}` of an item.
  static func view(_ item: WorkItem) -> String {
    var state = item.state.rawValue
    var result: String?
    if item.state == .done, let data = item.result, let stored = JobPayload.readResult(data) {
      if stored.cancelled { state = WorkState.cancelled.rawValue }
      result = stored.sampleset
    }
    var fields: [String: JSONValue] = ["id": .string(item.key), "state": .string(state)]
    if let error = item.error, item.state == .failed || item.state == .cancelled {
      fields["error"] = .string(error)
    }
    let head = JSONValue.object(fields).serialized()
    guard let result else { return head }
    return String(head.dropLast()) + ", \"result\": " + result + "}"
  }
}
