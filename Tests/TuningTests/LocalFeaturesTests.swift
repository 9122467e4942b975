import Annealing
import Foundation
import Testing

@testable import Tuning

@Suite struct LocalFeaturesTests {
  /// A mixed space seen through its local grid: a continuous float and a
  /// long integer range (windowed), a categorical and a boolean (bits).
  static func mixed() throws -> (SearchSpace, LocalFeatures) {
    let space = try SearchSpace([
      ("x", .continuous(low: 0, high: 1)), ("c", .categorical(["a", "b", "c"])),
      ("flag", .bool), ("n", .integer(low: 1, high: 100, step: 1)),
    ])
    let center = [300_000, 2, 1, 40]
    let grid = try LocalGrid(full: space, center: center, resolution: 0.1)
    let encoded = try BitEncoding(space: grid.space, encodings: grid.encodings)
    return (space, LocalFeatures(grid: grid, encoded: encoded, full: space))
  }

  /// Every configuration of the local grid.
  static func everyLocal(_ radices: [Int]) -> [[Int]] {
    var out: [[Int]] = [[]]
    for r in radices { out = out.flatMap { c in (0..<r).map { c + [$0] } } }
    return out
  }

  @Test func theQUBOEqualsTheFeatureQuadraticOnEveryValidConfiguration() throws {
    let (_, features) = try Self.mixed()
    #expect(features.windowed == [true, false, false, true])
    var rng = SplitMix64(seed: 3)
    let f = features.count
    let q = FeatureQuadratic(
      offset: 0.5, linear: (0..<f).map { _ in Double.random(in: -1...1, using: &rng) },
      pairs: (0..<f).map { i in
        (0..<(f - i - 1)).map { _ in Double.random(in: -1...1, using: &rng) }
      })
    let qubo = features.surrogate(q)
    let all = Self.everyLocal(features.grid.space.radices)
    #expect(all.count > 300)
    for local in all {
      let full = features.grid.full(local)
      let want = q.predict(features.row(full: full))
      let got = qubo.predict(features.encoded.bits(of: local))
      #expect(abs(got - want) < 1e-9, "\(local): QUBO \(got), model \(want)")
    }
  }

  @Test func theQUBOEqualsTheFactorizationMachineOnEveryValidConfiguration() throws {
    let (_, features) = try Self.mixed()
    var rng = SplitMix64(seed: 5)
    let f = features.count
    let m = FactorizedModel(
      offset: -1, linear: (0..<f).map { _ in Double.random(in: -1...1, using: &rng) },
      factors: (0..<f).map { _ in (0..<3).map { _ in Double.random(in: -1...1, using: &rng) } })
    let qubo = features.surrogate(m)
    for local in Self.everyLocal(features.grid.space.radices) {
      let want = m.predict(features.row(full: features.grid.full(local)))
      let got = qubo.predict(features.encoded.bits(of: local))
      #expect(abs(got - want) < 1e-9, "\(local): QUBO \(got), model \(want)")
    }
  }

  @Test func aWindowedParameterEntersAtItsOwnValueNotItsLevel() throws {
    let (_, features) = try Self.mixed()
    // 123 456 is far outside x's window (±0.1 of the range around 300 000).
    let row = features.row(full: [123_456, 0, 0, 40])
    let d = Double(123_456 - 300_000) / Double(1 << 20)
    #expect(row.contains { $0.0 == features.features[0][0] && abs($0.1 - d) < 1e-15 })
    #expect(row.contains { $0.0 == features.features[0][1] && abs($0.1 - d * d) < 1e-15 })
  }

  @Test func theRegressionMeanRecoversAQuadraticFromFewPoints() throws {
    // y = 1 + 2 φ0 − φ1 + 3 φ0 φ2 − 2 φ1 φ3 + φ2²-like term via φ3 = φ2².
    func truth(_ x: [Double]) -> Double {
      1 + 2 * x[0] - x[1] + 3 * x[0] * x[2] - 2 * x[1] * x[3] + 0.5 * x[2] * x[3]
    }
    var rng = SplitMix64(seed: 7)
    func point() -> [Double] {
      let a = Double.random(in: -1...1, using: &rng)
      let b = Double.random(in: -1...1, using: &rng)
      let c = Double.random(in: -1...1, using: &rng)
      return [a, b, c, c * c]
    }
    let train = (0..<30).map { _ in point() }
    let rows = train.map { x in x.enumerated().map { ($0.offset, $0.element) } }
    let mean = QuadraticRegression(thompson: false)
    let fit = mean.fit(rows: rows, features: 4, losses: train.map(truth), seed: 1)
    let q = try #require(fit)
    for _ in 0..<20 {
      let x = point()
      let p = q.predict(x.enumerated().map { ($0.offset, $0.element) })
      #expect(abs(p - truth(x)) < 0.05, "predicted \(p), true \(truth(x)) at \(x)")
    }
  }

  @Test func thompsonDrawsAreSeededAndDiffer() {
    var rng = SplitMix64(seed: 9)
    let rows = (0..<12).map { _ in
      (0..<5).map { ($0, Double.random(in: -1...1, using: &rng)) }
    }
    let y = rows.map { r in r.reduce(0) { $0 + $1.1 } }
    let draw = QuadraticRegression()
    let a = draw.fit(rows: rows, features: 5, losses: y, seed: 1)
    let b = draw.fit(rows: rows, features: 5, losses: y, seed: 1)
    let c = draw.fit(rows: rows, features: 5, losses: y, seed: 2)
    #expect(a?.linear == b?.linear && a?.pairs == b?.pairs)
    #expect(a?.pairs != c?.pairs)
  }
}

@Suite struct TrustRegionSpecTests {
  static func sampler(_ surrogate: String) throws -> any TuningSampler {
    let text = """
      name: s
      direction: minimize
      trials: 5
      sampler: trust-region
      \(surrogate)
      parameters:
        x: {type: float, low: 0, high: 1}
      command: 'echo "loss: {x}"'
      metric: loss
      """
    let document = try SpecDocument(text: text)
    return try TuningSpec(json: document.value, parameterOrder: ["x"]).makeSampler()
  }

  /// The spec's `surrogate: {key: …}` option, read into `value`: `absent`
  /// without the key, each `accepted` text as its value, and each
  /// `rejected` text refused with a `TuningError` that names the key.
  static func expectOption<T: Equatable>(
    _ key: String, _ value: KeyPath<TrustRegionSampler, T>, absent: T,
    accepted: [(text: String, value: T)], rejected: [String]
  ) throws {
    let plain = try #require(try sampler("") as? TrustRegionSampler)
    #expect(plain[keyPath: value] == absent, "\(key) absent")
    for (text, expected) in accepted {
      let s = try #require(try sampler("surrogate: {\(key): \(text)}") as? TrustRegionSampler)
      #expect(s[keyPath: value] == expected, "\(key): \(text)")
    }
    for bad in rejected {
      do {
        _ = try sampler("surrogate: {\(key): \(bad)}")
        Issue.record("\(key): \(bad) was accepted")
      } catch let e as TuningError {
        #expect("\(e)".contains(key), "\(e)")
      }
    }
  }

  @Test func theModelIsTheRegressionMeanUnlessTheSpecSaysOtherwise() throws {
    let plain = try #require(try Self.sampler("") as? TrustRegionSampler)
    #expect(plain.regression?.thompson == false)
    let draw = try #require(
      try Self.sampler("surrogate: {model: bqr-thompson}") as? TrustRegionSampler)
    #expect(draw.regression?.thompson == true)
    let switching = try #require(
      try Self.sampler("surrogate: {model: bqr-switch}") as? TrustRegionSampler)
    #expect(switching.regression?.thompson == false)
    #expect(switching.regression?.thompsonBelow == QuadraticRegression.switchCorrelation)
    #expect(plain.regression?.thompsonBelow == nil)
    let fm = try #require(try Self.sampler("surrogate: {model: fm}") as? TrustRegionSampler)
    #expect(fm.regression == nil)
    #expect(TrustRegionSampler().regression?.thompson == false)
    #expect(throws: TuningError.self) { try Self.sampler("surrogate: {model: gp}") }
    #expect(plain.localNoise && plain.polishStarts == 0)
    let tuned = try #require(
      try Self.sampler("surrogate: {local_noise: false, polish_starts: 3}") as? TrustRegionSampler)
    #expect(!tuned.localNoise && tuned.polishStarts == 3)
    #expect(throws: TuningError.self) { try Self.sampler("surrogate: {local_noise: 1}") }
  }
}
