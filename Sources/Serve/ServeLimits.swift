/// The limits of one server: on every request, and per account.
///
/// Each account gets the same quota. A request over a size limit is refused
/// with 413, a job over a quota with 429; both answer with a message that
/// names the limit and its value.
public struct ServeLimits: Sendable, Equatable {
  /// The largest request body, in bytes.
  public var maxBodyBytes = 8 << 20
  /// The most variables of one problem.
  public var maxVariables = 10_000
  /// The most `reads × sweeps` of one job (sweeps count 1 for samplers
  /// without sweeps).
  public var maxReadsTimesSweeps = 10_000_000
  /// The most values in one job's result: reads × variables (a result is
  /// about 3 bytes of JSON per value).
  public var maxResultValues = 10_000_000
  /// The most jobs one account may have queued or running at once.
  public var maxConcurrentJobs = 8
  /// The longest one job may sample, in seconds: a larger `time_limit` is
  /// refused, and the worker stops any job there (keeping what it found).
  public var maxTimeLimit = 60.0

  /// The default limits.
  public init() {}

  /// One line per limit, for `--help` and logs.
  public var summary: String {
    """
    request body ≤ \(maxBodyBytes) bytes (413); per job: variables ≤ \(maxVariables), \
    reads × sweeps ≤ \(maxReadsTimesSweeps), reads × variables ≤ \(maxResultValues), \
    time_limit ≤ \(maxTimeLimit) s (429); \
    per account: ≤ \(maxConcurrentJobs) jobs queued or running (429)
    """
  }
}
