import Annealing
import Foundation
import QUBOModel
import Testing

@testable import Learning

@Suite("QSVM: the QUBO is the penalised dual; SMO solves the dual")
struct QSVMTests {
  /// A random RBF kernel matrix over `n` points in the plane, with labels.
  static func instance(n: Int, seed: UInt64) throws -> (k: [Double], y: [Double]) {
    var rng = Xoshiro256PlusPlus(seed: seed)
    let x = (0..<(2 * n)).map { _ in Double.random(in: -1...1, using: &rng) }
    let y: [Double] = (0..<n).map { $0 % 2 == 0 ? 1 : -1 }
    let data = try Dataset(
      name: "t", features: x, labels: y.map { $0 > 0 ? 1 : 0 }, featureCount: 2,
      classNames: ["a", "b"])
    return (try RBFKernel(gamma: 0.7).matrix(data, data), y)
  }

  @Test(arguments: [(2, 2.0, 1.0), (3, 3.0, 2.5), (1, 10.0, 0.0)])
  func quboEnergyEqualsPenalisedDualForEveryAssignment(bits: Int, base: Double, xi: Double) throws {
    let n = bits == 1 ? 6 : 3
    let (k, y) = try Self.instance(n: n, seed: 11)
    let q = try QSVMQUBO(kernel: k, y: y, bits: bits, base: base, penalty: xi)
    let model = q.model
    #expect(model.numVariables == n * bits)
    let nv = n * bits
    for code in 0..<(1 << nv) {
      let a: [Int8] = (0..<nv).map { Int8((code >> $0) & 1) }
      let alpha = try q.alpha(a)
      let e = model.energy(a)
      let direct = q.objective(alpha: alpha)
      #expect(abs(e - direct) <= 1e-9 * max(1, abs(direct)), "assignment \(code)")
    }
  }

  @Test func boxIsTheLargestEncodableCoefficient() throws {
    let q = try QSVMQUBO(kernel: [1], y: [1], bits: 3, base: 2, penalty: 0)
    #expect(q.boxC == 7)
    #expect(try q.alpha([1, 1, 1]) == [7])
    #expect(try q.alpha([0, 1, 0]) == [2])
  }

  /// Points (0,0) class −1, (2,0) and (2,2) class +1, linear kernel: the
  /// maximum-margin line is x₁ = 1 (w = (1, 0), b = −1), with α = (½, ½, 0).
  @Test func smoFindsTheKnownHardMarginSolution() throws {
    let x: [[Double]] = [[0, 0], [2, 0], [2, 2]]
    let y: [Double] = [-1, 1, 1]
    let k = x.flatMap { a in x.map { b in a[0] * b[0] + a[1] * b[1] } }
    let s = try SMO(C: 100).solve(kernel: k, y: y)
    #expect(s.converged)
    for (a, want) in zip(s.alpha, [0.5, 0.5, 0]) { #expect(abs(a - want) < 1e-6) }
    #expect(abs(s.bias - -1) < 1e-6)
  }

  @Test(arguments: [(UInt64(1), 1.0), (2, 3.0), (3, 0.3), (4, 10.0)])
  func smoMatchesTheExactQPOptimum(seed: UInt64, C: Double) throws {
    let n = 6
    let (k, y) = try Self.instance(n: n, seed: seed)
    let s = try SMO(C: C).solve(kernel: k, y: y)
    #expect(s.converged)
    let exact = try #require(try Self.exactDual(k: k, y: y, C: C))
    let q = try QSVMQUBO(kernel: k, y: y, bits: 1, base: 1, penalty: 0)
    let balance = zip(s.alpha, y).reduce(0.0) { $0 + $1.0 * $1.1 }
    #expect(abs(balance) < 1e-9)
    #expect(s.alpha.allSatisfy { $0 >= 0 && $0 <= C })
    #expect(abs(q.objective(alpha: s.alpha) - exact.value) < 1e-6)
    for (a, b) in zip(s.alpha, exact.alpha) { #expect(abs(a - b) < 1e-4) }
  }

  /// The exact dual optimum by enumerating the active sets: every point is
  /// at 0, at C, or free; the free ones solve the KKT equations
  /// `Q_FF α_F + y_F ν = 1 − Q_FU C`, `y_Fᵀ α_F = −C Σ_U y`; the feasible
  /// candidate of lowest objective is the optimum (the dual is convex).
  static func exactDual(k: [Double], y: [Double], C: Double) throws
    -> (alpha: [Double], value: Double)?
  {
    let n = y.count
    let q = try QSVMQUBO(kernel: k, y: y, bits: 1, base: 1, penalty: 0)
    var best: (alpha: [Double], value: Double)?
    var states = [Int](repeating: 0, count: n)
    for code in 0..<Int(pow(3.0, Double(n))) {
      var c = code
      for i in 0..<n {
        states[i] = c % 3
        c /= 3
      }
      let free = (0..<n).filter { states[$0] == 2 }
      var alpha = states.map { $0 == 1 ? C : 0.0 }
      if !free.isEmpty {
        let m = free.count + 1
        var a = [Double](repeating: 0, count: m * m)
        var rhs = [Double](repeating: 0, count: m)
        for (r, i) in free.enumerated() {
          for (s, j) in free.enumerated() { a[r * m + s] = y[i] * y[j] * k[i * n + j] }
          a[r * m + m - 1] = y[i]
          a[(m - 1) * m + r] = y[i]
          rhs[r] = 1 - (0..<n).reduce(0.0) { $0 + y[i] * y[$1] * k[i * n + $1] * alpha[$1] }
        }
        rhs[m - 1] = -(0..<n).reduce(0.0) { $0 + y[$1] * alpha[$1] }
        guard let sol = solve(a, rhs, m) else { continue }
        for (r, i) in free.enumerated() { alpha[i] = sol[r] }
        guard free.allSatisfy({ alpha[$0] >= -1e-12 && alpha[$0] <= C + 1e-12 }) else { continue }
      }
      let balance = zip(alpha, y).reduce(0.0) { $0 + $1.0 * $1.1 }
      guard abs(balance) < 1e-9 else { continue }
      let v = q.objective(alpha: alpha)
      if best == nil || v < (best?.value ?? .infinity) { best = (alpha, v) }
    }
    return best
  }

  /// Gaussian elimination with partial pivoting; nil when singular.
  static func solve(_ a0: [Double], _ b0: [Double], _ m: Int) -> [Double]? {
    var a = a0
    var b = b0
    for col in 0..<m {
      guard let p = (col..<m).max(by: { abs(a[$0 * m + col]) < abs(a[$1 * m + col]) }),
        abs(a[p * m + col]) > 1e-12
      else { return nil }
      for j in 0..<m { a.swapAt(col * m + j, p * m + j) }
      b.swapAt(col, p)
      for r in 0..<m where r != col {
        let f = a[r * m + col] / a[col * m + col]
        for j in 0..<m { a[r * m + j] -= f * a[col * m + j] }
        b[r] -= f * b[col]
      }
    }
    return (0..<m).map { b[$0] / a[$0 * m + $0] }
  }

  /// Arrays whose sizes do not fit throw a ShapeError naming the problem
  /// instead of stopping the process.
  @Test func wrongShapesThrow() throws {
    #expect(throws: ShapeError.self) {
      try QSVMQUBO(kernel: [1, 0, 0], y: [1, -1], bits: 2, base: 2, penalty: 1)
    }
    #expect(throws: ShapeError.self) { try SMO(C: 0) }
    #expect(throws: ShapeError.self) { try SMO(C: 1).solve(kernel: [1], y: [1, -1]) }
    #expect(throws: ShapeError.self) { try SVMLabels.accuracy(decision: [], labels: []) }
    #expect(throws: ShapeError.self) { try SVMDatasets.circles(count: 1) }
  }

  @Test func aucCountsTiesAsHalf() throws {
    #expect(try SVMLabels.auc(decision: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1]) == 0.75)
    #expect(try SVMLabels.auc(decision: [1, 1, 1, 1], labels: [0, 1, 0, 1]) == 0.5)
    #expect(try SVMLabels.auc(decision: [-2, -1, 1, 2], labels: [0, 0, 1, 1]) == 1)
    #expect(try SVMLabels.accuracy(decision: [-1, 0, 1, 2], labels: [0, 1, 1, 0]) == 0.5)
  }

  /// On an enumerable QUBO the ensemble of one exact-solver sample is the
  /// QUBO's minimum, and the QSVM separates well-separated clusters.
  @Test func qsvmWithTheExactSolverUsesTheMinimum() throws {
    let x: [Double] = [-2, -2, -2.2, -1.8, -1.7, -2.3, 2, 2, 2.1, 1.9, 1.8, 2.2]
    let data = try Dataset(
      name: "t", features: x, labels: [0, 0, 0, 1, 1, 1], featureCount: 2,
      classNames: ["a", "b"])
    var trainer = QSVM(sampler: SamplerConfiguration(.exact))
    trainer.bits = 2
    trainer.ensemble = 1
    let kernel = RBFKernel(gamma: 0.5)
    let r = try trainer.train(data, kernel: kernel, seed: 1)
    let q = try QSVMQUBO(
      kernel: try kernel.matrix(data, data), y: SVMLabels.signs(data), bits: 2, base: 2, penalty: 1)
    let m = q.model
    var minimum = Double.infinity
    for code in 0..<(1 << 12) {
      minimum = min(minimum, m.energy((0..<12).map { Int8((code >> $0) & 1) }))
    }
    #expect(r.variables == 12)
    #expect(abs(r.lowestEnergy - minimum) < 1e-9)
    #expect(abs(q.objective(alpha: r.svm.alpha) - minimum) < 1e-9)
    #expect(try SVMLabels.accuracy(decision: r.svm.decision(data), labels: data.labels) == 1)
  }

  @Test func sameSeedSameClassifierAtAnyThreadCount() throws {
    let data = try SVMDatasets.circles(count: 40, seed: 3)
    var p = SimulatedAnnealing.Parameters()
    p.sweeps = 200
    p.readOptions.reads = 8
    p.readOptions.threads = 1
    var c = SamplerConfiguration(.sa)
    c.parameters = .sa(p)
    let one = try QSVM(sampler: c).train(data, kernel: RBFKernel(gamma: 1), seed: 5)
    p.readOptions.threads = 2
    c.parameters = .sa(p)
    let two = try QSVM(sampler: c).train(data, kernel: RBFKernel(gamma: 1), seed: 5)
    #expect(one.svm.alpha == two.svm.alpha)
    #expect(one.svm.bias == two.svm.bias)
    #expect(one.lowestEnergy == two.lowestEnergy)
  }

  @Test func circlesAreSeededAndBalanced() throws {
    let a = try SVMDatasets.circles(count: 100, seed: 7)
    #expect(try a == SVMDatasets.circles(count: 100, seed: 7))
    #expect(try a != SVMDatasets.circles(count: 100, seed: 8))
    #expect(a.labels.filter { $0 == 1 }.count == 50)
  }
}
