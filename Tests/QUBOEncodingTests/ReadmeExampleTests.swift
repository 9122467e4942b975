import Annealing
import QUBOEncoding
import QUBOModel
import Testing

/// The README's modeling example, kept compiling and correct.
@Suite("README example")
struct ReadmeExampleTests {
  @Test func knapsackFromTheREADME() throws {
    var m = Model()
    let x = m.binaries("x", count: 4)
    let values = [10, 13, 7, 8]
    let weights = [5, 6, 3, 4]
    m.maximize(Expr.sum(x.indices) { values[$0] * x[$0] })
    m.constrain("capacity", Expr.sum(x.indices) { weights[$0] * x[$0] } <= 9)
    let compiled = try m.compile()
    let report = try compiled.solve { try SimulatedAnnealing().sample($0, seed: 7) }
    let best = try #require(report.solution)
    #expect(best.array("x") == [0, 1, 1, 0])
    #expect(best.objective == 20)
    #expect(best.isFeasible)
  }

  @Test func modelAndSamplerFromTheREADME() throws {
    var model = BinaryQuadraticModel(vartype: .spin)
    model.addQuadratic("a", "b", 1)
    model.addQuadratic("b", "c", 1)
    model.addLinear("a", 0.5)
    var sa = SimulatedAnnealing.Parameters()
    sa.reads = 20
    let samples = try SimulatedAnnealing(sa).sample(model, seed: 1)
    // a = −1, b = +1, c = −1: −1 − 1 − 0.5.
    #expect(samples.lowestEnergy == -2.5)
    #expect(samples.count == 20)
  }
}
