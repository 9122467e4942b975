import Foundation
import QUBOModel

/// An objective that runs a program per trial: the command with every
/// `{name}` replaced by the trial's value of parameter `name` (`{trial}` by
/// the trial number), in its own process group, and the metric read from its
/// standard output.
///
/// The command is a shell line (run by `/bin/sh -c`, every substituted value
/// quoted for the place it stands in) or an argument vector (run without a
/// shell, each word substituted as it is). The metric is the key `metric` of
/// the last JSON object on stdout (one line, or the text from a line
/// starting with `{` to the end), or else the last line `metric: value` /
/// `metric = value`. A non-zero exit, a missing or non-finite metric, or the
/// timeout (the whole process group is killed) fails the trial with the
/// reason in its user attribute `error`. The trial's processes die with the
/// tuner, however it ends (see `run`).
public struct ProgramObjective: Sendable {
  /// The command template (a shell line; for an argument vector, the
  /// words joined for display).
  public var command: String
  /// The command as an argument vector run without a shell (`nil`: `command`
  /// is a shell line).
  public var arguments: [String]?
  /// The metric's name.
  public var metric: String
  /// Seconds a run may take.
  public var timeout: Double?
  /// The parameters, suggested in this order before the run.
  public var space: SearchSpace

  /// An objective running the shell line `command`.
  public init(command: String, metric: String, timeout: Double?, space: SearchSpace) {
    self.command = command
    self.metric = metric
    self.timeout = timeout
    self.space = space
  }

  /// An objective running the argument vector `arguments` without a shell.
  public init(arguments: [String], metric: String, timeout: Double?, space: SearchSpace) {
    self.command = arguments.map(Self.shellWord).joined(separator: " ")
    self.arguments = arguments
    self.metric = metric
    self.timeout = timeout
    self.space = space
  }

  /// A failed run.
  public struct Failure: Error, CustomStringConvertible, Sendable {
    /// Why the run gave no value.
    public var description: String
  }

  /// Runs the trial: suggests every parameter, runs the command, returns the metric.
  public func callAsFunction(_ trial: Trial) throws -> Double {
    var params: [String: ParameterValue] = [:]
    for (n, d) in zip(space.names, space.ordered) { params[n] = try trial.suggest(n, d) }
    let argv: [String]
    if let arguments {
      argv = arguments.map { Self.substitute($0, params, trial: trial.number, quoting: false) }
      try trial.setUserAttribute("command", .array(argv.map { .string($0) }))
    } else {
      let line = render(params, trial: trial.number)
      argv = ["/bin/sh", "-c", line]
      try trial.setUserAttribute("command", .string(line))
    }
    let (status, out, err) = try TrialProcess.run(argv, timeout: timeout)
    switch status {
    case .timedOut:
      throw Failure(description: "timed out after \(JSONValue.format(timeout ?? 0)) s")
    case .exited(let code) where code != 0:
      let tail = err.split(separator: "\n").suffix(3).joined(separator: " | ")
      throw Failure(description: "exit status \(code)" + (tail.isEmpty ? "" : ": \(tail)"))
    case .signaled(let sig):
      throw Failure(description: "killed by signal \(sig)")
    case .exited:
      switch Self.reading(metric, in: out) {
      case .value(let v): return v
      case .refused(let text, let reason):
        throw Failure(description: "metric '\(metric)' refused: read \(text), \(reason)")
      case .missing:
        let tail = out.split(separator: "\n").suffix(2).joined(separator: " | ")
        throw Failure(
          description: "no metric '\(metric)' on stdout"
            + (tail.isEmpty ? " (stdout was empty)" : " (last lines: \(tail.prefix(200)))"))
      }
    }
  }
}
