import Foundation
import Testing

@testable import Learning

@Suite("Fine-tuning: scales and biases with codes fixed")
struct FineTuneTests {
  static func quantized(activation: Activation) throws -> (QuantizedNetwork, Dataset) {
    let data = try NetworkTests.toyData(rows: 11, features: 5, classes: 3, seed: 2)
    var float = try MLP(sizes: [5, 6, 4, 3], activation: activation, seed: 5)
    for i in float.parameters.indices { float.parameters[i] += 0.03 * Double(i % 7) - 0.1 }
    var q = QuantizedNetwork(shapeOf: float)
    let grid = try QuantizationGrid(bits: 3)
    for l in 0..<float.layerCount {
      let w = float.weights(l)
      let fanIn = float.sizes[l]
      for j in 0..<float.sizes[l + 1] {
        let s = grid.scale(w[(j * fanIn)..<((j + 1) * fanIn)], rule: .maxabs)
        q.scales[l][j] = s * (1 + 0.1 * Double(j))
        for i in 0..<fanIn { q.codes[l][j * fanIn + i] = grid.nearest(w[j * fanIn + i], scale: s) }
      }
    }
    return (q, data)
  }

  @Test(arguments: Activation.allCases)
  func lossMatchesTheNetworkAndGradientMatchesFiniteDifferences(activation: Activation) throws {
    let (q, data) = try Self.quantized(activation: activation)
    let objective = FineTuneObjective(
      q, inputs: data.features, rows: data.count, targets: .labels(data.labels), l2: 0.02)
    let x = q.scales.flatMap { $0 } + q.biases.flatMap { $0 }
    let reference = try NetworkObjective(network: q.network, data: data, l2: 0.02)
    #expect(abs(objective.loss(x) - reference.loss(q.network.parameters)) < 1e-12)
    var g = [Double](repeating: 0, count: x.count)
    objective.gradient(x, into: &g)
    var worst = 0.0
    for i in x.indices {
      var (plus, minus) = (x, x)
      plus[i] += 1e-6
      minus[i] -= 1e-6
      let fd = (objective.loss(plus) - objective.loss(minus)) / 2e-6
      worst = max(worst, abs(fd - g[i]) / max(1, abs(fd)))
    }
    #expect(worst < 1e-6, "largest relative gradient error \(worst)")
  }

  @Test func fineTuningLowersTheLossAndKeepsTheCodes() throws {
    var (q, data) = try Self.quantized(activation: .tanh)
    let codes = q.codes
    let before = try NetworkObjective(network: q.network, data: data, l2: 0.01)
      .loss(q.network.parameters)
    let report = try q.fineTune(on: data, l2: 0.01)
    #expect(report.loss < before)
    #expect(q.codes == codes)
    let after = try NetworkObjective(network: q.network, data: data, l2: 0.01)
      .loss(q.network.parameters)
    #expect(abs(after - report.loss) < 1e-9)
  }

  @Test func distillationGradientMatchesFiniteDifferencesAndFrozenBiasesStay() throws {
    var (q, data) = try Self.quantized(activation: .leakyRelu)
    let teacher = try MLP(sizes: q.sizes, activation: .tanh, seed: 8)
      .probabilities(data.features, rows: data.count)
    let objective = FineTuneObjective(
      q, inputs: data.features, rows: data.count, targets: .probabilities(teacher), l2: 0,
      frozenBiases: [1])
    let x = q.scales.flatMap { $0 } + q.biases.flatMap { $0 }
    var g = [Double](repeating: 0, count: x.count)
    objective.gradient(x, into: &g)
    let biasStart = objective.scaleCount + q.sizes[1]
    for i in x.indices {
      let frozen = (biasStart..<(biasStart + q.sizes[2])).contains(i)
      if frozen {
        #expect(g[i] == 0, "a frozen bias has gradient \(g[i])")
        continue
      }
      var (plus, minus) = (x, x)
      plus[i] += 1e-6
      minus[i] -= 1e-6
      let fd = (objective.loss(plus) - objective.loss(minus)) / 2e-6
      #expect(abs(fd - g[i]) / max(1, abs(fd)) < 1e-6, "component \(i): \(g[i]) vs \(fd)")
    }
    let biases = q.biases[1]
    try q.fineTune(
      inputs: data.features, rows: data.count, targets: .probabilities(teacher), l2: 0,
      frozenBiases: [1])
    #expect(q.biases[1] == biases)
  }
}
