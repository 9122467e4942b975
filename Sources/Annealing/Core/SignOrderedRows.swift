/// Walks the rows of a CSR model with each row's non-negative couplings
/// first and its negative ones after, each group in its stored order: the
/// layout SA's split rows (`SignedRows`) and the path-integral kernel's
/// edges share, so that a ±c update adds c·d over the first part of a row
/// and subtracts it over the rest.
///
/// - Parameters:
///   - n: the number of rows.
///   - rowStart: row i's edges are `rowStart(i) ..< rowStart(i + 1)`.
///   - isNegative: whether source edge k's coupling is negative.
///   - place: called with (e, k): source edge k goes to position e.
///   - split: called with (i, e): row i's negative couplings begin at e.
@inline(__always)
func forEachEdgeSignFirst(
  rows n: Int, rowStart: (Int) -> Int, isNegative: (Int) -> Bool,
  place: (_ e: Int, _ k: Int) -> Void, split: (_ i: Int, _ e: Int) -> Void
) {
  var e = 0
  for i in 0..<n {
    let row = rowStart(i)..<rowStart(i + 1)
    for k in row where !isNegative(k) {
      place(e, k)
      e += 1
    }
    split(i, e)
    for k in row where isNegative(k) {
      place(e, k)
      e += 1
    }
  }
}
