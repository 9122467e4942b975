import Annealing
import QUBOModel

/// A least-squares fit on the fixed-point grid: the annealed bits, their
/// decoded weights, and the refinement.
public struct FixedPointFit: Sendable {
  /// The weights decoded from the best bits found.
  public var decoded: [Double]
  /// `‖X·decoded − y‖²` (equal to the QUBO energy of the bits).
  public var decodedLoss: Double
  /// The refined weights `α·decoded` (one common scale `α` fitted in closed
  /// form: `α = ⟨Xw, y⟩ / ‖Xw‖²`), so the grid's shape is kept and its step
  /// is refitted.
  public var refined: [Double]
  /// `‖X·refined − y‖²`.
  public var refinedLoss: Double
}

extension FixedPointLeastSquares {
  /// Fits `y ≈ Xw` with `w` on a `bits`-bit grid covering `±maxAbs`: builds
  /// the QUBO, samples it with `sampler`, decodes the best state and refits
  /// the common scale.
  public static func fit(
    x: [Double], y: [Double], columns d: Int, bits: Int, maxAbs: Double,
    sampler: any Sampler, seed: UInt64
  ) throws -> FixedPointFit {
    let ls = try FixedPointLeastSquares(
      x: x, y: y, columns: d, bits: bits, step: step(bits: bits, covering: maxAbs))
    let set = try sampler.sample(ls.model, seed: seed)
    guard let row = set.lowestRow else { throw SamplerError("the sampler returned no sample") }
    let w = ls.decode(Array(set.sample(row)))
    let n = y.count
    let pred = (0..<n).map { r in (0..<d).reduce(0.0) { $0 + x[r * d + $1] * w[$1] } }
    let pp = pred.reduce(0) { $0 + $1 * $1 }
    let py = zip(pred, y).reduce(0) { $0 + $1.0 * $1.1 }
    let alpha = pp > 0 ? py / pp : 1
    func loss(_ scale: Double) -> Double {
      zip(pred, y).reduce(0) { $0 + (scale * $1.0 - $1.1) * (scale * $1.0 - $1.1) }
    }
    return FixedPointFit(
      decoded: w, decodedLoss: loss(1), refined: w.map { alpha * $0 },
      refinedLoss: loss(alpha))
  }
}
