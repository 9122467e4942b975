import Annealing
import QUBOModel
import Testing
import _TestSupport

@Suite("SQA: the shared sampler conformance suite")
struct PathIntegralConformanceTests {
  static func make(_ o: ConformanceOptions, trotter: Int) -> PathIntegralAnnealing {
    var p = PathIntegralAnnealing.Parameters()
    p.readOptions = o.readOptions
    p.trotter = trotter
    switch o.work {
    case .normal: p.sweeps = 100
    case .none: p.sweeps = 0
    case .unbounded: p.sweeps = 1 << 40
    }
    return PathIntegralAnnealing(p)
  }

  /// Both kernels: the vector path (P a multiple of 8) and the scalar one.
  @Test(arguments: [8, 5, 12])
  func conformance(trotter: Int) {
    let failures = SamplerConformance.check { Self.make($0, trotter: trotter) }
    #expect(failures.isEmpty, "\(failures)")
  }
}
