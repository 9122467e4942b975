// The forms of the single-slice proposals of one spin
// (PathIntegralSystem+SliceMoves.swift) as types, so that the sweep is
// compiled once per form (`PathIntegralSystem.sweepSites`) instead of
// choosing among all of them at every spin.

/// One form of the P single-slice proposals of a spin.
protocol SliceMoves {
  /// Proposes every slice of the spin whose slices and fields start at
  /// `siteSpins` and `siteFields`; writes d_k to `system.sliceChange` and
  /// returns how many slices changed and Σ_k s_new^k f^k.
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat)
}

/// P = 4: the four slices in one register (`proposeSlicesFour`).
enum FourSliceMoves: SliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesFour(siteSpins, siteFields, scale: scale, jPerp: jPerp)
  }
}

/// P = 8: the two colours in two registers (`proposeSlicesEight`).
enum EightSliceMoves: SliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesEight(siteSpins, siteFields, scale: scale, jPerp: jPerp)
  }
}

/// P = 12: three registers (`proposeSlicesTwelve`).
enum TwelveSliceMoves: SliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesTwelve(siteSpins, siteFields, scale: scale, jPerp: jPerp)
  }
}

/// P a multiple of 8 beyond 8: the colour-split layout (`proposeSlicesVector`).
enum ColourSplitSliceMoves: SliceMoves {
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

/// P = 16: the colour-split layout, two vectors a colour, unrolled.
enum SixteenSliceMoves: SliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesVector(
      siteSpins, siteFields, scale: scale, jPerp: jPerp, vectorsPerColour: 2)
  }
}

/// P = 32: the colour-split layout, four vectors a colour, unrolled.
enum ThirtyTwoSliceMoves: SliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesVector(
      siteSpins, siteFields, scale: scale, jPerp: jPerp, vectorsPerColour: 4)
  }
}

/// P = 4 mod 8 beyond 12: masked passes over whole vectors
/// (`proposeSlicesQuads`).
enum QuadSliceMoves: SliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesQuads(siteSpins, siteFields, scale: scale, jPerp: jPerp)
  }
}

/// Any other P: one slice at a time (`proposeSlicesScalar`).
enum ScalarSliceMoves: SliceMoves {
  @inline(__always)
  static func propose(
    _ system: PathIntegralSystem, _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>, scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    system.proposeSlicesScalar(siteSpins, siteFields, scale: scale, jPerp: jPerp)
  }
}
