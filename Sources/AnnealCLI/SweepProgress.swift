import Foundation
import Synchronization

/// The live "cells done / total" line on stderr (only when stderr is a
/// terminal).
final class SweepProgress: Sendable {
  private struct State {
    var done: Int
    var running = false
  }
  private let state: Mutex<State>
  private let total: Int
  private let label: String
  private let start = Date()
  private let enabled = isatty(2) == 1
  private let initial: Int

  init(label: String, total: Int, done: Int) {
    self.label = label
    self.total = total
    state = Mutex(State(done: done))
    initial = done
  }

  func advance() { state.withLock { $0.done += 1 } }
  func set(done d: Int) { state.withLock { $0.done = d } }

  func begin() {
    guard enabled else { return }
    state.withLock { $0.running = true }
    Thread { [self] in
      while state.withLock({ $0.running }) {
        draw()
        Thread.sleep(forTimeInterval: 0.25)
      }
    }.start()
  }

  func end() {
    guard enabled else { return }
    state.withLock { $0.running = false }
    draw()
    FileHandle.standardError.write(Data("\n".utf8))
  }

  private func draw() {
    let d = state.withLock { $0.done }
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
