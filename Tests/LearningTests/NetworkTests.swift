import Annealing
import Foundation
import Testing

@testable import Learning

@Suite("MLP: gradient against finite differences, training")
struct NetworkTests {
  static func toyData(rows: Int, features: Int, classes: Int, seed: UInt64) throws -> Dataset {
    var rng = Xoshiro256PlusPlus(seed: seed)
    var f = [Double]()
    var y = [Int]()
    for r in 0..<rows {
      let c = r % classes
      for j in 0..<features {
        f.append(Double.random(in: -1...1, using: &rng) + (j % classes == c ? 1.5 : 0))
      }
      y.append(c)
    }
    return try Dataset(
      name: "toy", features: f, labels: y, featureCount: features,
      classNames: (0..<classes).map(String.init))
  }

  @Test(arguments: Activation.allCases)
  func gradientMatchesFiniteDifferences(activation: Activation) throws {
    let data = try Self.toyData(rows: 13, features: 5, classes: 3, seed: 1)
    var net = try MLP(sizes: [5, 7, 4, 3], activation: activation, seed: 3)
    for i in net.parameters.indices { net.parameters[i] += 0.05 * Double(i % 5) }
    let objective = try NetworkObjective(network: net, data: data, l2: 0.01)
    let p = net.parameters
    var g = [Double](repeating: 0, count: p.count)
    objective.gradient(p, into: &g)
    let h = 1e-6
    var worst = 0.0
    for i in p.indices {
      var plus = p
      var minus = p
      plus[i] += h
      minus[i] -= h
      let fd = (objective.loss(plus) - objective.loss(minus)) / (2 * h)
      worst = max(worst, abs(fd - g[i]) / max(1, abs(fd)))
    }
    #expect(worst < 1e-6, "largest relative gradient error \(worst)")
  }

  @Test func trainingFitsIrisWell() throws {
    let d = try Dataset.load("iris")
    let (train, test) = try d.stratifiedSplit(seed: 1)
    let s = Standardizer(fitting: train)
    var net = try MLP(sizes: [4, 8, 3], seed: 1)
    let before = try NetworkObjective(network: net, data: try s.apply(train), l2: 1e-3)
      .loss(net.parameters)
    let report = try net.train(on: try s.apply(train), l2: 1e-3)
    #expect(report.loss < before / 4)
    let accuracy = try net.accuracy(try s.apply(test))
    #expect(accuracy > 0.85)
  }

  @Test func crossEntropyOfUniformOutputsIsLogOfTheClassCount() throws {
    let data = try Self.toyData(rows: 12, features: 4, classes: 3, seed: 1)
    var net = try MLP(sizes: [4, 5, 3], seed: 2)
    net.parameters = [Double](repeating: 0, count: net.parameters.count)
    let ce = try net.crossEntropy(data)
    #expect(abs(ce - log(3)) < 1e-12)
    let objective = try NetworkObjective(network: net, data: data, l2: 0)
    #expect(abs(objective.loss(net.parameters) - ce) < 1e-12)
  }
}
