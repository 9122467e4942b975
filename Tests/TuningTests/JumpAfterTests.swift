import Testing

@testable import Tuning

/// `jump_after` (issue 17, eighth round): the n-th collapse at one
/// incumbent moves the region to the best evaluated configuration beyond
/// the initial radius of every incumbent it left.
@Suite struct JumpAfterTests {
  /// 16 parameters (initial radius 4, 4 failures halve it, 12 collapse it):
  /// the incumbent A (all 0, loss 0), B eight changes away (loss 0.5), C
  /// three changes from A (loss 0.2, inside A's reach), then failures one
  /// change from A.
  static let a = [Int](repeating: 0, count: 16)
  static let b = [Int](repeating: 1, count: 8) + [Int](repeating: 0, count: 8)
  static let c = [1, 1, 1] + [Int](repeating: 0, count: 13)
  static func history(failures: Int) -> [(configuration: [Int], loss: Double)] {
    [(a, 0), (b, 0.5), (c, 0.2)]
      + (0..<failures).map { k in
        var x = a
        x[k % 16] = 2
        return (x, 1)
      }
  }

  static func replay(_ history: [(configuration: [Int], loss: Double)], jumpAfter: Int?)
    -> TrustRegion?
  {
    TrustRegion.replay(
      history, parameters: 16, startup: 1, regrowAtBest: true, jumpAfter: jumpAfter)
  }

  @Test func theSecondCollapseAtOneIncumbentMovesTheRegion() throws {
    // B, C and 12 more failures: one collapse (at 12); 22 more: two (at 24).
    let once = try #require(Self.replay(Self.history(failures: 12), jumpAfter: 2))
    #expect(once.center == Self.a && once.collapsesAtCenter == 1 && once.left.isEmpty)
    let twice = try #require(Self.replay(Self.history(failures: 22), jumpAfter: 2))
    #expect(twice.center == Self.b, "C is inside A's reach, B the best beyond it")
    #expect(twice.best == 0.5 && twice.left == [Self.a])
    #expect(twice.radius == twice.initialRadius && twice.collapsesAtCenter == 0)
    #expect(!twice.collapsed)
    // Without the option the region regrows at A for good.
    let plain = try #require(Self.replay(Self.history(failures: 60), jumpAfter: nil))
    #expect(plain.center == Self.a && plain.restarts >= 4)
    // After the first collapse with `jump_after: 1`.
    let first = try #require(Self.replay(Self.history(failures: 10), jumpAfter: 1))
    #expect(first.center == Self.b)
  }

  @Test func theRegionNeverReturnsToAnIncumbentItLeft() throws {
    // Two more collapses at B: every other evaluation is within A's or B's
    // reach, so the region regrows at B.
    let later = try #require(Self.replay(Self.history(failures: 80), jumpAfter: 2))
    #expect(later.center == Self.b && later.left == [Self.a])
    #expect(later.collapsesAtCenter >= 2)
  }

  @Test func anImprovementResetsTheCount() throws {
    // A collapse, an improvement one change from A, a collapse: no move.
    var h = Self.history(failures: 14)
    var better = Self.a
    better[15] = 1
    h.append((better, -1))
    h += (0..<13).map { k in
      var x = better
      x[k] = 2
      return (x, 1)
    }
    let r = try #require(Self.replay(h, jumpAfter: 2))
    #expect(r.center == better && r.collapsesAtCenter == 1 && r.left.isEmpty)
  }

  /// Through the sampler: on a constant objective over 12 bits the region
  /// moves once its second collapse comes, and the next proposals stay
  /// within the radius of the new incumbent.
  @Test func theSamplerProposesAroundTheNewIncumbent() throws {
    var sampler = TrustRegionTests.fast
    sampler.jumpAfter = 2
    let bits = try SearchSpace((0..<12).map { ("b\($0)", Distribution.bool) })
    let study = try Study(sampler: sampler, searchSpace: bits, seed: 3)
    try study.optimize(trials: 70) { _ in 1 }
    let all = try study.trials
    let configurations = History(space: bits, trials: all, direction: .minimize).observed.map(
      \.configuration)
    var moved = false
    for n in 11..<all.count {
      let r = try #require(
        sampler.region(space: bits, trials: Array(all.prefix(n)), direction: .minimize))
      guard !r.left.isEmpty else { continue }
      moved = true
      #expect(r.center != configurations[0])
      #expect(TrustRegionSampler.distance(configurations[n], r.center) <= r.ball)
    }
    #expect(moved, "the region must have moved within 70 trials")
  }

  /// A space with a windowed parameter restarts on collapse (it never
  /// regrows), so the option changes nothing there.
  @Test func aWindowedSpaceIsUnchanged() throws {
    let space = try SearchSpace([("x", .continuous(low: 0, high: 1)), ("b", .bool)])
    let study = try Study(sampler: TrustRegionTests.fast, searchSpace: space, seed: 2)
    try study.optimize(trials: 40) { _ in 1 }
    let all = try study.trials
    var jumping = TrustRegionTests.fast
    jumping.jumpAfter = 1
    var collapsed = false
    for n in 11...all.count {
      let prefix = Array(all.prefix(n))
      let plain = TrustRegionTests.fast.region(space: space, trials: prefix, direction: .minimize)
      let other = jumping.region(space: space, trials: prefix, direction: .minimize)
      #expect(plain == other)
      if plain?.collapsed == true { collapsed = true }
    }
    #expect(collapsed, "the continuous region must collapse within 40 trials")
  }

  @Test func theSpecTakesACount() throws {
    try TrustRegionSpecTests.expectOption(
      "jump_after", \.jumpAfter, absent: nil, accepted: [("2", 2), ("0", nil)],
      rejected: ["-1", "1.5", "often"])
  }
}
