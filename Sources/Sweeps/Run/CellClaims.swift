/// A cell store that hands out cells to workers one at a time, for workers
/// on many processes or machines that share one sweep without a fixed
/// partition (`SweepRunner` claims from it instead of taking k mod N).
public protocol CellClaims: CellStore {
  /// Claims the first of `keys` that no worker has claimed or finished, so
  /// no other caller gets it; `nil` when none is left.
  func claim(among keys: [String]) throws -> String?
}
