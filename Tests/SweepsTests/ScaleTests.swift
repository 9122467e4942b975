import Foundation
import Testing

@testable import Plots

/// Tick labels: distinct, one format per axis, minor ticks on log axes.
@Suite struct ScaleTests {
  @Test func largeLinearTicksAreDistinctAndAlike() {
    let s = Scale(kind: .linear, values: [1.0e6, 2.6e6], range: (0, 500))
    let labels = s.ticks().map(\.label)
    #expect(Set(labels).count == labels.count, "\(labels)")
    #expect(labels.contains("1.5×10⁶"), "\(labels)")
    #expect(labels.allSatisfy { $0 == "0" || $0.hasSuffix("×10⁶") })
  }

  @Test func smallLinearTicksShareTheirDecimals() {
    let s = Scale(kind: .linear, values: [0, 1.2], range: (0, 500))
    #expect(s.ticks().map(\.label) == ["0.0", "0.5", "1.0", "1.5"])
    let t = Scale(kind: .linear, values: [0.1, 0.3], range: (0, 500))
    #expect(t.ticks().map(\.label) == ["0.10", "0.15", "0.20", "0.25", "0.30"])
  }

  @Test func logTicksUseOneFormat() {
    let plain = Scale(kind: .log, values: [1, 9000], range: (0, 500)).ticks().map(\.label)
    #expect(plain == ["1", "10", "100", "1000", "10000"])
    let powers = Scale(kind: .log, values: [100, 3e6], range: (0, 500)).ticks().map(\.label)
    #expect(powers == ["10²", "10³", "10⁴", "10⁵", "10⁶", "10⁷"])
    let narrow = Scale(kind: .log, values: [2e5, 3e6], range: (0, 500)).ticks().map(\.label)
    #expect(narrow.contains("2×10⁵") && narrow.contains("10⁶"))
  }

  @Test func logAxesHaveMinorTicks() {
    let s = Scale(kind: .log, values: [1, 100], range: (0, 500))
    let minor = s.minorTicks()
    #expect(minor.contains(3) && minor.contains(30) && !minor.contains(10))
    #expect(!minor.contains(2) && !minor.contains(5))
    #expect(Scale(kind: .linear, values: [1, 100], range: (0, 500)).minorTicks().isEmpty)
  }

  @Test func oneDecadeIsEnoughForALogAxis() {
    #expect(Scale.spansDecades([3, 40]))
    #expect(!Scale.spansDecades([3, 20]))
  }
}
