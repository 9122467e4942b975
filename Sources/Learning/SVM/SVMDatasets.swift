import Annealing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Generated two-class problems for the SVM experiments.
public enum SVMDatasets {
  /// Two noisy concentric rings in the plane (radius 1 for class 0 and
  /// 0.5 for class 1, Gaussian noise of standard deviation `noise` on each
  /// coordinate), `count` points split evenly, from a seeded generator.
  ///
  /// Not linearly separable; an RBF kernel separates it up to the noise.
  /// The same seed gives the same points on every machine.
  public static func circles(count: Int = 400, noise: Double = 0.15, seed: UInt64 = 7) throws
    -> Dataset
  {
    guard count >= 2 && noise >= 0 else { throw ShapeError("circles parameters") }
    var rng = Xoshiro256PlusPlus(seed: seed)
    var features = [Double]()
    var labels = [Int]()
    for i in 0..<count {
      let label = i % 2
      let radius = label == 1 ? 0.5 : 1.0
      let t = Double.random(in: 0..<(2 * Double.pi), using: &rng)
      features.append(radius * cos(t) + noise * gaussian(&rng))
      features.append(radius * sin(t) + noise * gaussian(&rng))
      labels.append(label)
    }
    return try Dataset(
      name: "circles", features: features, labels: labels, featureCount: 2,
      classNames: ["outer", "inner"])
  }

  /// A standard normal deviate (Box–Muller).
  static func gaussian<G: RandomNumberGenerator>(_ rng: inout G) -> Double {
    let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
    let v = Double.random(in: 0..<1, using: &rng)
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }
}
