import Foundation

/// The live "cells done / total" line on stderr (only when stderr is a
/// terminal).
final class SweepProgress: @unchecked Sendable {
  private let lock = NSLock()
  private var done: Int
  private let total: Int
  private let label: String
  private let start = Date()
  private let enabled = isatty(2) == 1
  private var running = false
  private let initial: Int

  init(label: String, total: Int, done: Int) {
    self.label = label
    self.total = total
    self.done = done
    initial = done
  }

  func advance() { lock.withLock { done += 1 } }
  func set(done d: Int) { lock.withLock { done = d } }

  func begin() {
    guard enabled else { return }
    lock.withLock { running = true }
    Thread { [self] in
      while lock.withLock({ running }) {
        draw()
        Thread.sleep(forTimeInterval: 0.25)
      }
    }.start()
  }

  func end() {
    guard enabled else { return }
    lock.withLock { running = false }
    draw()
    FileHandle.standardError.write(Data("\n".utf8))
  }

  private func draw() {
    let d = lock.withLock { done }
    let secs = Date().timeIntervalSince(start)
    let width = 24
    let filled = min(width, d * width / max(total, 1))
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let ran = d - initial
    let eta = ran > 0 ? secs / Double(ran) * Double(total - d) : .nan
    let etaText = eta.isFinite && d < total ? String(format: " eta %.0fs", eta) : ""
    let line =
      String(format: "\r%@ [%@] %d/%d cells %.1fs", label, bar, d, total, secs) + etaText
    FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
  }
}
