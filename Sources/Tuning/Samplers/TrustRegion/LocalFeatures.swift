// What the trust-region surrogate is fitted on, and how it becomes a QUBO.
//
// A parameter whose values the adaptive grid shows all (a boolean, a
// categorical, a short integer range) is seen through its bits, as a
// factorization machine over bits sees it. A windowed parameter (a long
// integer range, a fine grid, a continuous float: LocalGrid.swift) is seen
// through two real features of its position on the whole range,
//
//     d = (index − incumbent's index) / (values − 1),   d²,
//
// so the model is smooth in it: one curvature instead of a separate
// coefficient per level, and every observation enters at its exact value,
// not snapped to the nearest level of a window it may lie far outside
// (what the bits of a one-hot window did, and why proposals stalled on the
// smooth continuous benchmark; docs/tuning.md).
//
// The model is still a QUBO over the grid's bits. A windowed parameter is
// one-hot over its levels, so each of its features is linear in those bits,
// φ_i = Σ_b M_ib x_b (M_ib the feature's value at bit b's level), and a
// factorization machine over features,
//
//     f = w₀ + Σ_i w_i φ_i + Σ_{i<j} ⟨v_i, v_j⟩ φ_i φ_j,
//
// is, on every valid pattern (one hot bit per parameter), the QUBO with
// bit factors e_b = Σ_i M_ib v_i, pairs ⟨e_b, e_c⟩ between bits of
// different parameters (bits of one parameter are never on together), and
// linear terms a_b = Σ_i M_ib w_i + ½(‖e_b‖² − Σ_i M_ib² ‖v_i‖²) (the pairs
// of features of one parameter, at x_b² = x_b). For a parameter seen
// through its bits, M is the identity and this is the plain FM-to-QUBO
// map of FMQA.

/// The features of a local grid: bits for parameters shown whole, `(d, d²)`
/// for windowed ones.
struct LocalFeatures {
  /// For each parameter, its features' indices.
  let features: [[Int]]
  /// For each parameter, whether it is windowed (seen through `d`, `d²`).
  let windowed: [Bool]
  /// The number of features.
  let count: Int
  let grid: LocalGrid
  let encoded: BitEncoding
  /// Each windowed parameter's number of values less one (the scale of `d`).
  let spans: [Double]
  /// The incumbent's full index of each parameter.
  let center: [Int]

  init(grid: LocalGrid, encoded: BitEncoding, full: SearchSpace) {
    var features: [[Int]] = []
    var windowed: [Bool] = []
    var next = 0
    for k in grid.levels.indices {
      let shownWhole = grid.levels[k].count == full.radices[k]
      let oneHot = encoded.encodings[k] == .oneHot
      if shownWhole || !oneHot {
        let width = encoded.positions[k].count
        features.append(Array(next..<(next + width)))
        windowed.append(false)
        next += width
      } else {
        features.append([next, next + 1])
        windowed.append(true)
        next += 2
      }
    }
    self.features = features
    self.windowed = windowed
    count = next
    self.grid = grid
    self.encoded = encoded
    spans = full.radices.map { Double(max(1, $0 - 1)) }
    center = grid.full(grid.centerLevels)
  }

  /// The sparse feature row of a configuration of the full space (exact:
  /// a windowed parameter enters at its own value, not its level's).
  func row(full configuration: [Int]) -> [(Int, Double)] {
    var out: [(Int, Double)] = []
    let local = grid.local(configuration)
    for k in features.indices {
      if windowed[k] {
        let d = Double(configuration[k] - center[k]) / spans[k]
        out.append((features[k][0], d))
        out.append((features[k][1], d * d))
      } else {
        let bits = encoded.bitsOfParameter(k, local[k])
        for (j, b) in bits.enumerated() where b != 0 { out.append((features[k][j], 1)) }
      }
    }
    return out
  }

  /// The QUBO over the grid's bits that equals `model` at every valid
  /// pattern (see the file comment).
  func surrogate(_ model: FactorizedModel) -> QuadraticSurrogate {
    let n = encoded.bitCount
    var out = QuadraticSurrogate(bits: n)
    out.offset = model.offset
    let rank = model.factors.first?.count ?? 0
    var e = [[Double]](repeating: [Double](repeating: 0, count: rank), count: n)
    var owner = [Int](repeating: -1, count: n)
    for k in features.indices {
      let positions = encoded.positions[k]
      for (j, b) in positions.enumerated() {
        owner[b] = k
        // The features' values at bit b's level (windowed) or the bit itself.
        var m: [(Int, Double)] = []
        if windowed[k] {
          let d = Double(grid.levels[k][j] - center[k]) / spans[k]
          m = [(features[k][0], d), (features[k][1], d * d)]
        } else {
          m = [(features[k][j], 1)]
        }
        var a = 0.0
        var own = 0.0
        for (i, x) in m {
          a += model.linear[i] * x
          var norm = 0.0
          for t in 0..<rank {
            e[b][t] += x * model.factors[i][t]
            norm += model.factors[i][t] * model.factors[i][t]
          }
          own += x * x * norm
        }
        let eb = e[b].reduce(0) { $0 + $1 * $1 }
        out.linear[b] = a + 0.5 * (eb - own)
      }
    }
    for b in 0..<n {
      for c in (b + 1)..<n where owner[b] != owner[c] {
        var dot = 0.0
        for t in 0..<rank { dot += e[b][t] * e[c][t] }
        out.pairs[b][c - b - 1] = dot
      }
    }
    return out
  }
}

extension LocalFeatures {
  /// Per observation, a noise multiplier that localises the fit to the
  /// windows: `1 + Σ_k (d_k / h_k)²` over the windowed parameters, `d_k`
  /// the observation's position relative to the incumbent and `h_k` the
  /// window's half-width (both as fractions of the range). 1 for every
  /// observation when no parameter is windowed, so spaces of bits and
  /// short ranges are fitted as before. A quadratic is a good model of a
  /// smooth function only near its minimum; the observations far from the
  /// incumbent would otherwise pull the fit there (the stall on the
  /// smooth benchmark, issue 17, third round).
  func windowNoise(full configurations: [[Int]]) -> [Double] {
    var halves: [Double] = []
    var ks: [Int] = []
    for k in windowed.indices where windowed[k] {
      guard let lo = grid.levels[k].first, let hi = grid.levels[k].last, hi > lo else { continue }
      ks.append(k)
      halves.append(Double(hi - lo) / 2 / spans[k])
    }
    return configurations.map { c in
      var s = 1.0
      for (k, h) in zip(ks, halves) {
        let d = Double(c[k] - center[k]) / spans[k] / h
        s += d * d
      }
      return s
    }
  }

  /// Each bit's features and their values at the bit's level (a windowed
  /// parameter's `d`, `d²`; otherwise the bit itself, value 1).
  func bitFeatures() -> [[(Int, Double)]] {
    var out = [[(Int, Double)]](repeating: [], count: encoded.bitCount)
    for k in features.indices {
      for (j, b) in encoded.positions[k].enumerated() {
        if windowed[k] {
          let d = Double(grid.levels[k][j] - center[k]) / spans[k]
          out[b] = [(features[k][0], d), (features[k][1], d * d)]
        } else {
          out[b] = [(features[k][j], 1)]
        }
      }
    }
    return out
  }

  /// The QUBO over the grid's bits that equals the feature quadratic `q` at
  /// every valid pattern: a bit's linear term collects its features'
  /// linear terms and the pairs among them (x_b² = x_b); a pair of bits of
  /// different parameters collects the pairs between their features.
  func surrogate(_ q: FeatureQuadratic) -> QuadraticSurrogate {
    let n = encoded.bitCount
    var out = QuadraticSurrogate(bits: n)
    out.offset = q.offset
    let m = bitFeatures()
    var owner = [Int](repeating: -1, count: n)
    for k in features.indices {
      for b in encoded.positions[k] { owner[b] = k }
    }
    for b in 0..<n {
      var a = 0.0
      for (s, (i, x)) in m[b].enumerated() {
        a += q.linear[i] * x
        for (j, y) in m[b][(s + 1)...] where i != j { a += q.pair(i, j) * x * y }
      }
      out.linear[b] = a
      for c in (b + 1)..<n where owner[b] != owner[c] {
        var v = 0.0
        for (i, x) in m[b] {
          for (j, y) in m[c] where i != j { v += q.pair(i, j) * x * y }
        }
        out.pairs[b][c - b - 1] = v
      }
    }
    return out
  }
}

extension BitEncoding {
  /// The canonical bits of parameter `k` at index `value`, in its bit order.
  func bitsOfParameter(_ k: Int, _ value: Int) -> [Int8] {
    pattern(k, value) ?? []
  }
}
