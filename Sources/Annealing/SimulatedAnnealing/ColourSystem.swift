// The real-valued kernel that vectorises within one read, over the spins of
// a colour class (issue 22, item 4; the classes in ColourClasses.swift).
//
// Float packs (FloatPackedSystem.swift) put eight reads in SIMD lanes, so a
// run of 10 reads was one pack and two reads one by one in Double, and those
// two cost as much as the pack. Here one read's eight consecutive slots of a
// class share a vector instead, so every read costs the same and reads stay
// independent; SA runs the reads outside packs this way
// (SimulatedAnnealing+Colour.swift).
//
// Implementation goals, in order of priority:
// 1. The same Markov chain as SpinSystem in the classes' order, up to Float
//    rounding: acceptance as FloatPackedSystem's lanes compute it (the same
//    degree-5 exponential, 24-bit uniforms, the same error bounds), and
//    fields refreshed from the spins in Double every `refreshInterval`
//    sweeps; used only where Float resolves the model
//    (`ProblemBuffers.floatPacks`).
// 2. No branch on a single decision: per class, a vector pass over groups
//    of eight slots (ΔE = −2 s f, x = βΔE, the rule's mask, the mask's
//    bits) appends the accepted slots to a list through a 256-entry table
//    of lane indices; a scalar pass then flips them, each with its
//    neighbour loop f_j += 2 s_i' J_ij over Float fields (4 bytes per
//    spin, so the fields of 16 000 spins fit in L1). The rows are even
//    (the loop is unrolled by two) and a class's spins are sorted by
//    degree, so the loop's exit is predicted (ColourClasses.swift).
// 3. Idle slots (classes padded to multiples of 8) cost a lane, never a flip.
//
// Energies: a Double per read, adding each accepted flip's Float ΔE, reset
// exactly at each refresh; the best state is chosen on it and the reported
// energy is recomputed from the spins.

import CFloatLanes

/// Spins, Float fields and energy of one read laid out in colour classes.
struct ColourSystem {
  /// Sweeps between two exact recomputations of fields and energy.
  static let refreshInterval = 64

  let layout: ColourLayout
  let slots: Int
  let start: UnsafeMutablePointer<Int32>
  let neighbor: UnsafeMutablePointer<Int32>
  /// `(b, J_ab)` per CSR entry: the neighbour slot in the low 32 bits,
  /// `J_ab` as Float bits in the high 32.
  let edge: UnsafeMutablePointer<UInt64>
  /// `s[a]` ∈ {−1, +1} by slot (idle slots −1), 32-byte aligned.
  let s: UnsafeMutablePointer<Float>
  /// `f[a] = h_a + Σ_b J_ab s_b` by slot (idle slots `idleField`).
  let f: UnsafeMutablePointer<Float>
  /// The slots a class's vector pass accepted (`slots + 8` entries).
  let flips: UnsafeMutablePointer<Int32>
  /// The running energy (with the offset).
  var energy: Double = 0
  /// β of the current step, as Float.
  var beta: Float = 0
  /// The instruction set the C sweep runs on (`FloatPackedSystem.bestLevel`;
  /// 0: the Swift sweep).
  var level = FloatPackedSystem.bestLevel

  /// Allocates the buffers; `fill` writes the initial spins, in the
  /// caller's numbering, as ±1 Doubles.
  init(_ layout: ColourLayout, fill: (UnsafeMutablePointer<Double>) -> Void) {
    self.layout = layout
    slots = layout.slots
    start = layout.start
    neighbor = layout.neighbor
    edge = layout.edge
    // Slots, then the sink slot (padded rows' zero couplings point there).
    let count = slots + ColourLayout.width
    s = Self.allocateFloats(count)
    f = Self.allocateFloats(count)
    s.initialize(repeating: -1, count: count)
    f.initialize(repeating: ColourLayout.idleField, count: count)
    flips = .allocate(capacity: slots + ColourLayout.width)
    let n = layout.n
    let d = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
    d.initialize(repeating: 1, count: max(1, n))
    fill(d)
    for i in 0..<n { s[Int(layout.slot[i])] = d[i] > 0 ? 1 : -1 }
    d.deallocate()
    refresh()
  }

  static func allocateFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64)
      .bindMemory(to: Float.self, capacity: count)
  }

  /// Frees the buffers.
  func deallocate() {
    UnsafeMutableRawPointer(s).deallocate()
    UnsafeMutableRawPointer(f).deallocate()
    flips.deallocate()
  }

  /// Recomputes every field and the energy from the spins in Double.
  mutating func refresh() {
    let p = layout
    var e = p.offset
    var pair = 0.0
    for a in 0..<slots where p.spin[a] >= 0 {
      var c = 0.0
      for k in Int(start[a])..<Int(start[a + 1]) {
        c += p.coupling[k] * Double(s[Int(neighbor[k])])
      }
      let sa = Double(s[a])
      f[a] = Float(p.h[a] + c)
      e += p.h[a] * sa
      pair += sa * c
    }
    energy = e + pair / 2
  }

  /// Readies the system for inverse temperature `beta`.
  mutating func prepare(beta: Double) { self.beta = Float(beta) }

  /// One sweep over the slots in order (class by class) with rule `R`, by
  /// the C kernel (CFloatLanes/lanes.c) at `level` from 1 on (at 0 by
  /// `referenceSweep(_:rng:)`, which it matches bit for bit).
  @inline(__always)
  mutating func sweep<R: FloatLaneRule>(_ rule: R.Type, rng: inout Xoshiro256PlusPlus) {
    guard level > 0 else {
      referenceSweep(R.self, rng: &rng)
      return
    }
    var state = SIMD4<UInt64>(rng.s0, rng.s1, rng.s2, rng.s3)
    var total = energy
    let (level, colours, beta) = (self.level, layout.colours, self.beta)
    let (start, edge, s, f, flips) = (self.start, self.edge, self.s, self.f, self.flips)
    layout.classStart.withUnsafeBufferPointer { classes in
      withUnsafeMutablePointer(to: &state) { words in
        words.withMemoryRebound(to: UInt64.self, capacity: 4) { g in
          cfl_colour_sweep(
            level, R.code, Int64(colours),
            classes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: Int64.self) },
            start, edge, s, f, flips, ColourLayout.laneTable, ColourLayout.laneCounts, beta, g,
            &total)
        }
      }
    }
    rng.s0 = state[0]
    rng.s1 = state[1]
    rng.s2 = state[2]
    rng.s3 = state[3]
    energy = total
  }

  /// One sweep over the slots in order (class by class) with rule `R`: the
  /// reference the C sweep (`sweep(_:rng:)`) is tested against, bit for bit.
  ///
  /// Per class, two passes: the vector pass decides every slot of the class
  /// from the fields as they stand and appends the accepted slots to
  /// `flips` without a branch (the mask's bits index `laneTable`); the
  /// scalar pass then flips them and updates their neighbours' fields,
  /// none of which lies in the class.
  @inline(__always)
  mutating func referenceSweep<R: FloatLaneRule>(
    _ rule: R.Type, rng: inout Xoshiro256PlusPlus
  ) {
    let b = FloatLanes(repeating: beta)
    let minusTwo = FloatLanes(repeating: -2)
    let bit = SIMD8<Int32>(1, 2, 4, 8, 16, 32, 64, 128)
    let sv = UnsafeRawPointer(s)
    let fv = UnsafeRawPointer(f)
    let lv = UnsafeMutableRawPointer(flips)
    let table = UnsafeRawPointer(ColourLayout.laneTable)
    let counts = ColourLayout.laneCounts
    var total = 0.0
    for c in 0..<layout.colours {
      var a = layout.classStart[c]
      let end = layout.classStart[c &+ 1]
      var count = 0
      while a < end {
        let sa = sv.load(fromByteOffset: a &* 4, as: FloatLanes.self)
        let fa = fv.load(fromByteOffset: a &* 4, as: FloatLanes.self)
        let accept = R.accepts(minusTwo * sa * fa * b, FloatPackedSystem.uniforms(&rng))
        let bits = Int(
          truncatingIfNeeded: (unsafeBitCast(accept, to: SIMD8<Int32>.self) & bit).wrappedSum())
        let lanes = table.load(fromByteOffset: bits &* 32, as: SIMD8<Int32>.self)
        lv.storeBytes(
          of: lanes &+ SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: a)),
          toByteOffset: count &* 4, as: SIMD8<Int32>.self)
        count &+= Int(counts[bits])
        a &+= ColourLayout.width
      }
      var t = 0
      while t < count {
        let i = Int(flips[t])
        let si = s[i]
        total += Double(-2 * si * f[i])
        s[i] = -si
        let d = -2 * si
        var k = Int(start[i])
        let stop = Int(start[i &+ 1])
        while k < stop {  // rows of even length (`ColourLayout.rowMultiple`)
          Self.update(f, edge[k], d)
          Self.update(f, edge[k &+ 1], d)
          k &+= 2
        }
        t &+= 1
      }
    }
    energy += total
  }

  /// `f_b += d·J_ab` for the edge word `(b, J_ab)`.
  @inline(__always)
  static func update(_ f: UnsafeMutablePointer<Float>, _ word: UInt64, _ d: Float) {
    f[Int(UInt32(truncatingIfNeeded: word))] +=
      d * Float(bitPattern: UInt32(truncatingIfNeeded: word >> 32))
  }

  /// Writes the spins, in the caller's numbering, as Int8 to `out`.
  func extract(_ source: UnsafeMutablePointer<Float>, to out: UnsafeMutablePointer<Int8>) {
    for i in 0..<layout.n { out[i] = source[Int(layout.slot[i])] > 0 ? 1 : -1 }
  }
}
