import Dispatch
import Foundation

/// Runs independent reads over a fixed number of worker threads.
///
/// Read `r` always gets the same random stream
/// (`Xoshiro256PlusPlus(seed:stream: r)`) and writes only its own output
/// slot, so the results are bit-identical at any thread count.
public enum ParallelReads {
  /// The number of cores, the default thread count.
  public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  /// Calls `body(r)` for every `r` in `0..<reads`, on up to `threads` threads.
  ///
  /// Worker `w` takes reads `w, w + T, w + 2T, …`; the assignment affects
  /// only speed, never results. `body` runs on several threads at once, so
  /// it is `@Sendable`: the compiler checks that whatever it captures is
  /// safe to share (state a read writes must be its own slot of a
  /// `Sendable` store, such as `ReadResults`).
  public static func run(reads: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    let t = max(1, min(threads, reads))
    if t == 1 {
      for r in 0..<reads { body(r) }
      return
    }
    DispatchQueue.concurrentPerform(iterations: t) { w in
      var r = w
      while r < reads {
        body(r)
        r += t
      }
    }
  }
}
