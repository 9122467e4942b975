import Testing

/// Expects the analytic gradient of `f` at `theta` to equal its central
/// differences (step 10⁻⁵) to 10⁻⁵ of the slope (of 1 below it): the
/// kernel fits' objectives (WeightedHammingTests, OrderedGPTests).
func expectGradientIsTheSlope(
  _ f: ([Double]) -> (value: Double, gradient: [Double]), at theta: [Double],
  _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
  let gradient = f(theta).gradient
  for i in theta.indices {
    let h = 1e-5
    var up = theta
    var down = theta
    up[i] += h
    down[i] -= h
    let slope = (f(up).value - f(down).value) / (2 * h)
    #expect(
      abs(slope - gradient[i]) < 1e-5 * max(1, abs(slope)),
      "\(context)θ_\(i): \(slope) vs \(gradient[i])", sourceLocation: sourceLocation)
  }
}
