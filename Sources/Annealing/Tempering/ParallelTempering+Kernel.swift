#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The replica-exchange driver of one read.
//
// Replicas are `AnnealingSystem`s, one per level, each prepared once for its
// level's β (the integer kernel's table is filled once per replica). A swap
// exchanges only the state pointers and energies of two systems
// (`exchangeState`), never copies spins, so a swap round costs O(R).
// Statistics are counted per read and summed in read order, so they do not
// depend on the thread count either. At each stop-condition poll, a best
// energy lower than the last one reported goes to the run's observer.

/// Per-read counters of flips and swaps, summed after the run.
final class TemperingStatistics: @unchecked Sendable {
  let reads: Int
  let levels: Int
  let accepted: UnsafeMutablePointer<UInt64>
  let swaps: UnsafeMutablePointer<UInt64>
  let attempts: UnsafeMutablePointer<UInt64>
  let sweeps: UnsafeMutablePointer<UInt64>

  init(reads: Int, levels: Int) {
    self.reads = reads
    self.levels = levels
    let cells = max(1, reads * levels)
    accepted = .allocate(capacity: cells)
    swaps = .allocate(capacity: cells)
    attempts = .allocate(capacity: cells)
    sweeps = .allocate(capacity: max(1, reads))
    accepted.initialize(repeating: 0, count: cells)
    swaps.initialize(repeating: 0, count: cells)
    attempts.initialize(repeating: 0, count: cells)
    sweeps.initialize(repeating: 0, count: max(1, reads))
  }

  deinit {
    accepted.deallocate()
    swaps.deallocate()
    attempts.deallocate()
    sweeps.deallocate()
  }

  /// Accepted flips per proposal at each level.
  func acceptanceRates(n: Int) -> [Double] {
    var total = 0.0
    for r in 0..<reads { total += Double(sweeps[r]) }
    return (0..<levels).map { k in
      var a = 0.0
      for r in 0..<reads { a += Double(accepted[r * levels + k]) }
      return total > 0 && n > 0 ? a / (total * Double(n)) : 0
    }
  }

  /// Sweeps each read ran (fewer than asked when the run was stopped;
  /// 0 for a read that did not start).
  func sweepsRun() -> [Int] {
    (0..<reads).map { Int(truncatingIfNeeded: sweeps[$0]) }
  }

  /// Accepted swaps per attempt for each pair `(k, k+1)`.
  func swapRates() -> [Double] {
    (0..<max(0, levels - 1)).map { k in
      var s = 0.0
      var t = 0.0
      for r in 0..<reads {
        s += Double(swaps[r * levels + k])
        t += Double(attempts[r * levels + k])
      }
      return t > 0 ? s / t : 0
    }
  }
}

/// Everything a read of parallel tempering needs, shared by all reads.
struct TemperingKernel: @unchecked Sendable {
  let buffers: ProblemBuffers
  let ladder: [Double]
  let sweeps: Int
  let swapInterval: Int
  let initial: InitialStates?
  let returnBest: Bool
  let stop: StopCondition
  let stats: TemperingStatistics
  /// The read length the kernel is chosen for (the integer kernel's tables
  /// are filled once per replica): `sweeps` unless a probe runs a short
  /// read for a longer run.
  var tableSweeps: Int? = nil

  func run(
    read r: Int, acceptance: Acceptance, rng: inout Xoshiro256PlusPlus,
    into results: ReadResults
  ) {
    if QuantizedSystem.fits(buffers, sweepsPerStep: Double(max(1, tableSweeps ?? sweeps))),
      let biases = buffers.quantized
    {
      temper(read: r, rng: &rng, into: results) { fill in
        QuantizedSystem(buffers, biases, acceptance: acceptance, fill: fill)
      }
      return
    }
    switch acceptance {
    case .metropolis:
      temper(read: r, rng: &rng, into: results) { fill in
        SpinSystem(buffers, rule: MetropolisRule(), fill: fill)
      }
    case .gibbs:
      temper(read: r, rng: &rng, into: results) { fill in
        SpinSystem(buffers, rule: GibbsRule(), fill: fill)
      }
    }
  }

  func temper<S: AnnealingSystem>(
    read r: Int, rng: inout Xoshiro256PlusPlus, into results: ReadResults,
    make: ((UnsafeMutablePointer<Double>) -> Void) -> S
  ) {
    let n = buffers.n
    let levels = ladder.count
    let systems = UnsafeMutablePointer<S>.allocate(capacity: levels)
    for k in 0..<levels {
      let system = make { s in initial.fill(s, n: n, read: r, rng: &rng) }
      (systems + k).initialize(to: system)
      systems[k].prepare(beta: ladder[k])
    }
    defer {
      for k in 0..<levels { systems[k].deallocate() }
      systems.deinitialize(count: levels)
      systems.deallocate()
    }
    let best = UnsafeMutablePointer<Int8>.allocate(capacity: max(1, n))
    defer { best.deallocate() }
    var bestEnergy = Double.infinity
    for k in 0..<levels where systems[k].energy < bestEnergy {
      bestEnergy = systems[k].energy
      systems[k].copySpins(to: best)
    }
    let row = r * levels
    var updates: UInt64 = 0
    var done: UInt64 = 0
    let interval = max(1, 16_384 / max(1, n * levels))
    var untilCheck = 0
    var reported = Double.infinity  // the best energy the observer last heard
    for sweep in 0..<sweeps {
      if untilCheck == 0 {
        if stop.shouldStop { break }
        untilCheck = interval
        if returnBest && bestEnergy < reported {
          reported = bestEnergy
          stop.improved(read: r, energy: bestEnergy)
        }
      }
      untilCheck -= 1
      for k in 0..<levels {
        let a = systems[k].sweep(SequentialOrder.self, rng: &rng)
        stats.accepted[row + k] &+= UInt64(a)
      }
      updates &+= UInt64(n * levels)
      done &+= 1
      if returnBest {
        for k in 0..<levels where systems[k].energy < bestEnergy {
          bestEnergy = systems[k].energy
          systems[k].copySpins(to: best)
        }
      }
      if (sweep + 1) % swapInterval == 0 {
        for k in 0..<(levels - 1) {
          stats.attempts[row + k] &+= 1
          let x = (ladder[k + 1] - ladder[k]) * (systems[k + 1].energy - systems[k].energy)
          if x >= 0 || rng.nextUnit() < exp(x) {
            systems[k].exchangeState(with: &systems[k + 1])
            stats.swaps[row + k] &+= 1
          }
        }
      }
    }
    stats.sweeps[r] = done
    if !returnBest { systems[levels - 1].copySpins(to: best) }
    results.store(
      read: r, state: UnsafeBufferPointer(start: best, count: n),
      energy: buffers.energy(best), spinUpdates: updates)
  }
}
