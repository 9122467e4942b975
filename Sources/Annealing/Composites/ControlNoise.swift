#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import QUBOModel

// Analog control errors of an annealing QPU, as its documentation states
// them (D-Wave, "Integrated control errors"): each programmed bias is
// realised with a Gaussian error, h_i → h_i + δh_i, J_ij → J_ij + δJ_ij,
// δh ~ N(0, σ_h²), δJ ~ N(0, σ_J²), drawn afresh for every programming of
// the problem; and each qubit may be read out wrong with some probability.
//
// The σ of a QPU's documentation are in the units of its programmable
// ranges (h in [−2, 2], J in [−1, 1] on D-Wave systems), into which a
// problem is scaled before it runs. With `relative` (the default) the σ
// given here are in those units: the problem's own scale is
// s = max(max_i |h_i| / 2, max_ij |J_ij|) (the auto-scale factor), and the
// errors drawn are s·σ_h and s·σ_J. With `relative = false` the σ are in the
// model's units.
//
// Only couplings that exist are perturbed (a QPU has no coupler between
// uncoupled qubits), each once (J_ij and J_ji get the same error), and the
// offset never changes. Draws use the Box–Muller transform on 53-bit
// uniforms of the read's own stream, in a fixed order (fields in index
// order, then couplings i < j in CSR order), so a seed fixes every error.

/// Gaussian control errors on h and J and a read-out flip probability, the
/// noise `NoiseComposite` applies to each read.
public struct ControlNoise: Sendable, Equatable {
  /// Standard deviation of the error on each field h_i.
  public var sigmaH: Double
  /// Standard deviation of the error on each coupling J_ij.
  public var sigmaJ: Double
  /// Probability that each spin of a returned state is read out flipped.
  public var readout: Double
  /// Whether σ_h and σ_J are in the QPU's scaled units (h in [−2, 2],
  /// J in [−1, 1]) rather than the model's own.
  ///
  /// Default true.
  public var relative: Bool

  /// Noise with the given strengths (all zero: no noise).
  public init(sigmaH: Double = 0, sigmaJ: Double = 0, readout: Double = 0, relative: Bool = true) {
    self.sigmaH = sigmaH
    self.sigmaJ = sigmaJ
    self.readout = readout
    self.relative = relative
  }

  /// Throws a `SamplerError` unless the σ are finite and non-negative and
  /// the read-out probability lies in [0, 1].
  public func validate() throws {
    guard sigmaH.isFinite, sigmaH >= 0 else {
      throw SamplerError("noise sigma_h must be a finite non-negative number (got \(sigmaH))")
    }
    guard sigmaJ.isFinite, sigmaJ >= 0 else {
      throw SamplerError("noise sigma_j must be a finite non-negative number (got \(sigmaJ))")
    }
    guard readout >= 0, readout <= 1 else {
      throw SamplerError("noise readout must be a probability in [0, 1] (got \(readout))")
    }
  }

  /// The factor the σ are multiplied by on `problem`: the auto-scale
  /// factor `max(max|h|/2, max|J|)` when `relative`, otherwise 1.
  public func scale(for problem: IsingProblem) -> Double {
    guard relative else { return 1 }
    let h = problem.h.reduce(0) { max($0, abs($1)) }
    let j = problem.coupling.reduce(0) { max($0, abs($1)) }
    let s = max(h / 2, j)
    return s > 0 ? s : 1
  }

  /// `problem` with fields and couplings perturbed by draws from `rng`
  /// (errors of standard deviation `scale(for:)·σ_h` and `·σ_J`).
  ///
  /// - Complexity: O(n + m).
  public func perturb<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) -> IsingProblem {
    perturb(problem, mirror: Self.mirrors(problem), scale: scale(for: problem), using: &rng)
  }

  /// `perturb(_:using:)` with the mirror table of `problem` and the scale
  /// computed once for many reads.
  func perturb<G: RandomNumberGenerator>(
    _ problem: IsingProblem, mirror: [Int32], scale: Double, using rng: inout G
  ) -> IsingProblem {
    let n = problem.numSpins
    var h = problem.h
    var gauss = GaussianDraws()
    if sigmaH > 0 {
      for i in 0..<n { h[i] += scale * sigmaH * gauss.next(using: &rng) }
    }
    var coupling = problem.coupling
    if sigmaJ > 0 {
      let start = problem.rowStart
      let nb = problem.neighbor
      for i in 0..<n {
        for k in Int(start[i])..<Int(start[i + 1]) where Int(nb[k]) > i {
          let delta = scale * sigmaJ * gauss.next(using: &rng)
          coupling[k] += delta
          coupling[Int(mirror[k])] += delta
        }
      }
    }
    return IsingProblem(
      numSpins: n, h: h, rowStart: problem.rowStart, neighbor: problem.neighbor,
      coupling: coupling, offset: problem.offset)
  }

  /// For every CSR entry k of (i, j), the index of the entry of (j, i).
  ///
  /// Rows are sorted and every interaction is in both rows, so walking the
  /// rows in order, row j is asked for its entries of i < j in ascending i:
  /// one cursor per row finds them all in O(n + m).
  static func mirrors(_ p: IsingProblem) -> [Int32] {
    let n = p.numSpins
    var mirror = [Int32](repeating: 0, count: p.neighbor.count)
    var cursor = Array(p.rowStart.prefix(n))
    for i in 0..<n {
      for k in Int(p.rowStart[i])..<Int(p.rowStart[i + 1]) where Int(p.neighbor[k]) > i {
        let j = Int(p.neighbor[k])
        let m = Int(cursor[j])
        cursor[j] += 1
        mirror[k] = Int32(m)
        mirror[m] = Int32(k)
      }
    }
    return mirror
  }

  /// Flips each spin of `state` with probability `readout`.
  public func readOut<G: RandomNumberGenerator>(
    _ state: inout [Int8], using rng: inout G
  ) {
    guard readout > 0 else { return }
    for i in state.indices where uniformDraw(&rng) < readout { state[i] = -state[i] }
  }
}

/// A uniform draw in [0, 1) with 53 random bits.
@inline(__always)
func uniformDraw<G: RandomNumberGenerator>(_ rng: inout G) -> Double {
  Double(rng.next() >> 11) * 0x1p-53
}

/// Standard normal draws by the Box–Muller transform, two per pair of
/// uniforms (the second kept for the next call).
struct GaussianDraws {
  private var spare: Double?

  mutating func next<G: RandomNumberGenerator>(using rng: inout G) -> Double {
    if let s = spare {
      spare = nil
      return s
    }
    // 1 − u lies in (0, 1], so the logarithm is finite.
    let r = (-2 * log(1 - uniformDraw(&rng))).squareRoot()
    let theta = 2 * Double.pi * uniformDraw(&rng)
    spare = r * sin(theta)
    return r * cos(theta)
  }
}
