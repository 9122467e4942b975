// A worker's name on a work queue: `host pid start`, where start is the
// process's start time (field 22 of /proc/PID/stat, clock ticks since
// boot), so a reused pid is not mistaken for the worker that held a cell.
// On this host, a worker whose process is gone is known dead at once; on
// other hosts only its stopped heartbeat tells.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Names of sweep workers, and whether one of this machine is gone.
public enum WorkerIdentity {
  /// This process's name.
  public static var current: String {
    let pid = getpid()
    return "\(host) \(pid) \(startTime(of: pid) ?? "0")"
  }

  /// This machine's name, without spaces.
  static var host: String {
    ProcessInfo.processInfo.hostName.replacingOccurrences(of: " ", with: "_")
  }

  /// Whether `name` is a worker of this machine whose process has exited
  /// (or whose pid now belongs to another process).
  public static func isGone(_ name: String) -> Bool {
    let parts = name.split(separator: " ").map(String.init)
    guard parts.count == 3, parts[0] == host, let pid = Int32(parts[1]) else { return false }
    return startTime(of: pid) != parts[2]
  }

  /// The start time of process `pid`, "0" where /proc is missing and the
  /// pid exists, nil when no such process runs.
  static func startTime(of pid: Int32) -> String? {
    guard kill(pid, 0) == 0 || errno == EPERM else { return nil }
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else {
      return "0"
    }
    let text = String(decoding: data, as: UTF8.self)
    // The command name (field 2) may hold spaces; fields resume after ')'.
    guard let close = text.lastIndex(of: ")") else { return "0" }
    let fields = text[text.index(after: close)...].split(separator: " ")
    // fields[0] is field 3 (state; Z: a zombie, as good as dead), so
    // field 22 is fields[19].
    if fields.first == "Z" { return nil }
    return fields.count > 19 ? String(fields[19]) : "0"
  }
}
