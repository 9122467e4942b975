import Annealing
import Dispatch
import QUBOModel

/// Trains a support-vector machine by annealing its QUBO (`QSVMQUBO`).
///
/// The lowest-energy samples are combined as in Willsch and co-authors (2020).
///
/// The classifier of one sample is `f_s(x) = Σ_n α_n^s y_n k(x_n, x) + b_s`
/// (`KernelSVM.bias`); the ensemble's decision is the mean of `f_s` over the
/// `ensemble` lowest-energy distinct samples, which (f is linear in α and b)
/// is one `KernelSVM` with the mean coefficients and the mean bias.
public struct QSVM: Sendable {
  /// Bits per coefficient K.
  public var bits = 3
  /// The base B of the encoding (C = Σ_k B^k).
  public var base = 2.0
  /// The penalty weight ξ on `(Σ α_n y_n)²`.
  public var penalty = 1.0
  /// The number of lowest-energy distinct samples averaged.
  public var ensemble = 20
  /// The sampler (its reads are the pool the ensemble is drawn from).
  public var sampler: SamplerConfiguration

  /// A trainer annealing with `sampler`.
  public init(sampler: SamplerConfiguration) {
    self.sampler = sampler
  }

  /// A trained QSVM and what its training cost.
  public struct Result: Sendable {
    /// The ensemble classifier.
    public var svm: KernelSVM
    /// The classifier of the lowest-energy sample alone.
    public var best: KernelSVM
    /// The number of binary variables N·K.
    public var variables: Int
    /// The number of non-zero couplings.
    public var couplings: Int
    /// The lowest QUBO energy found.
    public var lowestEnergy: Double
    /// The number of distinct samples averaged.
    public var ensembleSize: Int
    /// The sampler's wall-clock time in seconds (the kernel only).
    public var sampleSeconds: Double
    /// The QUBO that was annealed (its box C and dual objective).
    public var problem: QSVMQUBO
  }

  /// Trains on `data` (two classes; class 1 → +1, class 0 → −1) with
  /// `kernel`, the sampler seeded by `seed`.
  public func train(_ data: Dataset, kernel: RBFKernel, seed: UInt64) throws -> Result {
    try train(data, kernel: kernel, matrix: try kernel.matrix(data, data), seed: seed)
  }

  /// Trains on `data` with `kernel`, whose matrix over `data` is `k`
  /// (`kernel.matrix(data, data)`, computed once by a caller that needs it too).
  ///
  /// - Throws: `ShapeError` unless `k` is `data.count × data.count`.
  public func train(_ data: Dataset, kernel: RBFKernel, matrix k: [Double], seed: UInt64) throws
    -> Result
  {
    let y = SVMLabels.signs(data)
    let problem = try QSVMQUBO(kernel: k, y: y, bits: bits, base: base, penalty: penalty)
    let model = problem.model
    let t0 = DispatchTime.now().uptimeNanoseconds
    let set = try sampler.sampler.sample(model, seed: seed).aggregated().sortedByEnergy()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    let top = set.truncated(max(1, ensemble))
    guard top.count > 0, let lowest = top.lowestEnergy else {
      throw SamplerError("the sampler returned no sample")
    }
    let C = problem.boxC
    var meanAlpha = [Double](repeating: 0, count: data.count)
    var meanBias = 0.0
    var first: KernelSVM?
    for r in 0..<top.count {
      let a = try problem.alpha(Array(top.sample(r)))
      let b = KernelSVM.bias(alpha: a, y: y, kernel: k, C: C)
      if first == nil { first = try KernelSVM(support: data, alpha: a, y: y, bias: b, kernel: kernel) }
      for n in 0..<a.count { meanAlpha[n] += a[n] / Double(top.count) }
      meanBias += b / Double(top.count)
    }
    let svm = try KernelSVM(support: data, alpha: meanAlpha, y: y, bias: meanBias, kernel: kernel)
    return Result(
      svm: svm, best: first ?? svm, variables: model.numVariables,
      couplings: model.numInteractions, lowestEnergy: lowest, ensembleSize: top.count,
      sampleSeconds: seconds, problem: problem)
  }
}
