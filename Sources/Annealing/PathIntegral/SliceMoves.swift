// The forms of the single-slice proposals of one spin
// (PathIntegralSystem+SliceMoves.swift) as types, so that the sweep is
// compiled once per form (`PathIntegralSystem.sweepSites`) instead of
// choosing among all of them at every spin.

/// One form of the P single-slice proposals of a spin, with the drawing
/// of their random bits.
protocol SliceMoves {
  /// Draws the random bits of the P proposals of the spin whose slices and
  /// fields start at `siteSpins` and `siteFields` (from `lanes`, and in
  /// rare cases from the read's `rng`), proposes every slice, writes d_k
  /// to `system.sliceChange` and returns how many slices changed and
  /// Σ_k s_new^k f^k.
  ///
  /// - Parameter chunks: ⌈P/4⌉, the lane steps of the −ln u forms.
  static func proposeDrawing(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat,
    lanes: inout SliceLaneGenerator, rightShift: UInt32, chunks: Int,
    rng: inout Xoshiro256PlusPlus
  ) -> (changed: Int, dot: SliceFloat)

  /// P when the form serves one P only (its per-spin loops then have a
  /// constant count), else 0.
  static var constantSlices: Int { get }

  /// Whether the sweep counts the visits whose slice proposals changed
  /// nothing (`PathIntegralSystem.quietVisits`: the skip-ahead's switch).
  static var countsQuietVisits: Bool { get }
}

extension SliceMoves {
  static var constantSlices: Int { 0 }
  static var countsQuietVisits: Bool { false }
}

/// A form that decides each slice by "−ln u > ΔS" with −ln u from
/// `system.negativeLogUniforms`.
protocol LogSliceMoves: SliceMoves {
  /// Proposes every slice of the spin whose slices and fields start at
  /// `siteSpins` and `siteFields`; writes d_k to `system.sliceChange` and
  /// returns how many slices changed and Σ_k s_new^k f^k.
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat)
}

extension LogSliceMoves {
  /// −ln u_k for the P proposals, four lanes a step of `lanes`
  /// (`negativeLogUniform`), then `propose`.
  @inline(__always)
  static func proposeDrawing(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat,
    lanes: inout SliceLaneGenerator, rightShift: UInt32, chunks: Int,
    rng: inout Xoshiro256PlusPlus
  ) -> (changed: Int, dot: SliceFloat) {
    let minusLogs = system.negativeLogUniforms
    for c in 0..<chunks {
      let words = lanes.next(rightShift: rightShift)
      negativeLogUniform(fromWords: words).store(to: minusLogs + (c &* 4))
    }
    return propose(system, siteSpins, siteFields, scale: scale, jPerp: jPerp)
  }
}

/// How many vectors of each colour a spin's slices fill in the colour-split
/// layout (P = 8 × `vectorsPerColour`), as a type, so that the forms below
/// are compiled with it as a constant.
protocol ColourVectors {
  static var vectorsPerColour: Int { get }
}

/// Two vectors a colour: P = 16.
enum TwoColourVectors: ColourVectors {
  static var vectorsPerColour: Int { 2 }
}

/// Four vectors a colour: P = 32.
enum FourColourVectors: ColourVectors {
  static var vectorsPerColour: Int { 4 }
}

/// P = 8 × `V.vectorsPerColour` on Int8 fields: the colour-split layout,
/// decided by the acceptance table (`proposeSlicesByTable`).
enum SliceTableMoves<V: ColourVectors>: SliceMoves {
  static var constantSlices: Int { 8 * V.vectorsPerColour }
  static var countsQuietVisits: Bool { true }

  @inline(__always)
  static func proposeDrawing(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat,
    lanes: inout SliceLaneGenerator, rightShift: UInt32, chunks: Int,
    rng: inout Xoshiro256PlusPlus
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesByTable(
      siteSpins, siteFields, lanes: &lanes, rightShift: rightShift, rng: &rng,
      vectorsPerColour: V.vectorsPerColour)
  }
}

/// P = 8 × `V.vectorsPerColour` on Int8 fields: the acceptance table
/// after the skip-ahead test (`proposeSlicesThinned`).
enum SliceThinnedMoves<V: ColourVectors>: SliceMoves {
  static var constantSlices: Int { 8 * V.vectorsPerColour }
  static var countsQuietVisits: Bool { true }

  @inline(__always)
  static func proposeDrawing(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat,
    lanes: inout SliceLaneGenerator, rightShift: UInt32, chunks: Int,
    rng: inout Xoshiro256PlusPlus
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesThinned(
      siteSpins, siteFields, lanes: &lanes, rightShift: rightShift, rng: &rng,
      vectorsPerColour: V.vectorsPerColour)
  }
}

/// P = 16 on Int8 fields, by the acceptance table after the skip-ahead
/// test.
typealias SixteenSliceThinnedMoves = SliceThinnedMoves<TwoColourVectors>
/// P = 32 on Int8 fields, by the acceptance table after the skip-ahead
/// test.
typealias ThirtyTwoSliceThinnedMoves = SliceThinnedMoves<FourColourVectors>

/// P = 16 on Int8 fields, by the acceptance table.
typealias SixteenSliceTableMoves = SliceTableMoves<TwoColourVectors>
/// P = 32 on Int8 fields, by the acceptance table.
typealias ThirtyTwoSliceTableMoves = SliceTableMoves<FourColourVectors>

/// P = 4: the four slices in one register (`proposeSlicesFour`).
enum FourSliceMoves: LogSliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesFour(siteSpins, siteFields, scale: scale, jPerp: jPerp)
  }
}

/// P = 8: the two colours in two registers (`proposeSlicesEight`).
enum EightSliceMoves: LogSliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesEight(siteSpins, siteFields, scale: scale, jPerp: jPerp)
  }
}

/// P = 12: three registers (`proposeSlicesTwelve`).
enum TwelveSliceMoves: LogSliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesTwelve(siteSpins, siteFields, scale: scale, jPerp: jPerp)
  }
}

/// P a multiple of 8 beyond 8: the colour-split layout (`proposeSlicesVector`).
enum ColourSplitSliceMoves: LogSliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesVector(
      siteSpins, siteFields, scale: scale, jPerp: jPerp,
      vectorsPerColour: system.trotter / 8)
  }
}

/// P = 8 × `V.vectorsPerColour`: the colour-split layout, unrolled for
/// that count.
enum UnrolledColourSplitMoves<V: ColourVectors>: LogSliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesVector(
      siteSpins, siteFields, scale: scale, jPerp: jPerp, vectorsPerColour: V.vectorsPerColour)
  }
}

/// P = 16: two vectors a colour, unrolled.
typealias SixteenSliceMoves = UnrolledColourSplitMoves<TwoColourVectors>
/// P = 32: four vectors a colour, unrolled.
typealias ThirtyTwoSliceMoves = UnrolledColourSplitMoves<FourColourVectors>

/// P = 4 mod 8 beyond 12: masked passes over whole vectors
/// (`proposeSlicesQuads`).
enum QuadSliceMoves: LogSliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesQuads(siteSpins, siteFields, scale: scale, jPerp: jPerp)
  }
}

/// Any other P: one slice at a time (`proposeSlicesScalar`).
enum ScalarSliceMoves: LogSliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesScalar(siteSpins, siteFields, scale: scale, jPerp: jPerp)
  }
}
