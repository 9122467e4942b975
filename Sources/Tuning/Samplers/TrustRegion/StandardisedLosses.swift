// The losses as the Gaussian processes of the trust-region sampler see
// them (HammingKernel, WeightedHamming, OrderedGP): centred on their mean
// and divided by their standard deviation (over n, not n − 1; 1 when the
// losses are all equal), so one prior on the kernel's scale fits every
// objective.

/// `losses` standardised: their mean, standard deviation and the
/// standardised values `(loss − mean) / scale`.
struct StandardisedLosses {
  let mean: Double
  let scale: Double
  let y: [Double]

  init(_ losses: [Double]) {
    let n = Double(losses.count)
    let ybar = losses.reduce(0, +) / n
    let variance = losses.reduce(0) { $0 + ($1 - ybar) * ($1 - ybar) } / n
    let s = variance > 0 ? variance.squareRoot() : 1
    mean = ybar
    scale = s
    y = losses.map { ($0 - ybar) / s }
  }
}
