// Claims for workers on one machine that share a JSON-lines store. A claim
// is a line `pid start key` in `PATH.claims`, written under the store's
// lock; it holds while that process lives (its pid exists with the same
// start time, so a reused pid does not keep a claim alive). A worker claims
// the first cell that is neither finished nor held by a live process, so
// the cells go to whichever worker is free next, and a cell whose worker
// died (kill -9, or its parent killed) is claimed again. A cell is never run
// twice: a live claim is never taken over, and a dead worker recorded
// either nothing or its whole cell, under the same lock the claim is taken
// under.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension JSONLinesCellStore: CellClaims {
  /// The claims file beside the store.
  public var claimsPath: String { path + ".claims" }

  public func claim(among keys: [String]) throws -> String? {
    try locked { _ in
      let done = Set(try finished().map(\.key))
      var live: [(pid: Int32, start: String, key: String)] = []
      if let data = FileManager.default.contents(atPath: claimsPath) {
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
          let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
          guard parts.count == 3, let pid = Int32(parts[0]), !done.contains(parts[2]),
            Self.startTime(of: pid) == parts[1]
          else { continue }
          live.append((pid, parts[1], parts[2]))
        }
      }
      let held = Set(live.map(\.key))
      let chosen = keys.first { !done.contains($0) && !held.contains($0) }
      let me = getpid()
      if let chosen { live.append((me, Self.startTime(of: me) ?? "0", chosen)) }
      let text = live.map { "\($0.pid) \($0.start) \($0.key)\n" }.joined()
      do {
        try text.write(toFile: claimsPath, atomically: true, encoding: .utf8)
      } catch {
        throw CellStoreError("cannot write \(claimsPath): \(error.localizedDescription)")
      }
      return chosen
    }
  }

  /// The start time of process `pid` (field 22 of /proc/PID/stat, clock
  /// ticks since boot), "0" where /proc is missing and the pid exists, nil
  /// when no such process runs.
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
