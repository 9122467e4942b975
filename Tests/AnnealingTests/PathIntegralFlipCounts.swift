@testable import Annealing

// What the acceptance tests of the slice-proposal forms compare: the slice
// flips a chain accepts sweep by sweep, from one seeded random state.

extension PathIntegralSystem {
  /// From a random state (`seed`), 20 sweeps of warm-up, then the accepted
  /// slice flips of each of `sweeps` single sweeps at (`scale`, `jPerp`).
  func acceptedFlipsPerSweep(
    scale: SliceFloat, jPerp: SliceFloat, worldline: Bool, seed: UInt64, sweeps: Int = 200
  ) -> [Double] {
    var rng = Xoshiro256PlusPlus(seed: seed)
    randomize(using: &rng)
    for _ in 0..<20 {
      sweep(scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    }
    var counts: [Double] = []
    for _ in 0..<sweeps {
      let before = acceptedFlips
      sweep(scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
      counts.append(Double(acceptedFlips - before))
    }
    return counts
  }
}
