// The simulated-annealing driver of one read.
//
// The choice of kernel (integer `QuantizedSystem` for quantised biases,
// `SpinSystem<Rule>` otherwise, either on CSR or on dense rows, `dense`)
// and of update order happens once per read;
// each arm calls the generic `anneal`, which the compiler specialises, so
// the sweep loop contains no dynamic dispatch. Nothing is allocated inside a
// sweep: spin, field, best-state and table buffers are allocated before the
// first sweep and freed after the last. The stop condition (a clock read) is
// polled every `checkInterval` sweeps, about every 16k proposals (every 1k
// under a time limit, so that pacing moves β in small steps).

/// Everything a read of simulated annealing needs, shared by all reads.
struct AnnealKernel: @unchecked Sendable {
  let buffers: ProblemBuffers
  let schedule: Schedule
  let initial: InitialStates?
  let returnBest: Bool
  let stop: StopCondition
  /// Dense rows for the field updates (`units` whenever the biases have a
  /// quantum, as the integer kernels need), or nil for CSR.
  var dense: DenseRows? = nil
  /// The colour classes when reads sweep by them (ColourSystem.swift).
  var colours: ColourLayout? = nil

  /// Sweeps between two polls of the stop condition.
  var checkInterval: Int {
    max(1, (stop.deadline == nil ? 16_384 : 1_024) / max(1, buffers.n))
  }

  /// Whether reads use the integer kernel.
  var quantized: Bool {
    let perStep = Double(schedule.totalSweeps) / Double(max(1, schedule.steps.count))
    return QuantizedSystem.fits(buffers, sweepsPerStep: perStep)
  }

  /// Runs read `r` and stores its state in `results`.
  func run(
    read r: Int, acceptance: Acceptance, order: UpdateOrder,
    rng: inout Xoshiro256PlusPlus, into results: ReadResults
  ) {
    if let colours {
      runColoured(colours, read: r, acceptance: acceptance, rng: &rng, into: results)
      return
    }
    let n = buffers.n
    let fill: (UnsafeMutablePointer<Double>) -> Void = { [initial] s in
      initial.fill(s, n: n, read: r, rng: &rng)
    }
    if quantized, let biases = buffers.quantized {
      let system = QuantizedSystem(
        buffers, biases, acceptance: acceptance, dense: dense, fill: fill)
      run(system, order: order, read: r, rng: &rng, into: results)
      return
    }
    switch acceptance {
    case .metropolis:
      let system = SpinSystem(buffers, rule: MetropolisRule(), dense: dense, fill: fill)
      run(system, order: order, read: r, rng: &rng, into: results)
    case .gibbs:
      let system = SpinSystem(buffers, rule: GibbsRule(), dense: dense, fill: fill)
      run(system, order: order, read: r, rng: &rng, into: results)
    }
  }

  func run<S: AnnealingSystem>(
    _ system: S, order: UpdateOrder, read r: Int, rng: inout Xoshiro256PlusPlus,
    into results: ReadResults
  ) {
    switch order {
    case .sequential:
      anneal(system, SequentialOrder.self, read: r, rng: &rng, into: results)
    case .random:
      anneal(system, RandomOrder.self, read: r, rng: &rng, into: results)
    }
  }

  /// Walks the schedule, the loop every driver shares.
  ///
  /// At each step `prepare(&system, β)`, then `sweep(&system, &rng)` once per sweep, in
  /// batches between polls of the stop condition (every `checkInterval`
  /// sweeps), skipping ahead when the pacer finds the run behind its
  /// deadline. Returns the spin-update attempts, n per sweep.
  ///
  /// The system and the generator go through as `inout` parameters, not
  /// captures, so that once this is inlined they stay in registers.
  @inline(__always)
  func walkSchedule<System>(
    _ system: inout System, rng: inout Xoshiro256PlusPlus,
    prepare: (inout System, Double) -> Void,
    sweep: (inout System, inout Xoshiro256PlusPlus) -> Void
  ) -> UInt64 {
    // A local copy of the generator stays in registers through the loop.
    var g = rng
    defer { rng = g }
    let n = UInt64(buffers.n)
    var updates: UInt64 = 0
    let steps = schedule.steps
    let pacer = SchedulePacer(sweeps: steps.map(\.sweeps), deadline: stop.deadline)
    var walk = ScheduleWalk(pacer, interval: checkInterval)
    while let k = walk.nextStep() {
      prepare(&system, steps[k].beta)
      while let count = walk.nextBatch(stop) {
        for _ in 0..<count {
          sweep(&system, &g)
          updates &+= n
        }
      }
    }
    return updates
  }

  func anneal<S: AnnealingSystem, O: SweepOrder>(
    _ system: S, _ order: O.Type, read r: Int, rng: inout Xoshiro256PlusPlus,
    into results: ReadResults
  ) {
    var system = system
    defer { system.deallocate() }
    let n = buffers.n
    let best = UnsafeMutablePointer<Int8>.allocate(capacity: max(1, n))
    defer { best.deallocate() }
    system.copySpins(to: best)
    var bestEnergy = system.energy
    let updates = walkSchedule(&system, rng: &rng) {
      $0.prepare(beta: $1)
    } sweep: { system, g in
      _ = system.sweep(O.self, rng: &g)
      if returnBest && system.energy < bestEnergy {
        bestEnergy = system.energy
        system.copySpins(to: best)
      }
    }
    if !returnBest { system.copySpins(to: best) }
    results.store(
      read: r, state: UnsafeBufferPointer(start: best, count: n),
      energy: buffers.energy(best), spinUpdates: updates)
  }
}
