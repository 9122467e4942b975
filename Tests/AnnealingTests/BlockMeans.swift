// The mean of a chain's per-sweep counts and its standard error from block
// means: consecutive sweeps of one chain are correlated, blocks of many
// sweeps nearly are not.

/// Mean of `x` and the standard error of the means of its blocks of
/// `blockSize` values (the count must be a multiple of it).
func blockMeanAndError(_ x: [Double], blockSize: Int = 20) -> (mean: Double, error: Double) {
  precondition(x.count % blockSize == 0 && x.count >= 2 * blockSize)
  let blocks = stride(from: 0, to: x.count, by: blockSize).map {
    x[$0..<($0 + blockSize)].reduce(0, +) / Double(blockSize)
  }
  let mean = blocks.reduce(0, +) / Double(blocks.count)
  let variance =
    blocks.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(blocks.count - 1)
  return (mean, (variance / Double(blocks.count)).squareRoot())
}
