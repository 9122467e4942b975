import Foundation
import QUBOModel

/// An objective that runs a program per trial: the command with every
/// `{name}` replaced by the trial's value of parameter `name` (`{trial}` by
/// the trial number), run by `/bin/sh -c` in its own process group, and the
/// metric read from its standard output.
///
/// The metric is the key `metric` of the last JSON object on stdout (one
/// line, or the text from a line starting with `{` to the end), or else the
/// last line `metric: value` / `metric = value`. A non-zero exit, a missing
/// metric or the timeout (the whole process group is killed) fails the
/// trial with the reason in its user attribute `error`.
public struct ProgramObjective: Sendable {
  /// The command template.
  public var command: String
  /// The metric's name.
  public var metric: String
  /// Seconds a run may take.
  public var timeout: Double?
  /// The parameters, suggested in this order before the run.
  public var space: SearchSpace

  /// An objective running `command`.
  public init(command: String, metric: String, timeout: Double?, space: SearchSpace) {
    self.command = command
    self.metric = metric
    self.timeout = timeout
    self.space = space
  }

  /// The names inside `{…}` in `command`, in order of appearance; `${…}`
  /// (the shell's parameter expansion) and braces around spaces or quotes
  /// are not placeholders.
  public static func placeholders(in command: String) -> [String] {
    var out: [String] = []
    var rest = command[...]
    while let open = rest.firstIndex(of: "{") {
      let after = rest[rest.index(after: open)...]
      guard let close = after.firstIndex(of: "}") else { break }
      let name = String(after[..<close])
      let shell = open > command.startIndex && command[command.index(before: open)] == "$"
      if !shell, !name.isEmpty,
        !name.contains(where: { $0.isWhitespace || $0 == "{" || $0 == "\"" || $0 == "'" })
      {
        out.append(name)
      }
      rest = after[after.index(after: close)...]
    }
    return out
  }

  /// The command with the placeholders filled in.
  public func render(_ parameters: [String: ParameterValue], trial: Int) -> String {
    var s = command
    for (name, v) in parameters { s = s.replacingOccurrences(of: "{\(name)}", with: v.description) }
    if parameters["trial"] == nil { s = s.replacingOccurrences(of: "{trial}", with: String(trial)) }
    return s
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
    let line = render(params, trial: trial.number)
    try trial.setUserAttribute("command", .string(line))
    let (status, out, err) = try run(line)
    switch status {
    case .timedOut:
      throw Failure(description: "timed out after \(JSONValue.format(timeout ?? 0)) s")
    case .exited(let code) where code != 0:
      let tail = err.split(separator: "\n").suffix(3).joined(separator: " | ")
      throw Failure(description: "exit status \(code)" + (tail.isEmpty ? "" : ": \(tail)"))
    case .signaled(let sig):
      throw Failure(description: "killed by signal \(sig)")
    case .exited:
      guard let v = Self.metric(metric, in: out) else {
        throw Failure(description: "no metric '\(metric)' on stdout")
      }
      return v
    }
  }

  /// The value of `metric` in `output`: the last JSON object, else the last
  /// `metric: value` line.
  public static func metric(_ metric: String, in output: String) -> Double? {
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    for k in lines.indices.reversed() {
      let t = lines[k].trimmingCharacters(in: .whitespaces)
      guard t.hasPrefix("{") else { continue }
      for text in [t, lines[k...].joined(separator: "\n")] {
        if case .object(let o)? = try? JSONValue(parsing: text) {
          if let v = o[metric]?.doubleValue { return v }
          break
        }
      }
    }
    for line in lines.reversed() {
      let t = line.trimmingCharacters(in: .whitespaces)
      guard t.hasPrefix(metric) else { continue }
      var rest = t.dropFirst(metric.count).drop { $0 == " " || $0 == "\t" }
      guard let sep = rest.first, sep == ":" || sep == "=" else { continue }
      rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
      if let v = Double(rest.prefix { !$0.isWhitespace && $0 != "," }) { return v }
    }
    return nil
  }

  enum Status {
    case exited(Int32)
    case signaled(Int32)
    case timedOut
  }

  /// Runs `sh -c line` in a new process group with stdout and stderr in
  /// temporary files (no pipe to drain), polling for exit until the timeout.
  func run(_ line: String) throws -> (Status, String, String) {
    let dir = FileManager.default.temporaryDirectory
    let tag = "anneal-tune-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    let outPath = dir.appendingPathComponent(tag + ".out").path
    let errPath = dir.appendingPathComponent(tag + ".err").path
    defer {
      try? FileManager.default.removeItem(atPath: outPath)
      try? FileManager.default.removeItem(atPath: errPath)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP))
    posix_spawnattr_setpgroup(&attr, 0)
    var pid: pid_t = 0
    let words: [String] = ["/bin/sh", "-c", line]
    var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
    argv.append(nil)
    defer { for p in argv { free(p) } }
    let rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ)
    guard rc == 0 else { throw Failure(description: "could not start /bin/sh: errno \(rc)") }
    let start = Date()
    var status: Int32 = 0
    var timedOut = false
    var pause = 0.001
    while true {
      let r = waitpid(pid, &status, WNOHANG)
      if r == pid { break }
      if r < 0 && errno != EINTR { break }
      if let timeout, Date().timeIntervalSince(start) > timeout {
        kill(-pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        timedOut = true
        break
      }
      Thread.sleep(forTimeInterval: pause)
      pause = min(pause * 2, 0.05)
    }
    let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    if timedOut { return (.timedOut, out, err) }
    let low = status & 0x7f
    if low == 0 { return (.exited((status >> 8) & 0xff), out, err) }
    return (.signaled(low), out, err)
  }
}
