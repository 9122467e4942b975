import Annealing
import Foundation
import Testing

@testable import Sweeps

@Suite struct StatisticsTests {
  func close(_ a: Double, _ b: Double, _ tol: Double = 1e-9) -> Bool {
    abs(a - b) <= tol * max(1, abs(b))
  }

  @Test func wilsonMatchesHandValues() {
    let half = SuccessProbability(successes: 5, reads: 10)
    #expect(close(half.estimate, 0.5))
    #expect(close(half.lower, 0.236_589_593_615_487_3))
    #expect(close(half.upper, 0.763_410_406_384_512_6))
    let none = SuccessProbability(successes: 0, reads: 10)
    #expect(none.lower == 0)
    // z²/(n + z²) with z = 1.96, n = 10.
    #expect(close(none.upper, 3.8416 / 13.8416))
    let all = SuccessProbability(successes: 10, reads: 10)
    #expect(all.upper == 1)
    #expect(close(all.lower, 1 - 3.8416 / 13.8416))
  }

  @Test func ttsPointValues() {
    #expect(close(TimeToSolution.tts99(tRead: 2, p: 0.5), 2 * log(0.01) / log(0.5)))
    #expect(close(TimeToSolution.tts99(tRead: 2, p: 0.5), 13.287_712_379_549_449))
    #expect(TimeToSolution.tts99(tRead: 2, p: 0).isInfinite)
    #expect(TimeToSolution.tts99(tRead: 2, p: 1) == 2)
    // p ≥ 0.99 still needs one read.
    #expect(TimeToSolution.tts99(tRead: 2, p: 0.995) == 2)
  }

  @Test func ttsAtPZeroIsInfiniteWithWilsonLowerBound() {
    var rng = SplitMix64(seed: 1)
    let t = TimeToSolution(successes: 0, reads: 10, tRead: 2, using: &rng)
    #expect(t.value.isInfinite)
    #expect(t.upper.isInfinite)
    #expect(close(t.lower, 28.331_361_831_219_92))
  }

  @Test func ttsAtPOneIsOneRead() {
    var rng = SplitMix64(seed: 1)
    let t = TimeToSolution(successes: 10, reads: 10, tRead: 2, using: &rng)
    #expect(t.value == 2)
    #expect(t.lower == 2)
    #expect(close(t.upper, 7.185_532_121_284_016))
  }

  @Test func ttsBootstrapIsSeededAndBracketsThePoint() {
    var a = SplitMix64(seed: 9)
    var b = SplitMix64(seed: 9)
    let x = TimeToSolution(successes: 30, reads: 100, tRead: 1, using: &a)
    let y = TimeToSolution(successes: 30, reads: 100, tRead: 1, using: &b)
    #expect(x == y)
    #expect(x.lower < x.value && x.value < x.upper)
    // p = 0.3 → 12.9 reads; the 95% interval on p of about ±0.09 maps to
    // roughly 9.7 … 19 reads.
    #expect(x.lower > 8 && x.lower < 11.5)
    #expect(x.upper > 16 && x.upper < 23)
  }

  @Test func cellStatisticsFromEnergies() {
    let s = CellStatistics(
      energies: [-10, -10, -8, -7], target: -10, tRead: 0.5, spinUpdates: 4000, seconds: 2)
    #expect(s.success.successes == 2)
    #expect(close(s.residualMean, 5.0 / 4))
    #expect(s.residualBest == 0)
    #expect(s.throughput == 2000)
    #expect(close(s.tts99.value, 0.5 * log(0.01) / log(0.5)))
  }

  @Test func quantilesInterpolateAndHandleInfinity() {
    #expect(Quantile.of([4, 1, 3, 2], 0.5) == 2.5)
    #expect(Quantile.of([1, 2, 3, 4, 5], 0.25) == 2)
    #expect(Quantile.of([1, 2, .infinity], 0.5) == 2)
    #expect(Quantile.of([1, 2, .infinity], 0.75).isInfinite)
    #expect(Quantile.of([], 0.5).isNaN)
  }

  @Test func quantileIntervalIsSeeded() {
    let values: [Double] = (1...21).map(Double.init)
    var a = SplitMix64(seed: 3)
    var b = SplitMix64(seed: 3)
    let x = Quantile.withInterval(values, 0.5, using: &a)
    let y = Quantile.withInterval(values, 0.5, using: &b)
    #expect(x == y)
    #expect(x.value == 11)
    #expect(x.lower < 11 && x.upper > 11 && x.lower >= 1 && x.upper <= 21)
  }

  @Test func optimalTTSIsTheMinimumOverTheGrid() {
    // Point 10: median 5; point 100: median 3; point 1000: median 4.
    let byPoint: [Int: [Double]] = [10: [1, 5, 9], 100: [3, 3, 30], 1000: [4, 4, 4]]
    var rng = SplitMix64(seed: 1)
    let best = InstanceSetStatistics.optimal(byPoint, using: &rng)
    #expect(best?.point == 100)
    #expect(best?.tts.value == 3)
  }

  @Test func speedUps() {
    let slow: [Double] = [10, 20, 40]
    let fast: [Double] = [5, 20, 4]
    // Medians 20 and 5 → 4; per-instance ratios 2, 1, 10 → median 2.
    #expect(InstanceSetStatistics.ratioOfQuantiles(slow: slow, fast: fast, quantile: 0.5) == 4)
    #expect(InstanceSetStatistics.quantileOfRatios(slow: slow, fast: fast, quantile: 0.5) == 2)
    #expect(
      InstanceSetStatistics.quantileOfRatios(
        slow: [.infinity, 2], fast: [1, 1], quantile: 1
      ).isInfinite)
  }
}
