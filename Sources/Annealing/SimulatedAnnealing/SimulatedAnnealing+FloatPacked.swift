// The simulated-annealing driver of one pack of reads on a real-valued model
// (the kernel and its precision are described in FloatPackedSystem.swift).
//
// Float packs run when the biases have no quantum, the order is sequential,
// Float fields resolve the model's gaps (`FloatPackedSystem.fits`) and the
// couplings stay in CSR (dense rows would be chosen read by read otherwise);
// they are always eight reads wide, and `PackLayout` groups the reads as it
// does for integer packs.

extension AnnealKernel {
  /// Whether reads of a real-valued model may run in Float packs.
  func canPackFloat(order: UpdateOrder, couplings: CouplingLayout) -> Bool {
    switch order {
    case .sequential:
      return buffers.floatPacks && !DenseRows.chosen(couplings, for: buffers, packed: false)
    case .random: return false
    }
  }

  /// Runs Float pack `p` (reads `8p ..< min(8p + 8, reads)`).
  func runFloatPack(
    _ p: Int, reads: Int, acceptance: Acceptance, rng: inout Xoshiro256PlusPlus,
    into results: ReadResults
  ) {
    let n = buffers.n
    let first = p * FloatPackedSystem.lanes
    let system = FloatPackedSystem(buffers) { lane, s in
      initial.fill(s, n: n, read: first + lane, rng: &rng)
    }
    defer { system.deallocate() }
    switch acceptance {
    case .metropolis:
      anneal(system, MetropolisLanes.self, pack: p, reads: reads, rng: &rng, into: results)
    case .gibbs:
      anneal(system, GibbsLanes.self, pack: p, reads: reads, rng: &rng, into: results)
    }
  }

  func anneal<R: FloatLaneRule>(
    _ system: FloatPackedSystem, _ rule: R.Type, pack p: Int, reads: Int,
    rng: inout Xoshiro256PlusPlus, into results: ReadResults
  ) {
    let n = buffers.n
    let width = FloatPackedSystem.lanes
    let best = UnsafeMutablePointer<FloatLanes>.allocate(capacity: max(1, n))
    defer { best.deallocate() }
    best.initialize(from: system.s, count: max(1, n))
    var bestEnergy = system.energy
    var packed = system
    var sweeps = 0
    // Skipping the neighbour loop when no lane flipped pays on every degree
    // here (measured on the degree-8 Gaussian glass: 10 % less time than
    // branch-free), unlike the Int16 packs.
    let updates = walkSchedule(&packed, rng: &rng) {
      $0.prepare(beta: $1)
    } sweep: { packed, g in
      packed.sweep(R.self, rng: &g)
      sweeps &+= 1
      if sweeps % FloatPackedSystem.refreshInterval == 0 { packed.refresh() }
      guard returnBest else { return }
      let better = packed.energy .< bestEnergy
      if any(better) {
        bestEnergy.replace(with: packed.energy, where: better)
        var mask = SIMDMask<SIMD8<Int32>>(repeating: false)
        for lane in 0..<width where better[lane] { mask[lane] = true }
        for i in 0..<n { best[i].replace(with: packed.s[i], where: mask) }
      }
    }
    if !returnBest { best.update(from: system.s, count: n) }
    let row = UnsafeMutablePointer<Int8>.allocate(capacity: max(1, n))
    defer { row.deallocate() }
    for lane in 0..<min(width, reads - p * width) {
      system.extract(best, lane: lane, to: row)
      results.store(
        read: p * width + lane, state: UnsafeBufferPointer(start: row, count: n),
        energy: buffers.energy(row), spinUpdates: updates)
    }
  }
}
