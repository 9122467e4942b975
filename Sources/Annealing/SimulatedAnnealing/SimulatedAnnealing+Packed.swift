// The simulated-annealing driver of one pack of reads (the kernel and its
// layout are described in PackedSystem.swift).
//
// The packed kernel runs when the biases have a quantum (and fit Int16
// lanes) and the order is sequential, on the reads that `PackLayout` packs;
// everything else runs read by read (SimulatedAnnealing+Kernel.swift).

extension AnnealKernel {
  /// The fewest reads for which a pack pays.
  static let packThreshold = 3

  /// The mean degree up to which sweeps never branch on the decisions.
  static let branchFreeDegree = 8.0

  /// Whether a run with these settings may use a packed kernel: the
  /// integer one, or for models without a quantum the Float one
  /// (`canPackFloat`).
  func canPack(order: UpdateOrder, couplings: CouplingLayout) -> Bool {
    switch order {
    case .sequential:
      return (quantized && PackedSystem.fits(buffers))
        || canPackFloat(order: order, couplings: couplings)
    case .random: return false
    }
  }

  /// Whether packs may be 16 reads wide (integer packs only).
  var widePacks: Bool { buffers.quantum != nil }

  /// Runs pack `p` (reads `w·p ..< min(w·p + w, reads)`, w the pack width;
  /// `reads` is the number of packed reads) into `results`.
  func runPack(
    _ p: Int, halves: Int, reads: Int, acceptance: Acceptance, rng: inout Xoshiro256PlusPlus,
    into results: ReadResults
  ) {
    guard let biases = buffers.quantized else {
      runFloatPack(p, reads: reads, acceptance: acceptance, rng: &rng, into: results)
      return
    }
    let n = buffers.n
    let first = p * PackedSystem.lanes * halves
    let system = PackedSystem(
      buffers, biases, halves: halves, acceptance: acceptance, dense: dense
    ) {
      lane, s in initial.fill(s, n: n, read: first + lane, rng: &rng)
    }
    defer { system.deallocate() }
    if halves == 2 {
      anneal(system, SixteenLanes.self, pack: p, reads: reads, rng: &rng, into: results)
    } else {
      anneal(system, EightLanes.self, pack: p, reads: reads, rng: &rng, into: results)
    }
  }

  func anneal<W: PackedWidth>(
    _ system: PackedSystem, _ layout: W.Type, pack p: Int, reads: Int,
    rng: inout Xoshiro256PlusPlus, into results: ReadResults
  ) {
    let n = buffers.n
    let H = W.halves
    let width = system.width
    let best = UnsafeMutablePointer<PackedLanes>.allocate(capacity: max(1, n * H))
    defer { best.deallocate() }
    best.initialize(from: system.s, count: n * H)
    let bestUnits = UnsafeMutablePointer<SIMD8<Int64>>.allocate(capacity: H)
    defer { bestUnits.deallocate() }
    bestUnits.initialize(from: system.units, count: H)
    let mask = UnsafeMutablePointer<PackedLanes>.allocate(capacity: H)
    defer { mask.deallocate() }
    mask.initialize(repeating: PackedLanes(repeating: 0), count: H)
    let sparse = Double(buffers.start[n]) <= Self.branchFreeDegree * Double(max(1, n))
    var packed = system
    let updates = walkSchedule(&packed, rng: &rng) {
      $0.prepare(beta: $1)
    } sweep: { packed, g in
      if sparse {
        packed.sweep(W.self, PackedBranchFree.self, rng: &g)
      } else {
        packed.sweep(W.self, PackedSkipping.self, rng: &g)
      }
      if returnBest { keepBest(packed, best: best, bestUnits: bestUnits, mask: mask) }
    }
    if !returnBest { best.update(from: system.s, count: n * H) }
    let row = UnsafeMutablePointer<Int8>.allocate(capacity: max(1, n))
    defer { row.deallocate() }
    for lane in 0..<min(width, reads - p * width) {
      system.extract(best, lane: lane, to: row)
      results.store(
        read: p * width + lane, state: UnsafeBufferPointer(start: row, count: n),
        energy: buffers.energy(row), spinUpdates: updates)
    }
  }

  /// Copies the lanes whose energy fell below their best into `best`.
  func keepBest(
    _ system: PackedSystem, best: UnsafeMutablePointer<PackedLanes>,
    bestUnits: UnsafeMutablePointer<SIMD8<Int64>>, mask: UnsafeMutablePointer<PackedLanes>
  ) {
    var improved = false
    for half in 0..<system.halves {
      let better = system.units[half] .< bestUnits[half]
      mask[half] = PackedLanes(repeating: 0)
      if any(better) {
        improved = true
        for lane in 0..<PackedSystem.lanes where better[lane] { mask[half][lane] = -1 }
        bestUnits[half].replace(with: system.units[half], where: better)
      }
    }
    if improved { system.blend(into: best, mask: mask) }
  }
}

/// How the reads of a run split into packs and single reads.
///
/// Reads `0 ..< packed` run in packs of `width` (8, or 16 from 32 reads
/// on); the rest, fewer than `AnnealKernel.packThreshold`, run one by one
/// (a pack of 8 costs as much as 2–2.7 single reads). The layout depends
/// on the read count only, so results do not depend on the thread count.
struct PackLayout {
  /// Vectors per spin: 1 (8 reads per pack) or 2 (16).
  let halves: Int
  /// Reads per pack.
  let width: Int
  /// The number of packs.
  let packs: Int
  /// Reads `0 ..< packed` are packed.
  let packed: Int

  /// The layout for `reads` reads (no packs when `allowed` is false;
  /// never 16 wide unless `wide`; a last, partly idle pack from
  /// `threshold` reads left over).
  init(
    reads: Int, allowed: Bool, wide: Bool = true, threshold: Int = AnnealKernel.packThreshold
  ) {
    halves = wide && reads >= 32 ? 2 : 1
    width = PackedSystem.lanes * halves
    var packs = allowed ? reads / width : 0
    if allowed && reads - packs * width >= threshold { packs += 1 }
    self.packs = packs
    packed = min(reads, packs * width)
  }
}
