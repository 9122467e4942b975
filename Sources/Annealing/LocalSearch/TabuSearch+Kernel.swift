// One read of multistart tabu search.
//
// Per iteration: an O(n) scan of the cached gains picks the move (ties by
// reservoir sampling, one random number per tie), and the flip updates the
// neighbours' fields and gains in O(degree) (`LocalSearch.flip`). Fields are
// recomputed from the spins at every restart, so rounding cannot accumulate
// over a long run. The stop condition is polled about every 16k gain reads;
// at a poll, a best energy lower than the last one reported goes to the
// run's observer (best-so-far traces), so the scan loop itself is untouched.

/// Everything a read of tabu search needs, shared by all reads.
struct TabuKernel: @unchecked Sendable {
  let buffers: ProblemBuffers
  let tenure: Int
  let stall: Int
  let restarts: Int
  let target: Double?
  let perturbation: Double
  let initial: InitialStates?
  let stop: StopCondition

  /// The smallest energy decrease that counts as an improvement.
  ///
  /// The running energy is updated by adding gains, so a cycle of flips can
  /// come back a few ulps lower than it left; without a margin such phantom
  /// improvements would reset the stall counter forever.
  @inline(__always)
  func tolerance(_ e: Double) -> Double { 1e-12 * (abs(e) + buffers.maxAbsField) }

  /// Runs read `r`; returns (iterations, restarts) done.
  func run(
    read r: Int, rng: inout Xoshiro256PlusPlus, into results: ReadResults
  ) -> (Int, Int) {
    let n = buffers.n
    let start = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
    defer { start.deallocate() }
    initial.fill(start, n: n, read: r, rng: &rng)
    var local = LocalSearch(buffers) { $0.update(from: start, count: n) }
    defer { local.deallocate() }
    let tabuUntil = UnsafeMutablePointer<Int>.allocate(capacity: max(1, n))
    tabuUntil.initialize(repeating: 0, count: max(1, n))
    defer { tabuUntil.deallocate() }
    let best = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
    defer { best.deallocate() }
    best.update(from: local.s, count: n)
    var bestEnergy = local.energy
    var reported = Double.infinity  // the best energy the observer last heard
    var iteration = 0
    var runs = 0
    let interval = max(1, 16_384 / max(1, n))
    var untilCheck = interval
    let flips = n == 0 ? 0 : max(1, Int((perturbation * Double(n)).rounded()))
    restartLoop: while runs < restarts && n > 0 {
      if runs > 0 {
        // Restart from the read's best state, perturbed.
        local.s.update(from: best, count: n)
        for _ in 0..<flips {
          let i = Int(truncatingIfNeeded: UInt64(n).multipliedFullWidth(by: rng.next()).high)
          local.s[i] = -local.s[i]
        }
        local.reset()
      }
      runs += 1
      tabuUntil.update(repeating: 0, count: n)
      var runBest = local.energy
      var sinceImprovement = 0
      while sinceImprovement < stall {
        untilCheck -= 1
        if untilCheck == 0 {
          untilCheck = interval
          if stop.shouldStop { break restartLoop }
          if bestEnergy < reported {
            reported = bestEnergy
            stop.improved(read: r, energy: bestEnergy)
          }
        }
        iteration += 1
        // Aspiration: a tabu move is allowed if it beats the read's best.
        let aspiration = local.energy - bestEnergy
        var move = -1
        var moveGain = -Double.infinity
        var ties: UInt64 = 0
        for i in 0..<n {
          let g = local.gain[i]
          if tabuUntil[i] > iteration && !(g > aspiration) { continue }
          if g > moveGain {
            moveGain = g
            move = i
            ties = 1
          } else if g == moveGain {
            ties += 1
            if rng.next() % ties == 0 { move = i }
          }
        }
        guard move >= 0 else {
          sinceImprovement += 1
          continue
        }
        local.flip(move)
        tabuUntil[move] = iteration + tenure + 1
        if local.energy < runBest - tolerance(runBest) {
          runBest = local.energy
          sinceImprovement = 0
        } else {
          sinceImprovement += 1
        }
        if local.energy < bestEnergy - tolerance(bestEnergy) {
          bestEnergy = local.energy
          best.update(from: local.s, count: n)
          if let target, bestEnergy <= target { break restartLoop }
        }
      }
    }
    let row = UnsafeMutablePointer<Int8>.allocate(capacity: max(1, n))
    defer { row.deallocate() }
    for i in 0..<n { row[i] = best[i] > 0 ? 1 : -1 }
    results.store(
      read: r, state: UnsafeBufferPointer(start: row, count: n),
      energy: buffers.energy(row), spinUpdates: UInt64(iteration) &* UInt64(n))
    return (iteration, runs)
  }
}
