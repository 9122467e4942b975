import QUBOModel

@testable import Annealing

// Recomputations, from the spins alone, of the state every kernel caches
// and updates incrementally (local fields, running energies), compared with
// what the kernel holds. Used by KernelStateTests after sweeps and replica
// swaps; each returns a description of the first disagreement, or nil.

/// A kernel state that can be checked against a recomputation from its spins.
protocol KernelStateAudit {
  /// The first cached value that differs from its recomputation by more
  /// than `tolerance` (absolute, in energy units), or nil.
  func stateMismatch(_ problem: IsingProblem, tolerance: Double) -> String?
}

/// The spins of a state as an Int8 row, failing on anything but ±1.
private func spinRow(_ n: Int, _ value: (Int) -> Double) -> [Int8]? {
  var row = [Int8](repeating: 0, count: n)
  for i in 0..<n {
    let v = value(i)
    guard v == 1 || v == -1 else { return nil }
    row[i] = Int8(v)
  }
  return row
}

extension SpinSystem: KernelStateAudit {
  func stateMismatch(_ problem: IsingProblem, tolerance: Double) -> String? {
    guard let row = spinRow(n, { s[$0] }) else { return "a spin is not ±1" }
    let e = problem.energy(row)
    if abs(energy - e) > tolerance { return "running energy \(energy), recomputed \(e)" }
    for i in 0..<n {
      let fresh = problem.localField(i, in: row)
      if abs(f[i] - fresh) > tolerance { return "field \(i): cached \(f[i]), recomputed \(fresh)" }
    }
    return nil
  }
}

extension QuantizedSystem: KernelStateAudit {
  /// Exact: the energy in units of q and the integer fields must equal
  /// their recomputation (`tolerance` applies only to the energy in Double,
  /// whose recomputation rounds).
  func stateMismatch(_ problem: IsingProblem, tolerance: Double) -> String? {
    guard let row = spinRow(n, { Double(s[$0]) }) else { return "a spin is not ±1" }
    let e = problem.energy(row)
    if abs(energy - e) > tolerance { return "running energy \(energy), recomputed \(e)" }
    for i in 0..<n {
      let fresh = problem.localField(i, in: row)
      if Double(f[i]) * q != fresh {
        return "field \(i): cached \(f[i])·q = \(Double(f[i]) * q), recomputed \(fresh)"
      }
    }
    return nil
  }
}

extension PathIntegralSystem: KernelStateAudit {
  /// Every slice's Float fields and Double energy against a recomputation
  /// in Double from that slice's spins (positions, not slice numbers: the
  /// caches and the spins share the layout).
  func stateMismatch(_ problem: IsingProblem, tolerance: Double) -> String? {
    let P = trotter
    for k in 0..<P {
      guard let row = spinRow(n, { Double(spins[$0 * P + k]) }) else {
        return "slice position \(k): a spin is not ±1"
      }
      let e = problem.energy(row)
      if abs(sliceEnergy[k] - e) > tolerance {
        return "slice position \(k): energy \(sliceEnergy[k]), recomputed \(e)"
      }
      for i in 0..<n {
        let fresh = problem.localField(i, in: row)
        let cached = Double(fields[i * P + k])
        if abs(cached - fresh) > tolerance {
          return "slice position \(k), spin \(i): field \(cached), recomputed \(fresh)"
        }
      }
    }
    return nil
  }
}

/// Collects the audits of a run.
final class AuditLog {
  let problem: IsingProblem
  let tolerance: Double
  var failures: [String] = []
  var checks = 0

  init(_ problem: IsingProblem, tolerance: Double) {
    self.problem = problem
    self.tolerance = tolerance
  }

  func audit<S: KernelStateAudit>(_ system: S, _ context: @autoclosure () -> String) {
    checks += 1
    if failures.count < 10, let m = system.stateMismatch(problem, tolerance: tolerance) {
      failures.append("\(context()): \(m)")
    }
  }
}

/// An `AnnealingSystem` that audits its base after every sweep and both
/// sides after every state exchange (a replica swap), and checks that the
/// inverse temperature stays with the slot while the state moves.
struct AuditedSystem<Base: AnnealingSystem & KernelStateAudit>: AnnealingSystem {
  var base: Base
  let log: AuditLog
  /// β of the slot's last `prepare`.
  var beta = Double.nan
  /// Whether the base's acceptance rule is prepared for a β.
  let runsAt: (Base, Double) -> Bool

  var energy: Double { base.energy }

  mutating func prepare(beta: Double) {
    self.beta = beta
    base.prepare(beta: beta)
  }

  mutating func sweep<O: SweepOrder>(_ order: O.Type, rng: inout Xoshiro256PlusPlus) -> Int {
    let accepted = base.sweep(O.self, rng: &rng)
    log.audit(base, "after a sweep at β \(beta)")
    return accepted
  }

  func copySpins(to out: UnsafeMutablePointer<Int8>) { base.copySpins(to: out) }

  mutating func exchangeState(with other: inout Self) {
    base.exchangeState(with: &other.base)
    log.audit(base, "after a swap, the replica now at β \(beta)")
    log.audit(other.base, "after a swap, the replica now at β \(other.beta)")
    for side in [self, other] where !side.runsAt(side.base, side.beta) {
      log.failures.append("after a swap the slot at β \(side.beta) runs at another β")
    }
  }

  func deallocate() { base.deallocate() }
}
