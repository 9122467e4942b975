// The simulated-annealing driver of one pack of eight reads (the kernel and
// its layout are described in PackedSystem.swift).
//
// The packed kernel runs when the biases have a quantum (and fit Int16
// lanes), the order is sequential and there are at least `packThreshold`
// reads; everything else runs read by read (SimulatedAnnealing+Kernel.swift).

extension AnnealKernel {
  /// The fewest reads for which packing pays (measured: see
  /// PackedSystem.swift).
  static let packThreshold = 4

  /// The mean degree up to which sweeps never branch on the decisions.
  static let branchFreeDegree = 8.0

  /// Whether a run with these settings uses the packed kernel.
  func usesPacks(reads: Int, order: UpdateOrder) -> Bool {
    switch order {
    case .sequential: break
    case .random: return false
    }
    return reads >= Self.packThreshold && quantized && PackedSystem.fits(buffers)
  }

  /// Runs pack `p` (reads `8p ..< min(8p + 8, reads)`) into `results`.
  func runPack(
    _ p: Int, reads: Int, acceptance: Acceptance, rng: inout Xoshiro256PlusPlus,
    into results: ReadResults
  ) {
    guard let biases = buffers.quantized else { return }
    let n = buffers.n
    let width = PackedSystem.width
    let first = p * width
    let system = PackedSystem(buffers, biases, acceptance: acceptance) { lane, s in
      initial.fill(s, n: n, read: first + lane, rng: &rng)
    }
    anneal(system, pack: p, reads: reads, rng: &rng, into: results)
  }

  func anneal(
    _ system: PackedSystem, pack p: Int, reads: Int,
    rng: inout Xoshiro256PlusPlus, into results: ReadResults
  ) {
    var system = system
    defer { system.deallocate() }
    let n = buffers.n
    let width = PackedSystem.width
    let best = UnsafeMutablePointer<PackedLanes>.allocate(capacity: max(1, n))
    defer { best.deallocate() }
    best.initialize(from: system.s, count: n)
    var bestUnits = system.units
    var updates: UInt64 = 0
    let interval = checkInterval
    var untilCheck = 0
    let sparse = Double(buffers.start[n]) <= Self.branchFreeDegree * Double(max(1, n))
    outer: for step in schedule.steps {
      system.prepare(beta: step.beta)
      for _ in 0..<step.sweeps {
        if untilCheck == 0 {
          if stop.shouldStop { break outer }
          untilCheck = interval
        }
        untilCheck -= 1
        if sparse {
          system.sweep(PackedBranchFree.self, rng: &rng)
        } else {
          system.sweep(PackedSkipping.self, rng: &rng)
        }
        updates &+= UInt64(n)
        if returnBest {
          let better = system.units .< bestUnits
          if any(better) {
            var mask = PackedLanes(repeating: 0)
            for lane in 0..<width where better[lane] { mask[lane] = -1 }
            system.blend(into: best, mask: mask)
            bestUnits.replace(with: system.units, where: better)
          }
        }
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
