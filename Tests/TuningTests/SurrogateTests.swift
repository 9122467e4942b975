import Annealing
import QUBOEncoding
import QUBOModel
import Testing

@testable import Tuning

/// A small space and a loss with pairwise structure, seen at some points.
func smallProblem(encoding: IntegerEncoding) throws -> (BitEncoding, [([Int], Double)]) {
  let space = try SearchSpace([
    ("a", .categorical(["x", "y", "z"])), ("b", .integer(low: 0, high: 3, step: 1)),
    ("c", .bool),
  ])
  let enc = try BitEncoding(space: space, encoding: encoding)
  var observed: [([Int], Double)] = []
  for rank in stride(from: 0, to: Int(space.size), by: 2) {
    let c = space.configuration(rank: rank)
    let loss = Double(c[0] * c[1]) - 2 * Double(c[2]) + 0.5 * Double(c[1] * c[1])
    observed.append((c, loss))
  }
  return (enc, observed)
}

@Suite struct SurrogateTests {
  static let surrogates: [QUBOSurrogateSampler.Surrogate] = [
    .factorizationMachine(FactorizationMachine(rank: 4, epochs: 200)),
    .bocs(BayesianQuadratic(gibbsSteps: 30)),
  ]

  @Test(arguments: [IntegerEncoding.oneHot, .binary, .domainWall])
  func quboEnergyEqualsPredictionForEveryConfiguration(encoding: IntegerEncoding) throws {
    let (enc, observed) = try smallProblem(encoding: encoding)
    for surrogate in Self.surrogates {
      let sampler = QUBOSurrogateSampler(surrogate: surrogate, encoding: encoding)
      let s = sampler.fit(
        enc, observed: observed.map { (configuration: $0.0, loss: $0.1) }, seed: 3)
      let qubo = s.quadraticModel(labels: enc.labels)
      let acquisition = try sampler.acquisitionModel(enc, s)
      // Every bit pattern, feasible or not: the surrogate QUBO is the model.
      for pattern in 0..<(1 << enc.bitCount) {
        let bits = (0..<enc.bitCount).map { Int8((pattern >> $0) & 1) }
        let f = s.predict(bits)
        #expect(abs(qubo.energy(bits) - f) <= 1e-9 * max(1, abs(f)))
        if enc.configuration(of: bits) != nil {
          #expect(abs(acquisition.energy(bits) - f) <= 1e-9 * max(1, abs(f)))
        }
      }
    }
  }

  @Test func factorizationMachineFitsAQuadraticLoss() throws {
    let (enc, observed) = try smallProblem(encoding: .oneHot)
    let s = FactorizationMachine(rank: 4, epochs: 800, bootstrap: false).fit(
      bits: observed.map { enc.bits(of: $0.0) }, losses: observed.map(\.1), seed: 1)
    var worst = 0.0
    for (c, loss) in observed { worst = max(worst, abs(s.predict(enc.bits(of: c)) - loss)) }
    #expect(worst < 0.3, "largest training error \(worst)")
  }

  @Test func bocsPosteriorDrawIsCloseToASparseTruth() throws {
    // y = 2·x0 − 3·x1·x2 on all 16 patterns of 4 bits.
    var bits: [[Int8]] = []
    var y: [Double] = []
    for p in 0..<16 {
      let x = (0..<4).map { Int8((p >> $0) & 1) }
      bits.append(x)
      y.append(2 * Double(x[0]) - 3 * Double(x[1] * x[2]))
    }
    let s = BayesianQuadratic(gibbsSteps: 200).fit(bits: bits, losses: y, seed: 7)
    #expect(abs(s.linear[0] - 2) < 0.3)
    #expect(abs(s.pair(1, 2) + 3) < 0.4)
    #expect(abs(s.pair(0, 3)) < 0.3)
  }

  @Test func bocsRecoversASparseTruthWithFewerObservationsThanFeatures() {
    // 8 bits: 8 + 28 = 36 features, 30 observations (the wide sampler).
    var rng = Xoshiro256PlusPlus(seed: 11)
    var bits: [[Int8]] = []
    var y: [Double] = []
    for _ in 0..<30 {
      let x = (0..<8).map { _ in Int8.random(in: 0...1, using: &rng) }
      bits.append(x)
      y.append(2 * Double(x[0]) - 3 * Double(x[1] * x[2]) + 1)
    }
    let s = BayesianQuadratic(gibbsSteps: 300).fit(bits: bits, losses: y, seed: 5)
    #expect(abs(s.linear[0] - 2) < 0.4, "a_0 = \(s.linear[0])")
    #expect(abs(s.pair(1, 2) + 3) < 0.5, "b_12 = \(s.pair(1, 2))")
    var others = 0.0
    for i in 3..<8 { others = max(others, abs(s.linear[i])) }
    #expect(others < 0.4, "largest spurious linear term \(others)")
    var worst = 0.0
    for (x, v) in zip(bits, y) { worst = max(worst, abs(s.predict(x) - v)) }
    #expect(worst < 0.6, "largest training error \(worst)")
  }

  @Test func aFlipChangesThePredictionByItsDelta() {
    var rng = SplitMix64(seed: 11)
    var s = QuadraticSurrogate(bits: 9)
    s.offset = 0.5
    for i in 0..<9 {
      s.linear[i] = Double.random(in: -1...1, using: &rng)
      for j in s.pairs[i].indices { s.pairs[i][j] = Double.random(in: -1...1, using: &rng) }
    }
    for _ in 0..<50 {
      let x = (0..<9).map { _ in Int8.random(in: 0...1, using: &rng) }
      for i in 0..<9 {
        var y = x
        y[i] = 1 - y[i]
        #expect(abs(s.predict(y) - s.predict(x) - s.flipDelta(x, i)) < 1e-12)
      }
    }
  }
}

