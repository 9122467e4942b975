import Foundation
import QUBOModel
import Testing
import WorkQueue

@testable import Serve

/// The HTTP API end to end, against a server in this process.
@Suite("anneal serve API", .serialized)
struct ServeAPITests {
  static let triangle: String = {
    let url = Bundle.module.url(forResource: "triangle", withExtension: "json", subdirectory: "Fixtures")
    return url.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
  }()

  /// A job on the triangle fixture.
  static func job(_ parameters: String = #"{"sampler": "sa", "reads": 8, "sweeps": 200}"#, seed: Int = 7)
    -> String
  {
    #"{"problem": \#(triangle), "parameters": \#(parameters), "seed": \#(seed)}"#
  }

  /// A job that runs until cancelled or its time limit (a 300-spin chain,
  /// more sweeps than fit in `seconds`).
  static func longJob(seconds: Int = 20) -> String {
    let lines = (0..<299).map { "\($0) \($0 + 1) \($0 % 2 == 0 ? 1 : -1)" }.joined(separator: "\\n")
    return #"{"problem_coo": "\#(lines)", "parameters": {"sampler": "sa", "reads": 1000, "sweeps": 10000, "time_limit": \#(seconds)}}"#
  }

  func submit(_ server: LiveServer, _ body: String, token: String) async throws -> String {
    let reply = try await server.send("POST", "/v1/jobs", token: token, body: body)
    #expect(reply.status == 202, "\(reply.text)")
    return try #require(reply.json?["id"]?.string)
  }

  @Test func submitPollAndReadTheSampleSet() async throws {
    let server = try await LiveServer.start()
    let alice = try server.token("alice")
    let id = try await submit(server, Self.job(), token: alice)
    let done = try await server.wait(for: id, token: alice)
    #expect(done["state"] == .string("done"))
    let result = try #require(done["result"])
    #expect(result["type"] == .string("SampleSet"))
    #expect(result["num_rows"] == .int(8))
    #expect(result["variable_labels"] == .array([.string("a"), .string("b"), .string("c")]))
    #expect(result["info"]?["seed"] == .int(7))
    // Same seed, same samples.
    let again = try await server.wait(
      for: try await submit(server, Self.job(), token: alice), token: alice)
    #expect(again["result"]?["sample_data"] == result["sample_data"])
    #expect(again["result"]?["vectors"] == result["vectors"])
    await server.stop()
  }

  @Test func jobsAreVisibleOnlyToTheirOwner() async throws {
    let server = try await LiveServer.start()
    let alice = try server.token("alice")
    let bob = try server.token("bob")
    let id = try await submit(server, Self.job(), token: alice)
    #expect(try await server.send("GET", "/v1/jobs/\(id)", token: bob).status == 404)
    #expect(try await server.send("DELETE", "/v1/jobs/\(id)", token: bob).status == 404)
    #expect(try await server.send("GET", "/v1/jobs/\(id)", token: alice).status == 200)
    let anonymous = try await server.send("GET", "/v1/jobs/\(id)")
    #expect(anonymous.status == 401)
    #expect(anonymous.json?["error"]?.string?.contains("Bearer") ?? false)
    #expect(try await server.send("GET", "/v1/jobs/\(id)", token: "wrong").status == 401)
    await server.stop()
  }

  @Test func badInputIs4xxAndTheServerKeepsServing() async throws {
    let server = try await LiveServer.start()
    let alice = try server.token("alice")
    let bodies = [
      "{not json", #"{"problem_coo": "0 1 NaN"}"#,
      #"{"problem_coo": "0 1 1", "parameters": {"sampler": "sa", "bogus": 1}}"#,
      #"{"problem": {"type": "BinaryQuadraticModel", "version": {"bqm_schema": "3.0.0"}, "use_bytes": false, "index_type": "int32", "bias_type": "float64", "num_variables": 10000000, "num_interactions": 0, "variable_labels": [], "variable_type": "BINARY", "offset": 0, "info": {}, "linear_biases": [], "quadratic_biases": [], "quadratic_head": [], "quadratic_tail": []}}"#,
    ]
    for body in bodies {
      let reply = try await server.send("POST", "/v1/jobs", token: alice, body: body)
      #expect((400..<500).contains(reply.status), "\(body) → \(reply.status)")
      let message = reply.json?["error"]?.string ?? ""
      #expect(message.count > 10, "\(body) → \(reply.text)")
    }
    let big = String(repeating: " ", count: ServeLimits().maxBodyBytes + 1)
    #expect(try await server.send("POST", "/v1/jobs", token: alice, body: big).status == 413)
    let id = try await submit(server, Self.job(), token: alice)
    #expect(try await server.wait(for: id, token: alice)["state"] == .string("done"))
    #expect(try await server.send("GET", "/healthz").status == 200)
    await server.stop()
  }

  @Test func concurrentJobsQuotaIs429() async throws {
    var configuration = ServeConfiguration()
    configuration.limits.maxConcurrentJobs = 1
    let server = try await LiveServer.start(configuration: configuration)
    let alice = try server.token("alice")
    let bob = try server.token("bob")
    let first = try await submit(server, Self.longJob(), token: alice)
    let refused = try await server.send("POST", "/v1/jobs", token: alice, body: Self.job())
    #expect(refused.status == 429)
    #expect(refused.json?["error"]?.string?.contains("1 jobs queued or running") ?? false)
    // Another account has a quota of its own.
    _ = try await submit(server, Self.job(), token: bob)
    // Once the first job is over, alice may submit again.
    _ = try await server.send("DELETE", "/v1/jobs/\(first)", token: alice)
    _ = try await server.wait(for: first, token: alice)
    _ = try await submit(server, Self.job(), token: alice)
    await server.stop()
  }

  @Test func cancellingARunningJobKeepsWhatItFound() async throws {
    let server = try await LiveServer.start()
    let alice = try server.token("alice")
    let id = try await submit(server, Self.longJob(), token: alice)
    var state = ""
    for _ in 0..<200 where state != "running" {
      try await Task.sleep(for: .milliseconds(20))
      state = try await server.send("GET", "/v1/jobs/\(id)", token: alice).json?["state"]?.string ?? ""
    }
    try await Task.sleep(for: .milliseconds(300))
    let started = Date()
    let reply = try await server.send("DELETE", "/v1/jobs/\(id)", token: alice)
    #expect(reply.status == 202 || reply.status == 200)
    let done = try await server.wait(for: id, token: alice)
    #expect(Date().timeIntervalSince(started) < 5)
    #expect(done["state"] == .string("cancelled"))
    #expect(done["result"]?["type"] == .string("SampleSet"))
    await server.stop()
  }

  @Test func cancellingAQueuedJob() async throws {
    let server = try await LiveServer.start()
    let alice = try server.token("alice")
    let running = try await submit(server, Self.longJob(), token: alice)
    let queued = try await submit(server, Self.job(), token: alice)
    let reply = try await server.send("DELETE", "/v1/jobs/\(queued)", token: alice)
    #expect(reply.status == 200)
    #expect(reply.json?["state"] == .string("cancelled"))
    #expect(reply.json?["result"] == nil)
    _ = try await server.send("DELETE", "/v1/jobs/\(running)", token: alice)
    await server.stop()
  }

  @Test func gracefulShutdownPutsRunningJobsBack() async throws {
    let queue = InMemoryWorkQueue()
    let store = try SQLiteServeStore(path: LiveServer.temporaryPath())
    let server = try await LiveServer.start(queue: queue, store: store)
    let alice = try server.token("alice")
    let id = try await submit(server, Self.longJob(seconds: 30), token: alice)
    for _ in 0..<200 where try queue.item(key: id, in: JobPayload.queue)?.state != .running {
      try await Task.sleep(for: .milliseconds(20))
    }
    let t0 = Date()
    await server.stop()
    #expect(Date().timeIntervalSince(t0) < 10)
    let item = try #require(try queue.item(key: id, in: JobPayload.queue))
    #expect(item.state == .queued)
    // Another server over the same queue and store finishes it.
    var configuration = ServeConfiguration()
    configuration.limits.maxTimeLimit = 30
    let next = try await LiveServer.start(queue: queue, store: store, configuration: configuration)
    _ = try await next.send("DELETE", "/v1/jobs/\(id)", token: alice)
    let done = try await next.wait(for: id, token: alice)
    #expect(done["state"] == .string("cancelled"))
    await next.stop()
  }

  @Test func aJobOfADeadServerIsTakenOverAfterItsHeartbeatGoesStale() async throws {
    let queue = InMemoryWorkQueue()
    let store = try SQLiteServeStore(path: LiveServer.temporaryPath())
    var configuration = ServeConfiguration()
    configuration.staleAfter = 0.5
    configuration.workers = 1
    // A server that never runs its workers' jobs: its worker claims and dies.
    let server = try await LiveServer.start(queue: queue, store: store, configuration: configuration)
    let alice = try server.token("alice")
    await server.stop()
    let body = try JobRequest(body: Array(Self.job().utf8), limits: ServeLimits(), threads: 1)
    #expect(try store.reserveJob(id: "orphan", owner: "alice", limit: 8))
    try queue.enqueue(
      [NewWorkItem(key: "orphan", payload: JobPayload.encode(body), owner: "alice")],
      in: JobPayload.queue)
    let dead = try #require(try queue.claim(in: JobPayload.queue, worker: "dead", staleAfter: 1))
    #expect(dead.1.generation == 1)
    let rescuer = try await LiveServer.start(queue: queue, store: store, configuration: configuration)
    let done = try await rescuer.wait(for: "orphan", token: alice)
    #expect(done["state"] == .string("done"))
    let item = try #require(try queue.item(key: "orphan", in: JobPayload.queue))
    #expect(item.attempts == 2)
    // The dead worker's late result is refused.
    #expect(try !queue.finish(dead.1, result: Data("{}".utf8)))
    await rescuer.stop()
  }

  @Test func samplersHealthAndMetrics() async throws {
    let server = try await LiveServer.start()
    let alice = try server.token("alice")
    let samplers = try await server.send("GET", "/v1/samplers")
    #expect(samplers.status == 200)
    guard case .array(let list)? = samplers.json?["samplers"] else {
      Issue.record("no samplers list: \(samplers.text)")
      return
    }
    #expect(list.compactMap { $0["name"]?.string } == ["sa", "sqa", "pt", "tabu", "descent", "exact", "random", "portfolio"])
    #expect(samplers.json?["limits"]?["max_variables"] == .int(10_000))
    #expect(try await server.send("GET", "/healthz").json?["status"] == .string("ok"))
    let id = try await submit(server, Self.job(), token: alice)
    _ = try await server.wait(for: id, token: alice)
    let metrics = try await server.send("GET", "/metrics")
    #expect(metrics.status == 200)
    #expect(metrics.text.contains("anneal_jobs_submitted_total 1"))
    #expect(metrics.text.contains(#"anneal_jobs_finished_total{state="done"} 1"#))
    await server.stop()
  }
}
