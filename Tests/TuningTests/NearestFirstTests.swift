import Foundation
import Testing

@testable import Tuning

/// `nearestFirstBelow` (issue 17, fifth round): when the regression ranks
/// its held-out trials badly, candidates nearest the incumbent come first.
@Suite struct NearestFirstTests {
  static func sampler(below: Double?) -> TrustRegionSampler {
    var s = TrustRegionTests.fast
    s.nearestFirstBelow = below
    return s
  }

  /// 12 trials of a 12-bit objective no quadratic ranks: a hash of the bits.
  static func ruggedStudy() throws -> Study {
    let space = try SearchSpace((0..<12).map { ("b\($0)", Distribution.bool) })
    let study = try Study(sampler: TrustRegionTests.fast, searchSpace: space, seed: 4)
    try study.optimize(trials: 12) { t in
      var code: UInt64 = 0
      for k in 0..<12 where try t.suggestBool("b\(k)") { code |= 1 << UInt64(k) }
      return Double((code &* 0x9E37_79B9_7F4A_7C15) >> 54)
    }
    return study
  }

  @Test func aBadlyRankingFitProposesTheIncumbentsNeighboursFirst() throws {
    let study = try Self.ruggedStudy()
    let space = try #require(study.searchSpace)
    let trials = try study.trials
    let always = Self.sampler(below: 2)  // above any rank correlation
    let region = try #require(always.region(space: space, trials: trials, direction: .minimize))
    #expect(!region.collapsed && region.ball >= 2)
    var farther = 0
    for seed in UInt64(0)..<6 {
      let plain = try TrustRegionTests.fast.propose(
        space: space, trials: trials, direction: .minimize, count: 4, seed: seed)
      farther += plain.filter { TrustRegionSampler.distance($0, region.center) > 1 }.count
      let near = try always.proposeWithNotes(
        space: space, trials: trials, direction: .minimize, count: 4, seed: seed)
      #expect(near.count == 4)
      for (c, notes) in near {
        #expect(TrustRegionSampler.distance(c, region.center) == 1, "\(c) vs \(region.center)")
        #expect(notes["nearest_first"] == .bool(true))
        guard case .double(let r)? = notes["held_out_correlation"] else {
          Issue.record("no held_out_correlation note: \(notes)")
          continue
        }
        #expect((-1...1).contains(r))
      }
    }
    #expect(farther > 0, "the model's own order must reach beyond the neighbours for this to test anything")
  }

  @Test func aWellRankingFitKeepsTheModelsOrder() throws {
    let study = try TrustRegionTests.bitStudy(TrustRegionTests.fast, trials: 16)
    let space = try #require(study.searchSpace)
    let trials = try study.trials
    let never = Self.sampler(below: -2)  // below any rank correlation
    for seed in UInt64(0)..<4 {
      let plain = try TrustRegionTests.fast.propose(
        space: space, trials: trials, direction: .minimize, count: 3, seed: seed)
      let kept = try never.proposeWithNotes(
        space: space, trials: trials, direction: .minimize, count: 3, seed: seed)
      #expect(kept.map(\.configuration) == plain)
      #expect(kept.allSatisfy { $0.notes["nearest_first"] == .bool(false) })
    }
  }

  @Test func theSpecSetsTheThresholdWithinMinusOneToOne() throws {
    let plain = try #require(try TrustRegionSpecTests.sampler("") as? TrustRegionSampler)
    #expect(plain.nearestFirstBelow == nil)
    let near = try #require(
      try TrustRegionSpecTests.sampler("surrogate: {nearest_first_below: 0.5}") as? TrustRegionSampler)
    #expect(near.nearestFirstBelow == 0.5)
    #expect(throws: TuningError.self) {
      try TrustRegionSpecTests.sampler("surrogate: {nearest_first_below: 2}")
    }
    #expect(throws: TuningError.self) {
      try TrustRegionSpecTests.sampler("surrogate: {nearest_first_below: near}")
    }
  }
}
