import Foundation
import Hummingbird
import Logging
import WorkQueue

/// `anneal serve`: the HTTP API and the workers, over one work queue and one
/// serve store.
public struct ServeServer: Sendable {
  /// Where jobs live.
  public let queue: any WorkQueue
  /// Accounts and job bookkeeping.
  public let store: any ServeStore
  /// Limits and worker settings.
  public let configuration: ServeConfiguration
  /// Prometheus metrics.
  public let metrics = ServeMetrics()

  /// A server over `queue` and `store`.
  public init(queue: any WorkQueue, store: any ServeStore, configuration: ServeConfiguration) {
    self.queue = queue
    self.store = store
    self.configuration = configuration
  }

  /// The Hummingbird application listening on `host`:`port` (0: any free
  /// port; `onRunning` hears the one bound).
  public func application(
    host: String, port: Int, logger: Logger,
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    let worker = JobWorker(
      queue: queue, store: store, configuration: configuration, metrics: metrics, logger: logger)
    let router = Router(context: ServeRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    ServeRoutes(
      queue: queue, store: store, configuration: configuration, metrics: metrics, worker: worker
    ).add(to: router)
    return Application(
      router: router,
      configuration: .init(address: .hostname(host, port: port), serverName: "anneal"),
      services: [worker],
      onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
      logger: logger)
  }
}
