import Annealing
import Foundation
import QUBOEncoding
import QUBOModel
import Testing

@testable import Tuning

@Suite struct SamplerTests {
  static let samplers: [(String, any TuningSampler)] = [
    ("random", RandomSearch()),
    ("grid", GridSearch()),
    (
      "fm",
      QUBOSurrogateSampler(
        surrogate: .factorizationMachine(FactorizationMachine(rank: 4, epochs: 100)),
        startupTrials: 3)
    ),
    (
      "bocs",
      QUBOSurrogateSampler(
        surrogate: .bocs(BayesianQuadratic(gibbsSteps: 20)), encoding: .domainWall,
        startupTrials: 3)
    ),
    (
      "fm-binary",
      QUBOSurrogateSampler(
        surrogate: .factorizationMachine(FactorizationMachine(rank: 2, epochs: 50)),
        encoding: .binary, startupTrials: 2)
    ),
  ]

  @Test(arguments: 0..<samplers.count)
  func neverProposesASeenConfigurationWhileUnseenExist(which: Int) throws {
    let (label, sampler) = Self.samplers[which]
    let study = try Study(name: label, sampler: sampler, seed: 5)
    // 3 × 3 × 2 = 18 configurations; the objective is smallest at (z, 2, true).
    try study.optimize(trials: 18) { trial in
      let a = try trial.suggestCategorical("a", ["x", "y", "z"])
      let b = try trial.suggestInt("b", low: 0, high: 2)
      let c = try trial.suggestBool("c")
      return Double((a == "z" ? 0 : 3) + 2 - b) + (c ? 0 : 0.5)
    }
    let trials = try study.trials
    #expect(trials.count == 18)
    let configs = Set(trials.map { $0.parameters.mapValues(\.description) })
    #expect(configs.count == 18, "\(label): \(18 - configs.count) repeats")
    #expect(try study.bestTrial?.value == 0)
  }

  @Test func parallelBatchProposalsAreDistinct() throws {
    let space = try SearchSpace([("i", .integer(low: 0, high: 9, step: 1)), ("b", .bool)])
    let sampler = QUBOSurrogateSampler(
      surrogate: .factorizationMachine(FactorizationMachine(rank: 2, epochs: 50)),
      startupTrials: 2)
    let study = try Study(sampler: sampler, searchSpace: space, seed: 1)
    for _ in 0..<3 {
      let t = try #require(try study.ask())
      try study.tell(t, value: Double(try t.suggestInt("i", low: 0, high: 9)))
    }
    let batch = try study.ask(count: 6)
    #expect(batch.count == 6)
    let all = try study.trials.map { $0.parameters.mapValues(\.description) }
    #expect(Set(all).count == 9)
  }

  @Test func gridStopsWhenExhausted() throws {
    let space = try SearchSpace([("i", .integer(low: 0, high: 4, step: 2)), ("b", .bool)])
    let study = try Study(sampler: GridSearch(), searchSpace: space, seed: 2)
    try study.optimize(trials: 100) { t in
      Double(try t.suggestInt("i", low: 0, high: 4, step: 2))
    }
    #expect(try study.trials.count == 6)
  }

  @Test func sameSeedSameProposals() throws {
    func run() throws -> [String] {
      let study = try Study(
        sampler: QUBOSurrogateSampler(
          surrogate: .bocs(BayesianQuadratic(gibbsSteps: 10)), startupTrials: 3), seed: 9)
      try study.optimize(trials: 8) { t in
        Double(try t.suggestInt("x", low: 0, high: 20)) + (try t.suggestBool("y") ? 1 : 0)
      }
      return try study.trials.map { "\($0.parameters["x"]!)\($0.parameters["y"]!)" }
    }
    #expect(try run() == run())
  }

  @Test func surrogateAnnealsWithSQAFromAConfiguration() throws {
    let annealer = try SamplerConfiguration(
      json: .object([
        "sampler": .string("sqa"), "trotter": .int(4), "sweeps": .int(50), "reads": .int(4),
        "threads": .int(1),
      ]))
    let sampler = QUBOSurrogateSampler(
      surrogate: .factorizationMachine(FactorizationMachine(rank: 2, epochs: 50)),
      startupTrials: 3, annealer: annealer)
    let study = try Study(sampler: sampler, seed: 12)
    try study.optimize(trials: 10) { t in
      Double(try t.suggestInt("x", low: 0, high: 7)) + (try t.suggestBool("y") ? 0 : 1)
    }
    let trials = try study.trials
    #expect(Set(trials.map { $0.parameters.mapValues(\.description) }).count == 10)
    #expect(trials[3...].allSatisfy { $0.userAttributes["propose_seconds"] != nil })
  }

  @Test func parallelGridRunsEachConfigurationOnce() throws {
    for round in 0..<5 {
      let space = try SearchSpace([("i", .integer(low: 0, high: 4, step: 1)), ("b", .bool)])
      let study = try Study(sampler: GridSearch(), searchSpace: space, seed: UInt64(round))
      try study.optimize(trials: 100, parallelism: 4) { t in
        Thread.sleep(forTimeInterval: 0.002)
        return Double(try t.suggestInt("i", low: 0, high: 4))
      }
      let trials = try study.trials
      let complete = trials.filter { $0.state == .complete }
      #expect(complete.count == 10)
      #expect(Set(complete.map { $0.parameters.mapValues(\.description) }).count == 10)
      for t in trials where t.state != .complete {
        #expect(t.userAttributes["error"] == .string("no configuration left to try"))
      }
    }
  }
}
