import Prometheus

/// The server's Prometheus metrics, served at `/metrics`.
public final class ServeMetrics: Sendable {
  /// The registry the metrics live in.
  public let registry = PrometheusCollectorRegistry()
  let submitted: Counter
  let refusedQuota: Counter
  let refusedBad: Counter
  let done: Counter
  let failed: Counter
  let cancelled: Counter
  let released: Counter
  let running: Gauge
  let jobSeconds: ValueHistogram
  let submitSeconds: ValueHistogram

  /// Fresh metrics in a registry of their own.
  public init() {
    func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
      MetricNameDescriptor(namespace: "anneal", metricName: metric, unitName: unit, helpText: help)
    }
    let refused = name("jobs_refused", "total", "Job submissions refused")
    let finished = name("jobs_finished", "total", "Jobs this server's workers finished")
    submitted = registry.makeCounter(
      descriptor: name("jobs_submitted", "total", "Jobs accepted by POST /v1/jobs"))
    refusedQuota = registry.makeCounter(descriptor: refused, labels: [("reason", "quota")])
    refusedBad = registry.makeCounter(descriptor: refused, labels: [("reason", "bad_request")])
    done = registry.makeCounter(descriptor: finished, labels: [("state", "done")])
    failed = registry.makeCounter(descriptor: finished, labels: [("state", "failed")])
    cancelled = registry.makeCounter(descriptor: finished, labels: [("state", "cancelled")])
    released = registry.makeCounter(
      descriptor: name("jobs_released", "total", "Running jobs put back on the queue at shutdown"))
    running = registry.makeGauge(
      descriptor: name("jobs_running", "", "Jobs this server's workers are running"))
    jobSeconds = registry.makeValueHistogram(
      descriptor: name("job", "seconds", "Wall-clock seconds from claim to result"),
      buckets: [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300])
    submitSeconds = registry.makeValueHistogram(
      descriptor: name("submit", "seconds", "Seconds to answer POST /v1/jobs"),
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5])
  }

  /// The metrics in Prometheus' text format.
  public func text() -> String { registry.emitToString() }
}
