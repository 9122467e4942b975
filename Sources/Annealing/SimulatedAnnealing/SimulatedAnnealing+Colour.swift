// The simulated-annealing driver of one read in colour classes (the kernel
// in ColourSystem.swift, the classes in ColourClasses.swift).

/// Whether simulated annealing sweeps real-valued models by colour classes,
/// eight spins of one read in SIMD lanes (ColourSystem.swift).
public enum ColourSweeps: String, Sendable, CaseIterable {
  /// For the reads outside Float packs on sparse models
  /// (`SimulatedAnnealing.colourLayout(for:)`, `plan`).
  case auto
  /// For every read whenever the model allows it (real-valued, Float
  /// resolves its gaps, sequential order): no packs.
  case always
  /// Never.
  case never
}

extension ProblemBuffers {
  /// Whether reads of this model may sweep by colour classes: biases
  /// without a quantum that Float resolves, and sequential order.
  func canColour(order: UpdateOrder) -> Bool {
    switch order {
    case .sequential: return floatPacks
    case .random: return false
    }
  }
}

extension AnnealKernel {
  /// Runs read `r` on the colour classes `layout` into `results`.
  func runColoured(
    _ layout: ColourLayout, read r: Int, acceptance: Acceptance, rng: inout Xoshiro256PlusPlus,
    into results: ReadResults
  ) {
    let n = buffers.n
    let system = ColourSystem(layout) { s in initial.fill(s, n: n, read: r, rng: &rng) }
    defer { system.deallocate() }
    switch acceptance {
    case .metropolis:
      anneal(system, MetropolisLanes.self, read: r, rng: &rng, into: results)
    case .gibbs:
      anneal(system, GibbsLanes.self, read: r, rng: &rng, into: results)
    }
  }

  func anneal<R: FloatLaneRule>(
    _ system: ColourSystem, _ rule: R.Type, read r: Int, rng: inout Xoshiro256PlusPlus,
    into results: ReadResults
  ) {
    let slots = system.slots + ColourLayout.width
    let best = ColourSystem.allocateFloats(slots)
    defer { UnsafeMutableRawPointer(best).deallocate() }
    best.initialize(from: system.s, count: slots)
    var bestEnergy = system.energy
    var coloured = system
    var sweeps = 0
    let updates = walkSchedule(&coloured, rng: &rng) {
      $0.prepare(beta: $1)
    } sweep: { coloured, g in
      coloured.sweep(R.self, rng: &g)
      sweeps &+= 1
      if sweeps % ColourSystem.refreshInterval == 0 { coloured.refresh() }
      if returnBest && coloured.energy < bestEnergy {
        bestEnergy = coloured.energy
        best.update(from: coloured.s, count: slots)
      }
    }
    if !returnBest { best.update(from: coloured.s, count: slots) }
    let n = buffers.n
    let row = UnsafeMutablePointer<Int8>.allocate(capacity: max(1, n))
    defer { row.deallocate() }
    system.extract(best, to: row)
    results.store(
      read: r, state: UnsafeBufferPointer(start: row, count: n), energy: buffers.energy(row),
      spinUpdates: updates)
  }
}

extension SimulatedAnnealing {
  /// With colour classes, the fewest leftover reads (beside full packs)
  /// that run as one more Float pack rather than one by one: a pack of 8
  /// costs about 7 colour-class reads on the degree-8 Gaussian glass and
  /// 5 on the degree-48 one (docs/kernels-issue22.md, round nine).
  static let colourPackThreshold = 6

  /// The largest share of idle slots (`slots / n − 1`) for which `.auto`
  /// sweeps by colour classes: on dense models classes are small and
  /// padding would cost more than the vectors save.
  static let maxIdleShare = 0.25

  /// The colour classes reads of this run sweep by, or nil.
  ///
  /// `.auto`: real-valued models that Float resolves
  /// (`ProblemBuffers.floatPacks`), sequential order, CSR couplings (not
  /// `DenseRows.chosen` for single reads) and at most `maxIdleShare`
  /// idle slots. `.always`: the first two conditions only.
  func colourLayout(for buffers: ProblemBuffers) -> ColourLayout? {
    let p = parameters
    guard p.colourSweeps != .never, buffers.canColour(order: p.order) else { return nil }
    switch p.colourSweeps {
    case .always: return ColourLayout(buffers)
    case .auto:
      if DenseRows.chosen(p.couplings, for: buffers, packed: false) { return nil }
      let layout = ColourLayout(buffers)
      let n = Double(max(1, buffers.n))
      return Double(layout.slots) <= (1 + Self.maxIdleShare) * n ? layout : nil
    case .never: return nil
    }
  }

  /// Lays out the reads of a run and readies `kernel` for them: packs (full
  /// ones, and a last one from `packThreshold` leftover reads, or
  /// `colourPackThreshold` with colour classes), single reads by colour
  /// classes when `colours` is given (then no dense rows), dense rows when
  /// `DenseRows.chosen` (built unless `dense` is given).
  func plan(
    _ kernel: inout AnnealKernel, colours: ColourLayout?, dense: DenseRows?
  ) -> PackLayout {
    let p = parameters
    let layout = PackLayout(
      reads: p.reads,
      allowed: p.packReads && p.colourSweeps != .always
        && kernel.canPack(order: p.order, couplings: p.couplings),
      wide: kernel.widePacks,
      threshold: colours == nil ? AnnealKernel.packThreshold : Self.colourPackThreshold)
    kernel.colours = colours
    kernel.dense = nil
    if colours == nil
      && DenseRows.chosen(p.couplings, for: kernel.buffers, packed: layout.packs > 0)
    {
      kernel.dense = dense ?? DenseRows(kernel.buffers)
    }
    return layout
  }
}
