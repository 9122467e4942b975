import Annealing
import Dispatch

/// The QSVM against the classical SVM on paired splits: the same training
/// points, the same kernel and the same box C, scored on the same held-out
/// rows.
///
/// Per split (seed s): a stratified 75/25 split of the data; `trainCount`
/// training points drawn from the 75 % (stratified, seeded); features
/// standardised on those points; then the QSVM (`qsvm`), SMO on the same
/// points with C = Σ_k B^k, and, as a reference, SMO on the whole 75 %.
public struct SVMExperiment: Sendable {
  /// The QSVM trainer (encoding, penalty, ensemble, sampler).
  public var qsvm: QSVM
  /// Training points per split (the QUBO has `trainCount · bits` variables).
  public var trainCount = 60
  /// The RBF width; nil means 1 / featureCount (features are standardised).
  public var gamma: Double?

  /// An experiment with the QSVM trainer `qsvm`.
  public init(qsvm: QSVM) {
    self.qsvm = qsvm
  }

  /// The method names of `SplitResult.accuracy` and `auc`, in report order.
  public static let methods = ["qsvm", "qsvm-best", "svm", "svm-full"]

  /// One split's scores and costs.
  public struct SplitResult: Sendable {
    /// The split's seed.
    public var seed: UInt64
    /// Test accuracy per method (`methods`).
    public var accuracy: [String: Double]
    /// Test AUC per method.
    public var auc: [String: Double]
    /// Training points used by the QSVM and `svm`.
    public var trainCount: Int
    /// Held-out rows.
    public var testCount: Int
    /// QUBO variables and couplings.
    public var variables: Int
    /// Non-zero couplings of the QUBO.
    public var couplings: Int
    /// The sampler's time in seconds.
    public var sampleSeconds: Double
    /// SMO's time in seconds (same points).
    public var smoSeconds: Double
    /// The lowest QUBO energy found.
    public var qsvmEnergy: Double
    /// The penalised dual objective of SMO's (continuous) coefficients,
    /// a lower bound on the QUBO's optimum when SMO is exact.
    public var smoObjective: Double
    /// Support vectors (α > 0) of the QSVM ensemble and of SMO.
    public var supportVectors: (qsvm: Int, svm: Int)
  }

  /// Runs one split of `data` (two classes) with seed `seed`.
  public func run(_ data: Dataset, seed: UInt64) throws -> SplitResult {
    guard data.classCount == 2 else { throw ShapeError("the SVM experiment needs two classes") }
    let (trainAll, test0) = try data.stratifiedSplit(testFraction: 0.25, seed: seed)
    var pool = trainAll
    if trainCount < trainAll.count {
      let fraction = Double(trainCount) / Double(trainAll.count)
      pool = try trainAll.stratifiedSplit(testFraction: fraction, seed: seed &+ 0x5EED).test
    }
    let scaler = Standardizer(fitting: pool)
    let train = try scaler.apply(pool)
    let test = try scaler.apply(test0)
    let kernel = RBFKernel(gamma: gamma ?? 1 / Double(max(1, data.featureCount)))

    // One kernel matrix and one QUBO serve the QSVM and SMO alike.
    let k = try kernel.matrix(train, train)
    let trained = try qsvm.train(train, kernel: kernel, matrix: k, seed: seed)
    let y = SVMLabels.signs(train)
    let problem = trained.problem
    let t0 = DispatchTime.now().uptimeNanoseconds
    let smo = try SMO(C: problem.boxC).solve(kernel: k, y: y)
    let smoSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    let svm = try KernelSVM(support: train, alpha: smo.alpha, y: y, bias: smo.bias, kernel: kernel)

    let fullScaler = Standardizer(fitting: trainAll)
    let full = try fullScaler.apply(trainAll)
    let fullK = try kernel.matrix(full, full)
    let fullY = SVMLabels.signs(full)
    let fullSMO = try SMO(C: problem.boxC).solve(kernel: fullK, y: fullY)
    let fullSVM = try KernelSVM(
      support: full, alpha: fullSMO.alpha, y: fullY, bias: fullSMO.bias, kernel: kernel)

    let decisions: [String: [Double]] = [
      "qsvm": trained.svm.decision(test), "qsvm-best": trained.best.decision(test),
      "svm": svm.decision(test), "svm-full": fullSVM.decision(try fullScaler.apply(test0)),
    ]
    return SplitResult(
      seed: seed,
      accuracy: try decisions.mapValues { try SVMLabels.accuracy(decision: $0, labels: test.labels) },
      auc: try decisions.mapValues { try SVMLabels.auc(decision: $0, labels: test.labels) },
      trainCount: train.count, testCount: test.count, variables: trained.variables,
      couplings: trained.couplings, sampleSeconds: trained.sampleSeconds,
      smoSeconds: smoSeconds, qsvmEnergy: trained.lowestEnergy,
      smoObjective: problem.objective(alpha: smo.alpha),
      supportVectors: (trained.svm.supportVectorCount, svm.supportVectorCount))
  }
}
