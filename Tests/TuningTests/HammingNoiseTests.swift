import Testing

@testable import Tuning

/// `hammingNoise` (issue 17, sixth round): an observation's noise grows
/// with its Hamming distance from the incumbent over the parameters shown
/// whole.
@Suite struct HammingNoiseTests {
  @Test func theMultiplierIsOneAtTheIncumbentAndGrowsWithDistance() {
    for form in [HammingNoise.quadratic, .exponential] {
      #expect(form.multiplier(distance: 0, radius: 3) == 1)
      var last = 1.0
      for d in 1...12 {
        let m = form.multiplier(distance: d, radius: 3)
        #expect(m > last, "\(form) at distance \(d): \(m) after \(last)")
        last = m
      }
      // A smaller region localises more.
      #expect(form.multiplier(distance: 4, radius: 1) > form.multiplier(distance: 4, radius: 4))
    }
    #expect(HammingNoise.quadratic.multiplier(distance: 3, radius: 3) == 2)
    #expect(abs(HammingNoise.exponential.multiplier(distance: 3, radius: 3) - 2.718281828) < 1e-8)
    #expect(HammingNoise.off.multiplier(distance: 12, radius: 1) == 1)
  }

  @Test func onlyParametersShownWholeCount() throws {
    let (_, features) = try LocalFeaturesTests.mixed()
    let center = features.center
    var windowedOnly = center
    windowedOnly[0] = 0
    windowedOnly[3] = 99
    var one = center
    one[2] = 1 - center[2]
    var two = one
    two[1] = 0
    let w = features.hammingNoise(
      full: [center, windowedOnly, one, two], radius: 1, form: .quadratic)
    #expect(w == [1, 1, 2, 5])
  }

  @Test func offLeavesTheFitAsItWas() throws {
    let study = try TrustRegionTests.bitStudy(TrustRegionTests.fast, trials: 16)
    let space = try #require(study.searchSpace)
    let trials = try study.trials
    var local = TrustRegionTests.fast
    local.hammingNoise = .quadratic
    let region = try #require(local.region(space: space, trials: trials, direction: .minimize))
    let grid = try LocalGrid(full: space, center: region.center, resolution: region.resolution)
    let encoded = try BitEncoding(space: grid.space, encodings: grid.encodings)
    let features = LocalFeatures(grid: grid, encoded: encoded, full: space)
    let configurations = History(space: space, trials: trials, direction: .minimize).observed.map(
      \.configuration)
    #expect(configurations.count == 16)
    // Off: every multiplier 1 on bits, so the regression is the old one.
    let plainScale = TrustRegionTests.fast.noiseScale(features, configurations, radius: region.ball)
    #expect(plainScale == configurations.map { _ in 1 })
    let on = try #require(local.noiseScale(features, configurations, radius: region.ball))
    #expect(on.contains { $0 > 1 })
    var differ = false
    for seed in UInt64(0)..<4 {
      let plain = try TrustRegionTests.fast.propose(
        space: space, trials: trials, direction: .minimize, count: 3, seed: seed)
      var off = TrustRegionTests.fast
      off.hammingNoise = .off
      let same = try off.propose(
        space: space, trials: trials, direction: .minimize, count: 3, seed: seed)
      #expect(same == plain)
      let moved = try local.propose(
        space: space, trials: trials, direction: .minimize, count: 3, seed: seed)
      if moved != plain { differ = true }
    }
    #expect(differ, "the localised fit must change some proposal for this test to mean anything")
  }

  @Test func theSpecNamesTheForm() throws {
    let plain = try #require(try TrustRegionSpecTests.sampler("") as? TrustRegionSampler)
    #expect(plain.hammingNoise == .off)
    for form in HammingNoise.allCases {
      let s = try #require(
        try TrustRegionSpecTests.sampler("surrogate: {hamming_noise: \(form.rawValue)}")
          as? TrustRegionSampler)
      #expect(s.hammingNoise == form)
    }
    for bad in ["cubic", "true", "2"] {
      do {
        _ = try TrustRegionSpecTests.sampler("surrogate: {hamming_noise: \(bad)}")
        Issue.record("hamming_noise: \(bad) was accepted")
      } catch let e as TuningError {
        #expect("\(e)".contains("hamming_noise"), "\(e)")
        #expect("\(e)".contains("off, quadratic or exponential"), "\(e)")
      }
    }
  }
}
