// `Examples --timing`: wall-clock times of building, compiling and
// instantiating large models, for the numbers quoted in reports. Not a
// test: times depend on the machine; the term counts are checked by
// ExprTests.hundredThousandTerms.

import Dispatch
import QUBOEncoding
import QUBOModel

enum CompileTiming {
  /// Seconds taken by `body`.
  static func seconds(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
  }

  static func run() throws {
    // 100,000 quadratic terms over 448 bits.
    var m = Model()
    let x = m.binaries("x", count: 448)
    var e = Expr()
    let build = seconds {
      var count = 0
      for i in 0..<448 {
        for j in (i + 1)..<448 where count < 100_000 {
          e += Double((i * 31 + j * 17) % 11 + 1) * (x[i] * x[j])
          count += 1
        }
      }
    }
    m.minimize(e)
    var compiled: CompiledModel?
    let compile = try seconds { compiled = try m.compile() }
    guard let c = compiled else { return }
    var bqm = BinaryQuadraticModel(vartype: .binary)
    let instantiate = try seconds { bqm = try c.instantiate() }
    print(
      "quadratic: \(e.termCount) terms, \(bqm.numInteractions) interactions; "
        + "build \(ms(build)), compile \(ms(compile)), instantiate \(ms(instantiate))")

    // 100 one-hot rows of 100 bits, objective scaled by a placeholder.
    var g = Model()
    let scale = g.placeholder("scale")
    let y = g.binaries("y", rows: 100, columns: 100)
    var objective = Expr()
    for i in 0..<99 {
      for a in 0..<100 {
        objective += scale * Double((a * 7 + i) % 13) * (y[i][a] * y[i + 1][(a + 1) % 100])
      }
    }
    for i in 0..<100 { g.oneHot("row \(i)", y[i]) }
    g.minimize(objective)
    var compiledRows: CompiledModel?
    let compileRows = try seconds { compiledRows = try g.compile() }
    guard let r = compiledRows else { return }
    let first = try seconds { bqm = try r.instantiate(values: ["scale": 2]) }
    let again = try seconds { bqm = try r.instantiate(values: ["scale": 3]) }
    print(
      "one-hot rows: \(r.polynomial.termCount) terms, \(bqm.numInteractions) interactions; "
        + "compile \(ms(compileRows)), instantiate \(ms(first)), re-instantiate \(ms(again))")
  }

  static func ms(_ s: Double) -> String { String(Int((s * 1000).rounded())) + " ms" }
}
