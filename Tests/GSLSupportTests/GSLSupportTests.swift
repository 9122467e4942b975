import Dispatch
import Foundation
import GSLSupport
import Testing

@Suite("GSL minimizer")
struct MinimizerTests {
  static func rosenbrock(_ x: [Double]) -> Double {
    let a = 1 - x[0]
    let b = x[1] - x[0] * x[0]
    return a * a + 100 * b * b
  }

  static func rosenbrockGradient(_ x: [Double], _ g: inout [Double]) {
    let b = x[1] - x[0] * x[0]
    g[0] = -2 * (1 - x[0]) - 400 * x[0] * b
    g[1] = 200 * b
  }

  @Test(
    "Rosenbrock's minimum from far starts", arguments: [[-1.2, 1.0], [-3.0, -4.0], [5.0, 5.0]])
  func rosenbrock(start: [Double]) throws {
    let r = try GSL.minimize(
      start: start, tolerance: 1e-6, maxIterations: 2000,
      function: Self.rosenbrock, gradient: Self.rosenbrockGradient)
    #expect(abs(r.point[0] - 1) < 1e-5)
    #expect(abs(r.point[1] - 1) < 1e-5)
    #expect(r.value < 1e-10)
    #expect(r.iterations > 5)
    #expect(r.converged, "\(r.stopReason)")
  }

  @Test("A quadratic bowl in 5 dimensions")
  func quadraticBowl() throws {
    let centre = [1.0, -2.0, 3.0, 0.5, -0.25]
    let r = try GSL.minimize(
      start: [Double](repeating: 10, count: 5),
      function: { x in
        zip(x, centre).enumerated().reduce(0) { s, e in
          s + Double(e.offset + 1) * (e.element.0 - e.element.1) * (e.element.0 - e.element.1)
        }
      },
      gradient: { x, g in
        for i in x.indices { g[i] = 2 * Double(i + 1) * (x[i] - centre[i]) }
      })
    for i in centre.indices { #expect(abs(r.point[i] - centre[i]) < 1e-6) }
  }

  @Test("A NaN start throws instead of aborting")
  func nanStart() {
    #expect(throws: GSLError.self) {
      _ = try GSL.minimize(
        start: [.nan, 1], function: Self.rosenbrock, gradient: Self.rosenbrockGradient)
    }
    #expect(throws: GSLError.self) {
      _ = try GSL.minimize(
        start: [], function: { _ in 0 }, gradient: { _, _ in })
    }
  }

  @Test("A function that is NaN at the start throws")
  func nanFunction() {
    #expect(throws: GSLError.self) {
      _ = try GSL.minimize(
        start: [1, 2], function: { _ in .nan }, gradient: { _, g in g[0] = 1 })
    }
  }
}

@Suite("GSL symmetric eigensolver")
struct EigenTests {
  @Test("Known eigenpairs of a 3×3 matrix")
  func knownMatrix() throws {
    // [[2,-1,0],[-1,2,-1],[0,-1,2]] has eigenvalues 2-√2, 2, 2+√2.
    let a = try #require(Matrix([[2, -1, 0], [-1, 2, -1], [0, -1, 2]]))
    let e = try GSL.symmetricEigensystem(a)
    let expected = [2 - 2.0.squareRoot(), 2, 2 + 2.0.squareRoot()]
    for k in 0..<3 { #expect(abs(e.values[k] - expected[k]) < 1e-12) }
    for k in 0..<3 {
      let v = e.vector(k)
      let av = a.multiplied(by: v)
      for i in 0..<3 { #expect(abs(av[i] - e.values[k] * v[i]) < 1e-12) }
      let norm = v.reduce(0) { $0 + $1 * $1 }
      #expect(abs(norm - 1) < 1e-12)
    }
    // The lowest eigenvector is (1, √2, 1)/2 up to sign.
    let v0 = e.vector(0)
    let sign = v0[0] < 0 ? -1.0 : 1.0
    #expect(abs(sign * v0[1] - 2.0.squareRoot() / 2) < 1e-12)
  }

  @Test("Random symmetric matrices: A v = λ v, ascending, orthonormal")
  func randomMatrices() throws {
    var state: UInt64 = 12345
    func next() -> Double {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Double(state >> 11) * 0x1.0p-53 * 2 - 1
    }
    for n in [1, 2, 5, 16] {
      var a = Matrix(rows: n, columns: n)
      for i in 0..<n {
        for j in 0...i {
          let x = next()
          a[i, j] = x
          a[j, i] = x
        }
      }
      let e = try GSL.symmetricEigensystem(a)
      #expect(e.values == e.values.sorted())
      for k in 0..<n {
        let v = e.vector(k)
        let av = a.multiplied(by: v)
        for i in 0..<n { #expect(abs(av[i] - e.values[k] * v[i]) < 1e-10) }
        for l in 0..<n {
          let dot = zip(v, e.vector(l)).reduce(0) { $0 + $1.0 * $1.1 }
          #expect(abs(dot - (k == l ? 1 : 0)) < 1e-10)
        }
      }
    }
  }

  @Test("A non-square matrix is GSL_ENOTSQR, thrown, not an abort")
  func nonSquare() throws {
    let a = try #require(Matrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6]))
    do {
      _ = try GSL.symmetricEigensystem(a)
      Issue.record("expected a GSLError")
    } catch let error as GSLError {
      #expect(error.code == 20)  // GSL_ENOTSQR
      #expect(error.reason.contains("square"))
    }
  }

  @Test("An empty matrix throws")
  func empty() {
    #expect(throws: GSLError.self) {
      _ = try GSL.symmetricEigensystem(Matrix(rows: 0, columns: 0))
    }
  }
}

@Suite("GSL from many threads")
struct ConcurrencyTests {
  @Test("Concurrent first use and concurrent solves give the same answers")
  func concurrent() throws {
    let a = try #require(Matrix([[4, 1, 0], [1, 3, 1], [0, 1, 2]]))
    // Worked out by hand, so that the first call to GSL in this test is one
    // of the concurrent ones: det(A − λI) = (3 − λ)(λ² − 6λ + 6), roots
    // 3 − √3, 3, 3 + √3.
    let reference = [3 - 3.0.squareRoot(), 3, 3 + 3.0.squareRoot()]
    let results = Results(count: 16)
    DispatchQueue.concurrentPerform(iterations: 16) { t in
      let values = try? GSL.symmetricEigensystem(a).values.sorted()
      let exact = values.map { v in
        v.count == 3 && zip(v, reference).allSatisfy { abs($0 - $1) < 1e-12 }
      }
      let minimum = try? GSL.minimize(
        start: [Double(t), -Double(t)],
        function: { x in (x[0] - 1) * (x[0] - 1) + (x[1] + 2) * (x[1] + 2) },
        gradient: { x, g in
          g[0] = 2 * (x[0] - 1)
          g[1] = 2 * (x[1] + 2)
        })
      results.set(t, exact == true && minimum.map { abs($0.point[0] - 1) < 1e-6 } == true)
    }
    #expect(results.all)
  }
}

/// Per-thread result slots.
final class Results: @unchecked Sendable {
  private var slots: [Bool]
  private let lock = NSLock()
  init(count: Int) { slots = Array(repeating: false, count: count) }
  func set(_ i: Int, _ value: Bool) {
    lock.lock()
    slots[i] = value
    lock.unlock()
  }
  var all: Bool { slots.allSatisfy { $0 } }
}
