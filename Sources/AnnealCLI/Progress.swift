import Anneal
import Foundation
import Synchronization

/// Shows "reads done / total" on stderr while a long run goes, when stderr
/// is a terminal; silent otherwise (pipes, CI, tests).
final class ProgressDisplay: Sendable {
  let counter = ProgressCounter()
  private let label: String
  private let enabled: Bool
  /// Whether the drawing thread should go on.
  private let running = Mutex(false)
  private let start = Date()

  init(label: String, enabled: Bool = isatty(2) == 1) {
    self.label = label
    self.enabled = enabled
  }

  /// Starts redrawing every 0.2 s after a 1 s grace (short runs print nothing).
  func begin() {
    guard enabled else { return }
    running.withLock { $0 = true }
    Thread { [self] in
      Thread.sleep(forTimeInterval: 1)
      while running.withLock({ $0 }) {
        draw()
        Thread.sleep(forTimeInterval: 0.2)
      }
    }.start()
  }

  /// Stops redrawing and clears the line.
  func end() {
    guard enabled else { return }
    let wasDrawing = running.withLock { running -> Bool in
      running = false
      return Date().timeIntervalSince(start) > 1
    }
    if wasDrawing { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }

  private func draw() {
    let done = counter.completed
    let total = max(counter.total, 1)
    let secs = Date().timeIntervalSince(start)
    let width = 24
    let filled = min(width, done * width / total)
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let eta = done > 0 ? secs / Double(done) * Double(total - done) : .nan
    let etaText = eta.isFinite ? String(format: " eta %.1fs", eta) : ""
    let line =
      String(format: "\r%@ [%@] %d/%d reads %.1fs", label, bar, done, total, secs) + etaText
    FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
  }
}
