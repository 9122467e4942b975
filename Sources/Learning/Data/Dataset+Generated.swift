import Annealing

// A classification problem generated the way scikit-learn's
// make_classification does (Guyon 2003, the NIPS feature-selection
// challenge's "madelon" design), so that a wide fan-in case ships as code,
// not as a file: each class owns `clustersPerClass` Gaussian clusters
// centred on distinct vertices of a hypercube of side 2·separation in the
// informative subspace, each cluster stretched by its own random matrix
// (entries uniform in [−1, 1]); redundant features are random linear
// combinations of the informative ones; the remaining features are
// standard normal noise; a share `flip` of the labels is replaced at
// random. Everything comes from one seeded Xoshiro256++ stream, so the
// same parameters give the same rows on every machine (not the same rows
// as scikit-learn, whose generator differs).

extension Dataset {
  /// The generated datasets, by name: `classification256` is 1,500 rows of
  /// 256 features (24 informative, 24 redundant, 208 noise), 4 classes of 2
  /// clusters each, separation 2, 1 % label noise, seed 256 (separation 1
  /// left a 32-unit network at 57 % test accuracy; 2 gives 82–85 %).
  public static func generated(_ name: String) throws -> Dataset? {
    switch name.lowercased() {
    case "classification256":
      return try classification(
        name: "classification256", samples: 1500, features: 256, informative: 24,
        redundant: 24, classes: 4, clustersPerClass: 2, separation: 2, flip: 0.01, seed: 256)
    default:
      return nil
    }
  }

  /// A make_classification-style problem (see the comment above).
  ///
  /// - Throws: `ShapeError` unless `informative + redundant <= features`,
  ///   `classes · clustersPerClass <= 2^informative`, and the counts are
  ///   positive.
  public static func classification(
    name: String, samples: Int, features: Int, informative: Int, redundant: Int, classes: Int,
    clustersPerClass: Int, separation: Double, flip: Double, seed: UInt64
  ) throws -> Dataset {
    let clusters = classes * clustersPerClass
    guard samples >= clusters, informative > 0, redundant >= 0, classes >= 2,
      clustersPerClass > 0, informative + redundant <= features, features <= 100_000,
      informative >= 62 || clusters <= 1 << informative, (0...1).contains(flip)
    else {
      throw ShapeError("classification: inconsistent parameters")
    }
    var rng = Xoshiro256PlusPlus(seed: seed)
    // Distinct hypercube vertices for the clusters (bits of a shuffled index).
    var vertexIndices = Set<Int>()
    while vertexIndices.count < clusters {
      vertexIndices.insert(Int.random(in: 0..<(1 << min(informative, 30)), using: &rng))
    }
    let vertices = vertexIndices.sorted()
    let stretch = (0..<clusters).map { _ in
      (0..<(informative * informative)).map { _ in Double.random(in: -1...1, using: &rng) }
    }
    let mix = (0..<(informative * redundant)).map { _ in Double.random(in: -1...1, using: &rng) }
    var x = [Double]()
    x.reserveCapacity(samples * features)
    var labels = [Int]()
    for r in 0..<samples {
      let cluster = r % clusters
      var z = (0..<informative).map { _ in SVMDatasets.gaussian(&rng) }
      var informativeRow = [Double](repeating: 0, count: informative)
      for i in 0..<informative {
        for k in 0..<informative { informativeRow[i] += stretch[cluster][i * informative + k] * z[k] }
        let bit = i < 30 ? (vertices[cluster] >> i) & 1 : 0
        informativeRow[i] += separation * (bit == 1 ? 1 : -1)
      }
      z = informativeRow
      x += z
      for j in 0..<redundant {
        var v = 0.0
        for i in 0..<informative { v += z[i] * mix[i * redundant + j] }
        x.append(v)
      }
      for _ in 0..<(features - informative - redundant) { x.append(SVMDatasets.gaussian(&rng)) }
      var label = cluster % classes
      if Double.random(in: 0..<1, using: &rng) < flip { label = Int.random(in: 0..<classes, using: &rng) }
      labels.append(label)
    }
    return try Dataset(
      name: name, features: x, labels: labels, featureCount: features,
      classNames: (0..<classes).map { "class\($0)" })
  }
}
