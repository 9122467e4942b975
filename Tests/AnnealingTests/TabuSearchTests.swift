import Annealing
import QUBOModel
import Testing
import _TestSupport

@Suite struct TabuSearchTests {
  static func make(_ o: ConformanceOptions) -> TabuSearch {
    var p = TabuSearch.Parameters()
    p.readOptions = o.readOptions
    p.restarts = 3
    p.stallIterations = 200
    switch o.work {
    case .normal: break
    case .none:
      p.restarts = 1
      p.stallIterations = 0
    case .unbounded:
      p.restarts = nil
      p.stallIterations = Int.max
    }
    return TabuSearch(p)
  }

  @Test func conformance() {
    let failures = SamplerConformance.check(Self.make)
    #expect(failures.isEmpty, "\(failures)")
  }

  @Test func findsGroundStates() throws {
    for seed in UInt64(1)...4 {
      let model = RandomInstances.ising(n: 15, density: 0.5, integer: seed % 2 == 0, seed: seed)
      var p = TabuSearch.Parameters()
      p.reads = 2
      p.stallIterations = 300
      let set = try TabuSearch(p).sample(model, seed: seed)
      let ground = BruteForce.groundEnergy(IsingProblem(model))
      #expect(abs((set.lowestEnergy ?? .infinity) - ground) < 1e-9)
    }
  }

  @Test func targetEnergyStopsEarly() throws {
    let model = RandomInstances.ising(n: 16, density: 0.5, integer: true, seed: 5)
    let ground = BruteForce.groundEnergy(IsingProblem(model))
    var p = TabuSearch.Parameters()
    p.reads = 1
    p.restarts = 1000
    p.stallIterations = 1000
    p.targetEnergy = ground
    let set = try TabuSearch(p).sample(model, seed: 1)
    #expect(set.lowestEnergy == ground)
    guard case .int(let runs)? = set.info["restarts"] else {
      Issue.record("info[\"restarts\"] missing or not an integer: \(set.info)")
      return
    }
    #expect(runs < 1000)
  }

  @Test func tabuEscapesLocalMinimaThatDescentCannot() throws {
    let model = RandomInstances.sparseSpinGlass(n: 400, degree: 4, seed: 9)
    var d = SteepestDescent.Parameters()
    d.reads = 4
    let descent = try SteepestDescent(d).sample(model, seed: 2)
    var p = TabuSearch.Parameters()
    p.reads = 4
    p.restarts = 2
    p.initialStates = descent.samples
    let tabu = try TabuSearch(p).sample(model, seed: 2)
    for r in 0..<4 { #expect(tabu.energies[r] < descent.energies[r]) }
  }

  @Test func rejectsBadParameters() {
    let model = RandomInstances.ising(n: 5, seed: 1)
    var p = TabuSearch.Parameters()
    p.perturbation = 2
    #expect(throws: SamplerError.self) { try TabuSearch(p).sample(model, seed: 1) }
    p.perturbation = 0.1
    p.restarts = 0
    #expect(throws: SamplerError.self) { try TabuSearch(p).sample(model, seed: 1) }
  }
}
