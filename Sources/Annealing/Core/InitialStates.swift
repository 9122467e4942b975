import QUBOModel

/// Checks and hands out the initial states a sampler was given.
///
/// Rows are spins (±1), row-major, `n` per row; read `r` starts from row
/// `r % rows`. The caller's array is only read.
struct InitialStates: Sendable {
  let values: [Int8]
  let n: Int

  /// Validates `values` for a problem of `n` spins.
  init?(_ values: [Int8]?, numSpins n: Int) throws {
    guard let values else { return nil }
    guard !values.isEmpty, n > 0, values.count % n == 0 else {
      throw SamplerError(
        "initial states must be whole rows of \(n) spins; got \(values.count) values")
    }
    guard values.allSatisfy({ $0 == 1 || $0 == -1 }) else {
      throw SamplerError("initial states must be spins (±1)")
    }
    self.values = values
    self.n = n
  }

  /// The number of rows.
  var rows: Int { values.count / n }

  /// The row read `r` starts from.
  func row(forRead r: Int) -> ArraySlice<Int8> {
    let row = r % rows
    return values[(row * n)..<((row + 1) * n)]
  }
}

extension InitialStates? {
  /// Fills `s` with read `r`'s start: the given row, or uniform random spins.
  func fill<G: RandomNumberGenerator>(
    _ s: UnsafeMutablePointer<Double>, n: Int, read r: Int, rng: inout G
  ) {
    if let self {
      let row = self.row(forRead: r)
      var i = 0
      for v in row {
        s[i] = Double(v)
        i += 1
      }
    } else {
      for i in 0..<n { s[i] = rng.next() & 1 == 0 ? -1 : 1 }
    }
  }
}
