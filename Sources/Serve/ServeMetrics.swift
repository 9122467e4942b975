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
    submitted = registry.makeCounter(
      name: "anneal_jobs_submitted_total", help: "Jobs accepted by POST /v1/jobs")
    refusedQuota = registry.makeCounter(
      name: "anneal_jobs_refused_total", labels: [("reason", "quota")],
      help: "Job submissions refused")
    refusedBad = registry.makeCounter(
      name: "anneal_jobs_refused_total", labels: [("reason", "bad_request")],
      help: "Job submissions refused")
    done = registry.makeCounter(
      name: "anneal_jobs_finished_total", labels: [("state", "done")],
      help: "Jobs this server's workers finished")
    failed = registry.makeCounter(
      name: "anneal_jobs_finished_total", labels: [("state", "failed")],
      help: "Jobs this server's workers finished")
    cancelled = registry.makeCounter(
      name: "anneal_jobs_finished_total", labels: [("state", "cancelled")],
      help: "Jobs this server's workers finished")
    released = registry.makeCounter(
      name: "anneal_jobs_released_total",
      help: "Running jobs put back on the queue at shutdown")
    running = registry.makeGauge(
      name: "anneal_jobs_running", help: "Jobs this server's workers are running")
    jobSeconds = registry.makeValueHistogram(
      name: "anneal_job_seconds", buckets: [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      help: "Wall-clock seconds from claim to result")
    submitSeconds = registry.makeValueHistogram(
      name: "anneal_submit_seconds", buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      help: "Seconds to answer POST /v1/jobs")
  }

  /// The metrics in Prometheus' text format.
  public func text() -> String { registry.emitToString() }
}
