import QUBOModel

// Thermal measurements by path-integral Monte Carlo at a fixed transverse
// field: the "measurement mode" of SQA, for validating the kernel against
// exact diagonalisation and for users who want equilibrium properties of a
// transverse-field model rather than low-energy states.
//
// The transverse magnetisation ⟨σˣ_i⟩ comes from the imaginary-time bonds:
// with ε = βA/P, ⟨s|e^{εσˣ}|s'⟩ is cosh ε (s = s') or sinh ε (s ≠ s'), and
// ⟨s|σˣ e^{εσˣ}|s'⟩ is sinh ε or cosh ε, so each bond (k, k+1) of spin i
// contributes tanh ε if the slices agree and coth ε if they differ. It
// validates the imaginary-time structure (the order of the slices), which
// the diagonal observables do not see.
//
// Diagonal observables are estimated by averaging over all P slices after
// each sweep: ⟨H_p⟩ ≈ (1/P) Σ_k H_p(s^k), ⟨σᶻ_i⟩ ≈ (1/P) Σ_k s_i^k,
// ⟨σᶻ_i σᶻ_j⟩ ≈ (1/P) Σ_k s_i^k s_j^k. These converge to
// Tr[O e^{−βH}]/Z as P → ∞, with a systematic (Trotter) error of order
// (β/P)² ‖[H_x, H_p]‖. Successive sweeps are correlated, so standard errors
// come from binning: the sweeps are cut into `bins` equal blocks, and the
// error is the standard deviation of the block means over √bins (valid when
// a block is much longer than the autocorrelation time).

/// A Monte Carlo mean with its standard error.
public struct Estimate: Sendable, Equatable, CustomStringConvertible {
  /// The mean over all measurements.
  public var mean: Double
  /// The standard error of `mean`, from binning.
  public var standardError: Double

  public init(mean: Double, standardError: Double) {
    self.mean = mean
    self.standardError = standardError
  }

  public var description: String { "\(mean) ± \(standardError)" }
}

/// Equilibrium estimates of diagonal observables of
/// `H = A·(−Σ σˣ_i) + B·H_p` at inverse temperature β.
public struct ThermalEstimate: Sendable, Equatable {
  /// ⟨H_p⟩ (with the problem's offset).
  public var energy: Estimate
  /// ⟨σᶻ_i⟩ for every spin.
  public var magnetization: [Estimate]
  /// ⟨σᶻ_i σᶻ_j⟩, n × n row-major (the diagonal is exactly 1); empty when
  /// correlations were not requested.
  public var correlations: [Estimate]
  /// (1/nP) Σ_i Σ_k s_i^k s_i^{k+1}: how strongly neighbouring slices agree
  /// (1 for a classical state, near 0 for a strong transverse field).
  public var sliceCorrelation: Estimate
  /// (1/n) Σ_i ⟨σˣ_i⟩, from the bond estimator above (0 when A = 0).
  public var transverseMagnetization: Estimate
  /// The fraction of accepted single-slice proposals.
  public var sliceAcceptance: Double
  /// The fraction of accepted worldline proposals.
  public var worldlineAcceptance: Double
  /// Measured sweeps.
  public var sweeps: Int

  /// ⟨σᶻ_i σᶻ_j⟩.
  public func correlation(_ i: Int, _ j: Int) -> Estimate {
    correlations[i * magnetization.count + j]
  }
}

/// Path-integral Monte Carlo at a fixed transverse field, accumulating
/// per-sweep observables over all slices.
public struct PathIntegralEstimator: Sendable {
  /// The parameters of a measurement, with documented defaults.
  public struct Parameters: Sendable {
    /// Trotter slices P.
    ///
    /// Default 16.
    public var trotter = 16
    /// Inverse temperature β.
    ///
    /// Default 1.
    public var beta = 1.0
    /// A (Γ in the Γ form), the coefficient of `−Σ σˣ_i`, ≥ 0.
    ///
    /// Default 1.
    public var transverseField = 1.0
    /// B, the coefficient of `H_p`.
    ///
    /// Default 1.
    public var problemScale = 1.0
    /// Sweeps discarded before measuring.
    ///
    /// Default 1000.
    public var thermalizationSweeps = 1000
    /// Measured sweeps (a multiple of `bins` is used).
    ///
    /// Default 10 000.
    public var sweeps = 10_000
    /// Blocks for the binning error estimate (≥ 2).
    ///
    /// Default 20.
    public var bins = 20
    /// Whether to propose worldline moves.
    ///
    /// Default true.
    public var worldlineMoves = true
    /// Whether to accumulate the n × n correlations (O(n²P) a sweep).
    ///
    /// Default true.
    public var correlations = true
    /// A start state copied into every slice; `nil` for random slices.
    public var initialState: [Int8]?

    public init() {}
  }

  /// The parameters used by `estimate`.
  public var parameters: Parameters

  public init(_ parameters: Parameters = Parameters()) {
    self.parameters = parameters
  }

  /// Runs the chain on `problem` and returns the binned estimates.
  ///
  /// - Complexity: O((n·P + m·P·acceptance) per sweep, plus n²·P per sweep
  ///   with correlations).
  public func estimate<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> ThermalEstimate {
    let p = parameters
    let n = problem.numSpins
    let P = p.trotter
    guard P >= 1, P <= 1 << 16 else { throw SamplerError("trotter must be in 1...65536") }
    guard p.beta.isFinite, p.beta > 0 else { throw SamplerError("beta must be positive") }
    guard p.transverseField.isFinite, p.transverseField >= 0 else {
      throw SamplerError("the transverse field must be finite and ≥ 0")
    }
    guard p.problemScale.isFinite else { throw SamplerError("B must be finite") }
    guard p.bins >= 2, p.sweeps >= p.bins, p.thermalizationSweeps >= 0 else {
      throw SamplerError("need bins ≥ 2, sweeps ≥ bins and thermalizationSweeps ≥ 0")
    }
    guard n > 0 else { throw SamplerError("the problem has no spins") }
    guard n <= (1 << 31) / P else { throw SamplerError("n · trotter is too large") }
    if let s = p.initialState {
      guard s.count == n, s.allSatisfy({ $0 == 1 || $0 == -1 }) else {
        throw SamplerError("the initial state must be \(n) spins (±1)")
      }
    }
    var g = Xoshiro256PlusPlus(seed: rng.next())
    let system = PathIntegralSystem(problem, trotter: P, narrowFields: true)
    if let s = p.initialState { system.setAllSlices(to: s) } else { system.randomize(using: &g) }
    let scale = SliceFloat(p.beta * p.problemScale / Double(P))
    let jPerp = SliceFloat(
      trotterCoupling(beta: p.beta, transverseField: p.transverseField, trotter: P))
    var sinceRefresh = 0
    func step() {
      system.sweep(scale: scale, jPerp: jPerp, worldline: p.worldlineMoves, rng: &g)
      sinceRefresh += 1
      if sinceRefresh == PathIntegralSystem.refreshInterval {
        system.refresh()
        sinceRefresh = 0
      }
    }
    for _ in 0..<p.thermalizationSweeps { step() }
    system.acceptedFlips = 0
    system.acceptedWorldlines = 0

    let perBin = p.sweeps / p.bins
    let pairs = p.correlations ? n * n : 0
    var energyBins = [Double](), sliceBins = [Double](), sigmaXBins = [Double]()
    // Bond weights of the σˣ estimator; with A = 0 there are no kinks.
    let epsilon = p.beta * p.transverseField / Double(P)
    let agreeWeight = epsilon > 0 ? tanh(epsilon) : 0
    let differWeight = epsilon > 0 ? 1 / tanh(epsilon) : 0
    var magBins = [[Double]](), corrBins = [[Double]]()
    var mag = [Double](repeating: 0, count: n)
    var corr = [Double](repeating: 0, count: pairs)
    let invP = 1 / Double(P)
    let positions = (0..<P).map { system.position(ofSlice: $0) }
    for _ in 0..<p.bins {
      var energy = 0.0
      var slice = 0.0
      var sigmaX = 0.0
      for i in 0..<n { mag[i] = 0 }
      for c in 0..<pairs { corr[c] = 0 }
      for _ in 0..<perBin {
        step()
        var e = 0.0
        for k in 0..<P { e += system.sliceEnergy[k] }
        energy += e * invP
        let s = system.spins
        var agree = 0.0
        for i in 0..<n {
          var m = 0.0
          for k in 0..<P {
            let v = Double(s[i * P + positions[k]])
            m += v
            agree += v * Double(s[i * P + positions[k + 1 == P ? 0 : k + 1]])
          }
          mag[i] += m * invP
        }
        let c = agree * invP / Double(n)
        slice += c
        sigmaX += agreeWeight * (1 + c) / 2 + (c < 1 ? differWeight * (1 - c) / 2 : 0)
        if p.correlations {
          for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
              var c = 0.0
              for k in 0..<P { c += Double(s[i * P + k] * s[j * P + k]) }
              corr[i * n + j] += c * invP
            }
          }
        }
      }
      let w = 1 / Double(perBin)
      energyBins.append(energy * w)
      sliceBins.append(slice * w)
      sigmaXBins.append(sigmaX * w)
      magBins.append(mag.map { $0 * w })
      corrBins.append(corr.map { $0 * w })
    }
    var correlations = [Estimate]()
    if p.correlations {
      correlations = Array(repeating: Estimate(mean: 1, standardError: 0), count: n * n)
      for i in 0..<n {
        for j in (i + 1)..<max(i + 1, n) {
          let e = Self.binned(corrBins.map { $0[i * n + j] })
          correlations[i * n + j] = e
          correlations[j * n + i] = e
        }
      }
    }
    let measured = perBin * p.bins
    return ThermalEstimate(
      energy: Self.binned(energyBins),
      magnetization: (0..<n).map { i in Self.binned(magBins.map { $0[i] }) },
      correlations: correlations,
      sliceCorrelation: Self.binned(sliceBins),
      transverseMagnetization: Self.binned(sigmaXBins),
      sliceAcceptance: Double(system.acceptedFlips) / Double(measured * n * P),
      worldlineAcceptance: p.worldlineMoves
        ? Double(system.acceptedWorldlines) / Double(measured * n) : 0,
      sweeps: measured)
  }

  /// The mean of bin means and its standard error.
  static func binned(_ bins: [Double]) -> Estimate {
    let b = Double(bins.count)
    let mean = bins.reduce(0, +) / b
    let variance = bins.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (b - 1)
    return Estimate(mean: mean, standardError: (variance / b).squareRoot())
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
