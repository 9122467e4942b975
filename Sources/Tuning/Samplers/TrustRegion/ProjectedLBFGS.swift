import Foundation

// A small box-constrained quasi-Newton minimiser for the kernel fits
// (WeightedHamming.swift): L-BFGS directions (Nocedal & Wright, Numerical
// Optimization, 2nd ed., algorithm 7.4, memory 8), components that would
// leave the box at an active bound dropped, steps projected onto the box
// and halved until Armijo's condition holds (c = 10⁻⁴). Not L-BFGS-B's
// Cauchy point: the fits here have a few dozen parameters and start well
// inside their box, where this is enough. Deterministic: plain arithmetic
// in a fixed order.

/// The point `minimiseProjected` reaches from `start` within
/// `[lower, upper]` in each coordinate: at most `steps` iterations, fewer
/// when the projected gradient's largest component drops below
/// `tolerance` or no step decreases `f`.
/// - Parameter f: the objective and its gradient; `+∞` where undefined.
func minimiseProjected(
  _ start: [Double], lower: Double, upper: Double, steps: Int, tolerance: Double = 1e-3,
  _ f: ([Double]) -> (value: Double, gradient: [Double])
) -> [Double] {
  let memory = 8
  var x = start.map { min(max($0, lower), upper) }
  var (fx, g) = f(x)
  guard fx.isFinite else { return x }
  var history: [(s: [Double], y: [Double], rho: Double)] = []
  for _ in 0..<steps {
    var projected = 0.0
    for i in x.indices {
      projected = max(projected, abs(min(max(x[i] - g[i], lower), upper) - x[i]))
    }
    if projected < tolerance { break }
    // Two-loop recursion: d = −H g.
    var q = g
    var a = [Double](repeating: 0, count: history.count)
    for j in stride(from: history.count - 1, through: 0, by: -1) {
      a[j] = history[j].rho * dot(history[j].s, q)
      for i in q.indices { q[i] -= a[j] * history[j].y[i] }
    }
    if let last = history.last {
      let gamma = dot(last.s, last.y) / dot(last.y, last.y)
      for i in q.indices { q[i] *= gamma }
    } else {
      let norm = dot(g, g).squareRoot()
      for i in q.indices { q[i] /= max(norm, 1) }
    }
    for j in history.indices {
      let b = history[j].rho * dot(history[j].y, q)
      for i in q.indices { q[i] += history[j].s[i] * (a[j] - b) }
    }
    var d = q.map { -$0 }
    for i in x.indices where (x[i] <= lower && d[i] < 0) || (x[i] >= upper && d[i] > 0) {
      d[i] = 0
    }
    if dot(g, d) >= 0 {
      // Not a descent direction: steepest descent, history dropped.
      history.removeAll()
      let norm = dot(g, g).squareRoot()
      d = g.map { -$0 / max(norm, 1) }
    }
    var t = 1.0
    var accepted: (x: [Double], value: Double, gradient: [Double])?
    for _ in 0..<30 {
      let xn = zip(x, d).map { min(max($0 + t * $1, lower), upper) }
      let (fn, gn) = f(xn)
      var decrease = 0.0
      for i in x.indices { decrease += g[i] * (xn[i] - x[i]) }
      if fn.isFinite, fn <= fx + 1e-4 * decrease {
        accepted = (xn, fn, gn)
        break
      }
      t *= 0.5
    }
    guard let step = accepted else { break }
    let s = zip(step.x, x).map { $0 - $1 }
    let y = zip(step.gradient, g).map { $0 - $1 }
    let sy = dot(s, y)
    if sy > 1e-10 {
      history.append((s, y, 1 / sy))
      if history.count > memory { history.removeFirst() }
    }
    x = step.x
    fx = step.value
    g = step.gradient
  }
  return x
}

/// `Σ a_i b_i`.
private func dot(_ a: [Double], _ b: [Double]) -> Double {
  var s = 0.0
  for i in a.indices { s += a[i] * b[i] }
  return s
}
