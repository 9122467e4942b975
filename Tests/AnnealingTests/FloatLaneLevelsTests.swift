import CFloatLanes
import Foundation
import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// The C sweeps (Sources/CFloatLanes/lanes.c) against the Swift ones.
///
/// At every instruction-set level from AVX2 on that this machine runs
/// (level 0 runs the Swift sweeps), and the rules' values at every level,
/// against the Swift code, bit for bit:
/// spins, fields, energies and the generator's state after sweeps at hot,
/// middle and cold β, both rules, with refreshes between. The sampler's
/// statistical tests (Boltzmann frequencies, the lanes' law, the same
/// samples at 1, 2 and 7 threads in ThinnedLanes-, FloatPackedAnnealing-
/// and ColourClassTests) run the best level; equality carries them to the
/// others, so a seed gives the same samples on any machine.
@Suite struct FloatLaneLevelsTests {
  static var levels: [Int32] { Array(0...FloatPackedSystem.bestLevel) }
  /// The levels at which the sweeps call C (level 0 runs the Swift sweep).
  static var nativeLevels: [Int32] { Array(Self.levels.dropFirst()) }

  static let betas = [0.05, 0.4, 1.5, 6.0]

  /// A fixed ±1 pattern for lane `lane` of spin `i`.
  static func spin(_ i: Int, _ lane: Int) -> Double {
    (i &* 7 &+ lane &* 3) % 5 < 2 ? -1 : 1
  }

  /// Exact equality of two lanes' Floats (bit patterns, so −0 ≠ 0).
  static func same(_ a: FloatLanes, _ b: FloatLanes) -> Bool {
    unsafeBitCast(a, to: SIMD8<UInt32>.self) == unsafeBitCast(b, to: SIMD8<UInt32>.self)
  }

  /// The level this CPU should get, from /proc/cpuinfo's flags (nil off
  /// Linux): AVX-512 F and VL give 2, AVX2 gives 1.
  static func expectedLevel() -> Int32? {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return nil }
    let flags = Set(line.split(separator: " ").map(String.init))
    if flags.contains("avx512f") && flags.contains("avx512vl") && flags.contains("avx2") {
      return 2
    }
    return flags.contains("avx2") ? 1 : 0
  }

  @Test func bestLevelFollowsTheCPU() throws {
    #expect((0...2).contains(FloatPackedSystem.bestLevel))
    #if arch(x86_64)
      let expected = try #require(Self.expectedLevel())
      #expect(FloatPackedSystem.bestLevel == expected)
    #else
      #expect(FloatPackedSystem.bestLevel == 0)
    #endif
  }

  /// p_k and p̄_k over x ∈ [−45, 45] in steps of about 7·10⁻⁴ (and ±0,
  /// 40), every level against the Swift rules, bit for bit: fused
  /// multiply-adds (the pragma in lanes.c) would change the polynomial's
  /// last bits, which the sweeps' results show only rarely. (The suite runs
  /// unoptimised, where clang fuses nothing; `swift test -c release
  /// -Xswiftc -enable-testing` shows the difference.)
  @Test(arguments: Acceptance.allCases)
  func laneValuesMatchSwift(_ acceptance: Acceptance) {
    let rule: Int32 = acceptance == .metropolis ? 0 : 1
    var mismatches = 0
    var checked = 0
    var x = FloatLanes(repeating: 0)
    var p = FloatLanes(repeating: 0)
    var pb = FloatLanes(repeating: 0)
    for level in Self.levels {
      for step in 0..<16_400 {
        for l in 0..<8 { x[l] = Float(-45 + Double(step * 8 + l) * 0.000_686) }
        if step == 0 { x = FloatLanes(0, -0.0, 40, -40, 1, -1, 0x1p-30, -0x1p-30) }
        withUnsafeBytes(of: x) { xs in
          withUnsafeMutableBytes(of: &p) { ps in
            withUnsafeMutableBytes(of: &pb) { bs in
              cfl_lane_values(
                level, rule, xs.baseAddress!.assumingMemoryBound(to: Float.self),
                ps.baseAddress!.assumingMemoryBound(to: Float.self),
                bs.baseAddress!.assumingMemoryBound(to: Float.self))
            }
          }
        }
        let (swiftP, swiftBound) =
          acceptance == .metropolis
          ? (MetropolisLanes.probability(x), MetropolisLanes.bound(x))
          : (GibbsLanes.probability(x), GibbsLanes.bound(x))
        if !Self.same(p, swiftP) || !Self.same(pb, swiftBound) { mismatches += 1 }
        checked += 1
      }
    }
    #expect(checked == 16_400 * Self.levels.count)
    #expect(mismatches == 0, "\(mismatches) groups of eight differ")
  }

  @Test(arguments: [(300, 8), (120, 30)])
  func packSweepMatchesSwift(_ n: Int, _ degree: Int) {
    let model = FloatPackedAnnealingTests.gaussian(n: n, degree: degree, seed: 41)
    let buffers = ProblemBuffers(IsingProblem(model))
    #expect(buffers.floatPacks)
    for level in Self.nativeLevels {
      var native = FloatPackedSystem(buffers) { lane, s in
        for i in 0..<n { s[i] = Self.spin(i, lane) }
      }
      var swift = FloatPackedSystem(buffers) { lane, s in
        for i in 0..<n { s[i] = Self.spin(i, lane) }
      }
      defer {
        native.deallocate()
        swift.deallocate()
      }
      native.level = level
      var g1 = Xoshiro256PlusPlus(seed: 77)
      var g2 = g1
      var flips = 0
      for (k, beta) in Self.betas.enumerated() {
        native.prepare(beta: beta)
        swift.prepare(beta: beta)
        for sweep in 0..<5 {
          let before = (0..<n).map { native.s[$0] }
          if (k + sweep) % 2 == 0 {
            native.sweep(MetropolisLanes.self, rng: &g1)
            swift.sweep(MetropolisLanes.self, PackedSkipping.self, rng: &g2)
          } else {
            native.sweep(GibbsLanes.self, rng: &g1)
            swift.sweep(GibbsLanes.self, PackedSkipping.self, rng: &g2)
          }
          for i in 0..<n {
            flips += (0..<8).filter { before[i][$0] != native.s[i][$0] }.count
          }
          let spins = (0..<n).allSatisfy { Self.same(native.s[$0], swift.s[$0]) }
          let fields = (0..<n).allSatisfy { Self.same(native.f[$0], swift.f[$0]) }
          #expect(spins && fields, "level \(level) β \(beta) sweep \(sweep)")
          #expect(native.energy == swift.energy, "level \(level) β \(beta) sweep \(sweep)")
          var a = g1
          var b = g2
          #expect(a.next() == b.next() && a.next() == b.next(), "level \(level) β \(beta)")
        }
        native.refresh()
        swift.refresh()
      }
      #expect(flips > 10 * n, "level \(level): \(flips) flips")
    }
  }

  @Test(arguments: [(300, 8), (120, 30)])
  func colourSweepMatchesSwift(_ n: Int, _ degree: Int) {
    let model = FloatPackedAnnealingTests.gaussian(n: n, degree: degree, seed: 43)
    let buffers = ProblemBuffers(IsingProblem(model))
    let layout = ColourLayout(buffers)
    let slots = layout.slots + ColourLayout.width
    for level in Self.nativeLevels {
      var native = ColourSystem(layout) { s in for i in 0..<n { s[i] = Self.spin(i, 1) } }
      var swift = ColourSystem(layout) { s in for i in 0..<n { s[i] = Self.spin(i, 1) } }
      defer {
        native.deallocate()
        swift.deallocate()
      }
      native.level = level
      var g1 = Xoshiro256PlusPlus(seed: 78)
      var g2 = g1
      var flips = 0
      for (k, beta) in Self.betas.enumerated() {
        native.prepare(beta: beta)
        swift.prepare(beta: beta)
        for sweep in 0..<5 {
          let before = (0..<slots).map { native.s[$0] }
          if (k + sweep) % 2 == 0 {
            native.sweep(MetropolisLanes.self, rng: &g1)
            swift.referenceSweep(MetropolisLanes.self, rng: &g2)
          } else {
            native.sweep(GibbsLanes.self, rng: &g1)
            swift.referenceSweep(GibbsLanes.self, rng: &g2)
          }
          flips += (0..<slots).filter { before[$0] != native.s[$0] }.count
          let spins = (0..<slots).allSatisfy {
            native.s[$0].bitPattern == swift.s[$0].bitPattern
          }
          let fields = (0..<slots).allSatisfy {
            native.f[$0].bitPattern == swift.f[$0].bitPattern
          }
          #expect(spins && fields, "level \(level) β \(beta) sweep \(sweep)")
          #expect(native.energy == swift.energy, "level \(level) β \(beta) sweep \(sweep)")
          var a = g1
          var b = g2
          #expect(a.next() == b.next() && a.next() == b.next(), "level \(level) β \(beta)")
        }
        native.refresh()
        swift.refresh()
      }
      #expect(flips > n, "level \(level): \(flips) flips")
    }
  }
}
