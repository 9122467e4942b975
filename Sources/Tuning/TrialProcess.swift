import Foundation
import Synchronization

// Running one trial's program so that nothing of it outlives the tuner.
//
// Priorities, in order:
// 1. The trial's processes die when the tuner dies, however it dies
//    (Ctrl-C, SIGTERM, `kill -9`), so a resumed trial never overlaps its
//    earlier run; and when a trial ends, whatever it left running in the
//    background goes with it.
// 2. Nothing is left in /tmp, even after `kill -9`.
// 3. A few milliseconds per trial at most.
//
// The program runs in a new process group. Beside it, in the same group, a
// watcher (`cat` on a pipe whose only writer is the tuner, then
// `kill -KILL 0`) waits for end of file: the tuner closes its end when the
// trial is over, and the kernel closes it when the tuner dies. Either way
// the whole group is killed at once. `PR_SET_PDEATHSIG` would reach only
// the direct child, not what it starts, and `posix_spawn` cannot set it;
// the pipe reaches every process in the group and needs no signal handler.
// The writer end is close-on-exec, so no other trial inherits it (if one
// did, two trials holding each other's pipes would both outlive the tuner);
// descriptors are made and marked, and programs spawned, under one lock, so
// no spawn in another thread sees a descriptor before it is marked.
//
// Standard output and error go to temporary files that the tuner opens and
// unlinks before the program starts, so they vanish with the last
// descriptor; the tuner reads them back through its own descriptors.

/// Runs trial programs in their own process groups (see the file comment).
enum TrialProcess {
  enum Status: Equatable {
    case exited(Int32)
    case signaled(Int32)
    case timedOut
  }

  /// The watcher and the program: `sh -c SCRIPT anneal-trial ARGV...`.
  static let supervisor =
    #"{ cat >/dev/null; kill -KILL 0; } <&3 & exec 3<&- "$@""#

  /// Held while descriptors are made and marked close-on-exec, and while a
  /// program is spawned.
  static let descriptorLock = Mutex(())

  /// Runs `argv` (the program and its arguments, found on `PATH`) with a
  /// timeout; returns its status, stdout and stderr.
  static func run(_ argv: [String], timeout: Double?) throws -> (Status, String, String) {
    let launched = try descriptorLock.withLock { _ throws in try launch(argv) }
    defer { close(launched.pipe.reader) }
    let pid = launched.pid
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
    // End of file for the watcher: it kills what the trial left behind.
    close(launched.pipe.writer)
    let stdout = launched.out.contents()
    let stderr = launched.err.contents()
    if timedOut { return (.timedOut, stdout, stderr) }
    let low = status & 0x7f
    if low == 0 { return (.exited((status >> 8) & 0xff), stdout, stderr) }
    return (.signaled(low), stdout, stderr)
  }

  private struct Launched {
    var pid: pid_t
    var out: AnonymousFile
    var err: AnonymousFile
    var pipe: (reader: Int32, writer: Int32)
  }

  /// Makes the descriptors and spawns the supervisor (under `descriptorLock`).
  private static func launch(_ argv: [String]) throws -> Launched {
    let out = try AnonymousFile()
    let err = try AnonymousFile()
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else {
      throw ProgramObjective.Failure(description: "could not make a pipe: errno \(errno)")
    }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, out.fd, 1)
    posix_spawn_file_actions_adddup2(&actions, err.fd, 2)
    posix_spawn_file_actions_adddup2(&actions, fds[0], 3)
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    // The trial starts with no signal blocked and every signal at its
    // default action, whatever the tuner's threads block or ignore.
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attr, &none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attr, &all)
    posix_spawnattr_setflags(
      &attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    posix_spawnattr_setpgroup(&attr, 0)
    let words = ["/bin/sh", "-c", supervisor, "anneal-trial"] + argv
    var cargs: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
    cargs.append(nil)
    defer { for p in cargs { free(p) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, cargs, environ)
    guard rc == 0 else {
      close(fds[0])
      close(fds[1])
      throw ProgramObjective.Failure(description: "could not start /bin/sh: errno \(rc)")
    }
    return Launched(pid: pid, out: out, err: err, pipe: (fds[0], fds[1]))
  }
}

/// A temporary file with no name: created, unlinked at once, read back
/// through its descriptor, gone when closed.
final class AnonymousFile {
  let fd: Int32

  init() throws {
    let dir = FileManager.default.temporaryDirectory.path
    var template = Array("\(dir)/anneal-tune-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { p -> Int32 in
      guard let base = p.baseAddress else { return -1 }
      return mkstemp(base)
    }
    guard fd >= 0 else {
      throw ProgramObjective.Failure(description: "could not create a file in \(dir): errno \(errno)")
    }
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    template.withUnsafeBufferPointer { p in
      if let base = p.baseAddress { _ = unlink(base) }
    }
    self.fd = fd
  }

  deinit { close(fd) }

  /// Everything written so far, as UTF-8 (invalid bytes repaired).
  func contents() -> String {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    var offset: off_t = 0
    while true {
      let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
      if n <= 0 { break }
      bytes += chunk[0..<n]
      offset += off_t(n)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
