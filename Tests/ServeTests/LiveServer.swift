import Foundation
import Logging
import QUBOModel
import ServiceLifecycle
import WorkQueue

@testable import Serve

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// An `anneal serve` application on a free loopback port, in this process,
/// over the given queue and store; `stop()` shuts it down gracefully.
struct LiveServer {
  let port: Int
  let server: ServeServer
  private let group: ServiceGroup
  private let task: Task<Void, any Error>

  /// A fresh SQLite file in a temporary directory.
  static func temporaryPath() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "anneal-serve-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("serve.db").path
  }

  static func start(
    queue: any WorkQueue = InMemoryWorkQueue(), store: (any ServeStore)? = nil,
    configuration: ServeConfiguration = ServeConfiguration()
  ) async throws -> LiveServer {
    let store = try store ?? SQLiteServeStore(path: temporaryPath())
    let server = ServeServer(queue: queue, store: store, configuration: configuration)
    var logger = Logger(label: "serve-tests")
    logger.logLevel = .warning
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = server.application(host: "127.0.0.1", port: 0, logger: logger) { port in
      continuation.yield(port)
      continuation.finish()
    }
    let group = ServiceGroup(
      configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
    let task = Task { try await group.run() }
    var port = 0
    for await p in ports { port = p }
    return LiveServer(port: port, server: server, group: group, task: task)
  }

  /// Shuts the server down gracefully and waits until it has stopped.
  func stop() async {
    await group.triggerGracefulShutdown()
    _ = await task.result
  }

  /// A token for a new account `name`.
  func token(_ name: String) throws -> String {
    try ServeTokens.create(account: name, in: server.store)
  }

  /// Sends a request; returns the status and the body parsed as JSON (nil
  /// when it is not JSON).
  func send(
    _ method: String, _ path: String, token: String? = nil, body: String? = nil
  ) async throws -> (status: Int, json: JSONValue?, text: String) {
    guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else {
      throw ServeStoreError("bad path \(path)")
    }
    var request = URLRequest(url: url)
    request.httpMethod = method
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    if let body {
      request.httpBody = Data(body.utf8)
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    let text = String(decoding: data, as: UTF8.self)
    return (status, try? JSONValue(parsing: text), text)
  }

  /// Polls job `id` until it has finished (or `seconds` pass).
  func wait(
    for id: String, token: String, seconds: Double = 30
  ) async throws -> [String: JSONValue] {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
      let reply = try await send("GET", "/v1/jobs/\(id)", token: token)
      guard case .object(let fields)? = reply.json else {
        throw ServeStoreError("GET /v1/jobs/\(id) answered \(reply.status) \(reply.text)")
      }
      if case .string(let state)? = fields["state"],
        WorkState(rawValue: state)?.isFinished ?? false || Date() > deadline
      {
        return fields
      }
      try await Task.sleep(for: .milliseconds(50))
    }
  }
}

extension JSONValue {
  /// The value of `key` when this is an object.
  subscript(key: String) -> JSONValue? {
    guard case .object(let fields) = self else { return nil }
    return fields[key]
  }

  /// The string, when this is one.
  var string: String? {
    guard case .string(let s) = self else { return nil }
    return s
  }
}
