import Annealing
import Foundation
import Testing

@testable import Learning

@Suite("Post-training quantization from Swift: shapes, Codable, agreement")
struct PostTrainingQuantizationTests {
  static func trained() throws -> (MLP, Dataset) {
    let data = try NetworkTests.toyData(rows: 60, features: 6, classes: 3, seed: 4)
    var net = try MLP(sizes: [6, 8, 3], activation: .relu, seed: 3)
    try net.train(on: data, l2: 1e-3, maxIterations: 200)
    return (net, data)
  }

  @Test func quantizesWithoutLabelsAndFollowsTheFloatNetwork() throws {
    let (float, data) = try Self.trained()
    var ptq = try PostTrainingQuantization(bits: 4, solver: RoundingSolver(annealer: nil))
    ptq.fineTuneIterations = 100
    for method in RoundingMethod.allCases {
      let r = try ptq.quantize(
        float, calibration: data.features, rows: data.count, method: method, seed: 1)
      #expect(r.network.sizes == float.sizes)
      #expect(r.network.codes.allSatisfy { $0.allSatisfy { abs($0) <= 7 } })
      #expect(r.agreement.top1 >= 0.9, "\(method): agreement \(r.agreement.top1)")
      #expect(r.agreement.kl >= 0 && r.agreement.kl < 0.05, "\(method): KL \(r.agreement.kl)")
      let (before, after) = (try #require(r.lossBefore), try #require(r.lossAfter))
      #expect(after <= before + 1e-12)
      // The reported agreement is the one recomputed from the network.
      let again = try Agreement(
        float: float, quantized: r.network.network, inputs: data.features, rows: data.count)
      #expect(again == r.agreement)
    }
  }

  @Test func theQuantizedNetworkIsCodable() throws {
    let (float, data) = try Self.trained()
    let ptq = try PostTrainingQuantization(bits: 3, solver: RoundingSolver(annealer: nil))
    let r = try ptq.quantize(
      float, calibration: data.features, rows: data.count, labels: data.labels, method: .greedy,
      seed: 2)
    let bytes = try JSONEncoder().encode(r.network)
    let back = try JSONDecoder().decode(QuantizedNetwork.self, from: bytes)
    #expect(back == r.network)
    let (p, q) = (
      try back.network.probabilities(data.features, rows: data.count),
      try r.network.network.probabilities(data.features, rows: data.count)
    )
    #expect(p == q)
    let result = try JSONDecoder().decode(
      PostTrainingQuantization.Result.self, from: JSONEncoder().encode(r))
    #expect(result == r)
    #expect(r.agreement.accuracy != nil && r.agreement.floatAccuracy != nil)
  }

  @Test func wrongShapesThrowInsteadOfTrapping() throws {
    let (float, data) = try Self.trained()
    let ptq = try PostTrainingQuantization(bits: 3, solver: RoundingSolver(annealer: nil))
    #expect(throws: ShapeError.self) {
      try ptq.quantize(float, calibration: data.features, rows: data.count + 1, method: .rtn, seed: 1)
    }
    #expect(throws: ShapeError.self) {
      try ptq.quantize(float, calibration: [], rows: 0, method: .rtn, seed: 1)
    }
    #expect(throws: ShapeError.self) {
      try ptq.quantize(
        float, calibration: data.features, rows: data.count, labels: [0, 1], method: .rtn, seed: 1)
    }
    #expect(throws: ShapeError.self) {
      try ptq.quantize(
        float, calibration: data.features, rows: data.count,
        labels: [Int](repeating: 3, count: data.count), method: .rtn, seed: 1)
    }
    #expect(throws: ShapeError.self) { try PostTrainingQuantization(bits: 0) }
    #expect(throws: ShapeError.self) { try QuantizationGrid(bits: 17) }
    #expect(throws: ShapeError.self) {
      try MLP(inputWidth: 3, layers: [(weights: [1, 2], biases: [0, 0])], activation: .relu)
    }
    #expect(throws: ShapeError.self) {
      try MLP(inputWidth: 1, layers: [(weights: [.nan], biases: [0])], activation: .relu)
    }
    #expect(throws: ShapeError.self) { try float.probabilities([1, 2, 3], rows: 1) }
    #expect(throws: ShapeError.self) { try gramMatrix([1, 2, 3], rows: 2, columns: 2) }
    #expect(throws: ShapeError.self) {
      try RoundingQUBO(weights: [1, 2][...], scale: 1, grid: QuantizationGrid(bits: 2), gram: [1])
    }
    // No rows is an empty answer, not a trap.
    let none = try float.probabilities([], rows: 0)
    #expect(none.isEmpty)
    let accuracy = try float.accuracy(data.subset([Int]()))
    #expect(accuracy == 0)
    #expect(Summary([]).count == 0 && Summary([]).mean.isNaN)
    #expect(Summary(paired: [1, 2, 3], minus: [0, 0]).count == 2)
  }

  @Test func layersBuildTheSameNetworkAsParameters() throws {
    let float = try MLP(sizes: [3, 4, 2], activation: .sigmoid, seed: 6)
    let rebuilt = try MLP(
      inputWidth: 3,
      layers: (0..<2).map { (weights: float.weights($0), biases: float.biases($0)) },
      activation: .sigmoid)
    #expect(rebuilt == float)
  }
}
