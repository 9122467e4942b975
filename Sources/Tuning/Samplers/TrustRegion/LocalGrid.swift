import QUBOEncoding

// The adaptive grid: how a search space is seen inside the trust region.
//
// A parameter with at most `levels` values keeps them all. A finer one (a
// long integer range, a float grid, a continuous float) is seen through
// `levels` values of its own grid, evenly spaced over a window around the
// incumbent's value that spans `resolution` of the range on each side —
// a quarter at first, halving as the region shrinks — so the resolution
// follows the search: coarse while the region is wide, fine where it has
// settled. The incumbent's value is always a level, so the incumbent is
// representable and the surrogate can compare its neighbours with it.
//
// Observed configurations are mapped to the nearest level (values outside
// the window to its ends), which is what the surrogate is fitted on.

/// A search space seen through at most `levels + 1` values per parameter
/// around a center configuration.
struct LocalGrid {
  /// For each parameter, the indices (into its full distribution) of the
  /// levels, ascending.
  let levels: [[Int]]
  /// The center's level of each parameter.
  let centerLevels: [Int]
  /// The local space: parameter `k` is an integer `0 ..< levels[k].count`.
  let space: SearchSpace

  /// The grid of `full` around `center` at `resolution` (see the file
  /// comment), at most `levels + 1` values per fine parameter.
  init(full: SearchSpace, center: [Int], resolution: Double, levels target: Int = 8) throws {
    var levels: [[Int]] = []
    var centers: [Int] = []
    var local: [(String, Distribution)] = []
    for (k, (name, d)) in zip(full.names, full.ordered).enumerated() {
      let radix = d.count
      let c = center[k]
      var ix: [Int]
      if radix <= target + 1 || !d.isOrdered {
        ix = Array(0..<radix)
      } else {
        let half = max(Double(target / 2), resolution * Double(radix - 1))
        let step = half / Double(target / 2)
        var set = Set<Int>()
        for j in -(target / 2)...(target / 2) {
          let v = Int((Double(c) + Double(j) * step).rounded())
          set.insert(min(max(v, 0), radix - 1))
        }
        ix = set.sorted()
      }
      levels.append(ix)
      centers.append(Self.nearest(c, in: ix))
      local.append((name, .integer(low: 0, high: ix.count - 1, step: 1)))
    }
    self.levels = levels
    centerLevels = centers
    space = try SearchSpace(local)
  }

  /// The position in `ix` of the value nearest to `index`.
  static func nearest(_ index: Int, in ix: [Int]) -> Int {
    var best = 0
    for (p, v) in ix.enumerated() where abs(v - index) < abs(ix[best] - index) { best = p }
    return best
  }

  /// The local configuration nearest to a full one.
  func local(_ full: [Int]) -> [Int] {
    zip(full, levels).map { Self.nearest($0, in: $1) }
  }

  /// The full configuration of a local one.
  func full(_ local: [Int]) -> [Int] {
    zip(local, levels).map { $1[$0] }
  }

  /// Whether every fine parameter keeps all its values (the grid is exact).
  var isExact: Bool { levels.allSatisfy { $0.count == $0.last.map { $0 + 1 } } }

  /// The encoding of each local parameter: one bit for two values, one-hot
  /// otherwise (at most `levels + 1` bits, never a blow-up).
  var encodings: [IntegerEncoding] {
    levels.map { $0.count <= 2 ? .binary : .oneHot }
  }
}
