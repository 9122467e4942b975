// One sweep of path-integral Monte Carlo (the "updater" of SQA) over
// `PathIntegralSystem`.
//
// Implementation goals, in order of priority:
// 1. Exactness: every proposal sees the exact current state, so every move
//    satisfies detailed balance for the action S (PathIntegralSystem.swift).
// 2. Throughput in proposals per second at one thread.
//
// The sweep visits spins in index order. For spin i:
// 1. −ln u_k for its P proposals, four lanes at a time, from 24-bit
//    uniforms (`negativeLogUniform`): the top bits of four xoshiro128+
//    streams in SSE lanes (SliceLaneGenerator.swift), seeded afresh from
//    the read's xoshiro256++ at every sweep. (Until round four: two uniforms per
//    64-bit xoshiro256++ draw, stored and read back as vectors one spin
//    later.)
// 2. The slice proposals, a checkerboard in imaginary time
//    (PathIntegralSystem+SliceMoves.swift), which also accumulate
//    Σ_k s^k f^k.
// 3. One worldline proposal, from that sum.
// 4. Flips of spin i do not change f_i, so only now are the neighbours'
//    fields updated, once, with d_k = s_new − s_old
//    (PathIntegralSystem+NeighbourFields.swift).
//
// Acceptance is "−ln u > ΔS" with u = (b + ½)·2⁻²⁴, b a 24-bit integer, and
// a logarithm accurate to about one Float ulp (`laneLogarithm`): the
// implemented acceptance probability differs from min(1, e^{−ΔS}) by at
// most about 2⁻²⁴ in absolute terms (moves with ΔS > 17.3 are never
// accepted). On Int8 fields at P = 16 and 32 the slice proposals are
// decided instead by a table of ⌈2³² min(1, e^{−ΔS})⌉ − 1 over the few
// values ΔS takes (PathIntegralSystem+AcceptanceTable.swift), exact to
// 2⁻³².
//
// Measured on the sparse n = 2000, degree-4 and dense n = 800, degree-48
// ±1 instances with P = 16, one thread (proposals per second, harness over
// `PathIntegralAnnealing`): slice-by-slice Metropolis with branches and
// `expf` 80 / 97 M/s; branch-free chain 82 / 64; checkerboard 129 / 136;
// fused bookkeeping 170 / 150; SSE colour split 209 / 172; cheaper log,
// packed edges, bits one spin ahead 263 / 222; whole 64-bit draws stored
// 280 / 233; colour-split storage instead of splitting in registers every
// visit 322 / 261. Round two (callgrind instructions per spin visit on the
// dense instance, 1000 sweeps, β of the P-dependent default): P = 4 and 12
// went through the scalar ring, whose Σ s f accumulator was indexed through
// the stack (45 % of a P = 4 sweep in store-forwarding stalls): two register
// sums, then the masked four-lane path (P = 12: 1.6× fewer cycles at the old
// β); the per-neighbour update as explicit vectors with d in registers for
// P = 4, 8, 16 (P = 16: 1365 → 1060; P = 4: 777 → 507). Tried and dropped:
// drawing uniforms only for a vector with a lane that can accept (at P = 16
// on the dense instance 94 % of vectors had one, and the branch and the
// generator state in memory cost more than they saved); xoshiro128++ in SSE
// lanes (the compiler turned the two-shift rotate back into a rotate and did
// it lane by lane: +8 %); two changed slices per neighbour pass (no fewer
// instructions); unrolling the generic update by two vectors (P = 32: +1 %).
// Tried and dropped (slower or no gain): SIMD xoshiro128++ lanes
// (SSE2 has no vector rotate, and the compiler rotates lane by lane), an
// exp-based test in the passes (a longer dependency chain than the
// precomputed −ln u), a division-free log polynomial, other thresholds
// between the per-slice and per-neighbour field updates. Round three
// (callgrind instructions per proposal at OpenJij's settings, dense ±1
// instance): one loop per form of the slice moves instead of all forms
// inlined into one loop (the loop state had been kept on the stack), P = 4,
// 8, 12 in registers, −ln u for P slices only, ±c couplings added without a
// multiply: P = 4 107.9 → 60.3, P = 16 63.5 → 52.3 (CPU time −13 % and −2 %:
// the latencies and mispredicted branches left dominate). Round four: the
// worldline threshold of integer models from a table (same samples), and
// the slice uniforms from xoshiro128+ in lanes (new samples for a seed):
// P = 4 60.3 → 58.1, P = 16 52.3 → 49.5. Then Int16 fields for integer
// models (same samples): P = 8 54.0 → 47.6, 16 49.5 → 44.1, 32 43.4 → 39.1.
// Round five (same samples): Int16 fields at P = 12, the P = 4 and 12
// passes on sign masks from memory, the worldline flip in vectors and its
// table index without conversion checks, ±c slice-by-slice Int16 updates
// without a multiply, −ln u straight from the lane words, P = 12
// neighbours in one shuffle: P = 4 58.2 → 51.2, 8 47.6 → 42.6, 12 59.3 →
// 50.1, 16 44.1 → 43.4, 32 39.1 → 38.4. Round six (same samples): Int8
// fields for ±c models with |f| ≤ 127 at P = 12, 16, 32, their slice
// energies' changes summed in Float per sweep, the P = 16 and 32 passes
// unrolled, the sign of −ln u folded into the log: P = 4 51.2 → 50.7, 8
// 42.6 → 42.0, 12 50.1 → 40.0, 16 43.4 → 35.5, 32 38.4 → 31.2. (Tried and
// dropped: the lane words of a spin generated in a loop of their own before
// the logs, 16 35.5 → 37.4, 32 31.2 → 32.4; two changed slices slice by
// slice on Int8 at P = 32, no gain.) Round seven (new samples on the
// Int8 path at P = 16 and 32): the slice proposals decided by the
// acceptance table, 16 bits of the lane generator a proposal: P = 16
// 35.5 → 30.4, 32 31.2 → 25.1. Round ten (new samples at P = 16 and 32):
// in sweeps where most visits change nothing, a visit first tests, with
// one draw, whether any proposal can be a candidate
// (PathIntegralSystem+SkipAhead.swift); the Int8 fields widened to Float
// by unpacking: P = 16 30.4 → 26.6, 32 25.1 → 21.0.

extension PathIntegralSystem {
  /// One sweep: for each spin i in index order, P single-slice Metropolis
  /// proposals (even slices, then odd slices, then with odd P the last
  /// one) and, if `worldline`, one worldline proposal.
  ///
  /// - Parameters:
  ///   - scale: βB/P, the weight of H_p in each slice.
  ///   - jPerp: J⊥, the coupling between neighbouring slices.
  @inline(never)
  func sweep(
    scale: SliceFloat, jPerp: SliceFloat, worldline: Bool, rng: inout Xoshiro256PlusPlus
  ) {
    // One loop per form of the slice moves, each compiled on its own: with
    // all forms inlined into one loop body the compiler kept the loop's
    // state on the stack (about 128 instructions a spin at P = 4).
    if usesByteFields {
      sweepBytes(scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    } else if usesNarrowFields {
      sweepNarrow(scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    } else if trotter == 16 || trotter == 32 {
      sweepUnrolled(scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    } else {
      sweepFloat(scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    }
  }

  /// `sweep(scale:jPerp:worldline:rng:)` on the Float fields at P other
  /// than 16 and 32. A function of its own: with the unrolled P = 16 and
  /// 32 forms beside these in one function, even called as a function of
  /// their own, P = 4 was compiled worse (50.6 → 57.7 instructions a
  /// proposal).
  @inline(never)
  func sweepFloat(
    scale: SliceFloat, jPerp: SliceFloat, worldline: Bool, rng: inout Xoshiro256PlusPlus
  ) {
    if trotter == 4 {
      sweepSites(FourSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    } else if trotter == 8 {
      sweepSites(
        EightSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    } else if trotter == 12 {
      sweepSites(
        TwelveSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    } else if colourSplit {
      sweepSites(
        ColourSplitSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    } else if trotter % 4 == 0 {
      sweepSites(QuadSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    } else {
      sweepSites(
        ScalarSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    }
  }

  /// `sweep(scale:jPerp:worldline:rng:)` on the Int16 fields.
  ///
  /// P = 8, 12, 16, 32. A function of its own: with these forms inlined into `sweep`
  /// beside the others, the Float forms were compiled worse (P = 4: 58.1 →
  /// 65.3 instructions a proposal).
  @inline(never)
  func sweepNarrow(
    scale: SliceFloat, jPerp: SliceFloat, worldline: Bool, rng: inout Xoshiro256PlusPlus
  ) {
    if trotter == 8 {
      sweepSites(
        EightSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng,
        fields: NarrowSliceFields.self)
    } else if trotter == 12 {
      sweepSites(
        TwelveSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng,
        fields: NarrowSliceFields.self)
    } else if trotter == 16 {
      sweepSites(
        SixteenSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng,
        fields: NarrowSliceFields.self)
    } else {
      sweepSites(
        ThirtyTwoSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng,
        fields: NarrowSliceFields.self)
    }
  }

  /// `sweep(scale:jPerp:worldline:rng:)` on the Float fields at P = 16
  /// and 32, the colour-split passes unrolled.
  @inline(never)
  func sweepUnrolled(
    scale: SliceFloat, jPerp: SliceFloat, worldline: Bool, rng: inout Xoshiro256PlusPlus
  ) {
    if trotter == 16 {
      sweepSites(
        SixteenSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    } else {
      sweepSites(
        ThirtyTwoSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
    }
  }

  /// `sweep(scale:jPerp:worldline:rng:)` on the Int8 fields (P = 12, 16,
  /// 32; at 16 and 32 with the acceptance table unless turned off), a
  /// function of its own like `sweepNarrow`.
  @inline(never)
  func sweepBytes(
    scale: SliceFloat, jPerp: SliceFloat, worldline: Bool, rng: inout Xoshiro256PlusPlus
  ) {
    if trotter == 12 {
      sweepSites(
        TwelveSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng,
        fields: ByteSliceFields.self)
    } else if usesSkipAhead && quietVisits >= n * Self.skipAheadQuietPercent / 100 {
      // Skip-ahead where the last sweep left most visits' slices unchanged
      // (PathIntegralSystem+SkipAhead.swift).
      thinnedSweeps &+= 1
      if trotter == 16 {
        sweepSites(
          SixteenSliceThinnedMoves.self, scale: scale, jPerp: jPerp, worldline: worldline,
          rng: &rng, fields: ByteSliceFields.self)
      } else {
        sweepSites(
          ThirtyTwoSliceThinnedMoves.self, scale: scale, jPerp: jPerp, worldline: worldline,
          rng: &rng, fields: ByteSliceFields.self)
      }
    } else if usesAcceptanceTable {
      if trotter == 16 {
        sweepSites(
          SixteenSliceTableMoves.self, scale: scale, jPerp: jPerp, worldline: worldline,
          rng: &rng, fields: ByteSliceFields.self)
      } else {
        sweepSites(
          ThirtyTwoSliceTableMoves.self, scale: scale, jPerp: jPerp, worldline: worldline,
          rng: &rng, fields: ByteSliceFields.self)
      }
    } else if trotter == 16 {
      sweepSites(
        SixteenSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng,
        fields: ByteSliceFields.self)
    } else {
      sweepSites(
        ThirtyTwoSliceMoves.self, scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng,
        fields: ByteSliceFields.self)
    }
  }

  /// The sweep of `sweep(scale:jPerp:worldline:rng:)` with the slice moves
  /// of one form, on the Float or (`NarrowSliceFields`) the Int16 fields
  /// (PathIntegralSystem+NarrowFields.swift).
  @inline(__always)
  func sweepSites<Moves: SliceMoves, Fields: SliceFieldStorage>(
    _ moves: Moves.Type, scale: SliceFloat, jPerp: SliceFloat, worldline: Bool,
    rng caller: inout Xoshiro256PlusPlus, fields _: Fields.Type = FloatSliceFields.self
  ) {
    // A type's constant, so each specialisation has one path only.
    let narrow = Fields.narrow
    let bytes = Fields.bytes
    // The generator as a local, so its state can stay in registers instead
    // of being loaded and stored at every spin.
    var rng = caller
    defer { caller = rng }
    let slices = trotter
    let change = sliceChange
    let twoScale = 2 * scale
    // P a multiple of 4: neighbours' fields are updated a vector at a time.
    let vectorUpdates = slices % 4 == 0
    // −ln u is needed for slices 0..<P only.
    let chunks = (slices &+ 3) / 4
    // The slice proposals' random bits, four lanes a step.
    var lanes = SliceLaneGenerator(seeding: &rng)
    let rightShift = laneRightShift
    // Int8 fields at P = 16: the slice proposals' acceptance table.
    prepareAcceptanceTable(scale: scale, jPerp: jPerp)
    // Integer models: e^{−ΔS} of the worldline move from a table by Σ s f.
    prepareWorldlineThresholds(twoScale: twoScale)
    let thresholds = worldlineThresholds
    let thresholdCount = worldlineThresholdCount
    var acceptedSlices: UInt64 = 0
    // Visits whose slice proposals changed nothing (P = 16, 32 on the table).
    var quiet = 0
    var acceptedWorldlineMoves: UInt64 = 0
    // Up to this many changed slices, neighbours are updated slice by slice
    // (about 6 instructions a neighbour and slice, against about 14 + 2P a
    // neighbour for all slices by the generic vector loop; the loops with d
    // in registers, P = 4, 8, 12, 16, 32, cost about 1.5P).
    // With ±c couplings and P = 4, 8, 12, 16, 32 a neighbour costs about
    // 3 + 3P/4 instructions for all slices and 5 a slice.
    let signSplitDense =
      couplingMagnitude != 0
      && (slices == 4 || slices == 8 || slices == 12 || slices == 16 || slices == 32)
    // On Int16 fields (P = 8, 12, 16, 32) a neighbour costs about 3 + 3P/8
    // for all slices.
    // On Int8 fields (P = 12, 16, 32) about 4 (P = 12, 16) or 7 (P = 32).
    let sparseLimit =
      bytes
      ? 1
      : narrow
      ? max(1, (3 &+ 3 &* slices / 8) / 5)
      : (signSplitDense
        ? max(1, (3 &+ 3 &* slices / 4) / 5)
        : slices <= 16 || slices == 32 ? max(1, slices / 4) : (14 + 2 * slices) / 6)
    for i in 0..<n {
      let siteSpins = spins + (i &* slices)
      let siteFields =
        bytes
        ? expandByteFields(
          ofSpin: i, slices: Moves.constantSlices > 0 ? Moves.constantSlices : slices)
        : narrow ? expandNarrowFields(ofSpin: i) : fields + (i &* slices)
      // The random bits (−ln u_k, or the acceptance table's), then the
      // proposals; every form also returns Σ_k s_new^k f^k for the
      // worldline move.
      let (slicesChanged, dot) = Moves.proposeDrawing(
        self, siteSpins, siteFields, scale: scale, jPerp: jPerp, lanes: &lanes,
        rightShift: rightShift, chunks: chunks, rng: &rng)
      var changed = slicesChanged
      acceptedSlices &+= UInt64(changed)
      if Moves.countsQuietVisits && changed == 0 { quiet &+= 1 }
      if worldline {
        let actionChange = -twoScale * dot
        // e^{−ΔS} < 2⁻²⁵ ≤ u above 17.4: certain rejection, no draw needed.
        if actionChange <= 0
          || (actionChange < 17.4
            && Self.uniform(&rng)
              < (thresholdCount > 0
                ? Self.worldlineThreshold(
                  actionChange, dot: dot, table: thresholds, count: thresholdCount)
                : exp(-actionChange)))
        {
          acceptedWorldlineMoves &+= 1
          flipWorldline(siteSpins, change: change, vectors: vectorUpdates)
          // A slice flipped by the passes is now back where it started; every
          // other slice has changed.
          changed = slices &- changed
        }
      }
      if changed == 0 { continue }
      if bytes {
        applyByteSliceChanges(
          ofSpin: i, fields: siteFields, change: change, changed: changed,
          sparseLimit: sparseLimit)
        continue
      }
      if narrow {
        applyNarrowSliceChanges(
          ofSpin: i, fields: siteFields, change: change, changed: changed,
          sparseLimit: sparseLimit)
        continue
      }
      applySliceChanges(
        ofSpin: i, fields: siteFields, change: change, changed: changed,
        sparseLimit: sparseLimit, vectorUpdates: vectorUpdates)
    }
    if bytes { addSliceEnergyChangesOfSweep() }
    if Moves.countsQuietVisits { quietVisits = quiet }
    acceptedFlips &+= acceptedSlices
    acceptedWorldlines &+= acceptedWorldlineMoves
  }

  /// Flips every slice of the spin at `siteSpins` (a worldline move after
  /// the slice moves): s^k → −s^k, and d_k → d_k − 2 s^k. Four slices a
  /// step when `vectors` (P a multiple of 4; the same values: negation and
  /// s + s = 2s are exact).
  @inline(__always)
  func flipWorldline(
    _ siteSpins: UnsafeMutablePointer<SliceFloat>, change: UnsafeMutablePointer<SliceFloat>,
    vectors: Bool
  ) {
    let slices = trotter
    if vectors {
      let spinBytes = UnsafeMutableRawPointer(siteSpins)
      let changeBytes = UnsafeMutableRawPointer(change)
      var at = 0
      while at < slices &* 4 {
        let old = spinBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
        spinBytes.storeBytes(of: -old, toByteOffset: at, as: SliceVector.self)
        let d = changeBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
        changeBytes.storeBytes(of: d - (old + old), toByteOffset: at, as: SliceVector.self)
        at &+= 16
      }
    } else {
      for k in 0..<slices {
        let old = siteSpins[k]
        siteSpins[k] = -old
        change[k] = change[k] - 2 * old
      }
    }
  }

  /// A uniform in (0, 1) with 24 random bits.
  @inline(__always)
  static func uniform(_ rng: inout Xoshiro256PlusPlus) -> SliceFloat {
    (SliceFloat(rng.next() >> 40) + 0.5) * 0x1.0p-24
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
