import QUBOModel

// The `"noise"` key of a sampler configuration:
//
//   {"sampler": "sa", "reads": 100,
//    "noise": {"sigma_h": 0.02, "sigma_j": 0.03, "readout": 0.01}}
//
// Keys sigma_h, sigma_j (non-negative numbers, default 0), readout (a
// probability, default 0) and relative (default true; see `ControlNoise`).
// The configuration's reads, threads and time limit become the composite's:
// each of `reads` reads anneals its own perturbed problem once, with the
// child on one thread, so the result depends on the seed only.

extension SamplerConfiguration {
  /// The keys of a `"noise"` object.
  public static let noiseKeys = ["readout", "relative", "sigma_h", "sigma_j"]

  /// Reads a `"noise"` value; errors name the key `noise`.
  static func noise(from value: JSONValue) throws -> ControlNoise? {
    if value == .null { return nil }
    guard case .object(let fields) = value else {
      throw SamplerConfigurationError(
        key: "noise",
        "must be an object such as {\"sigma_h\": 0.02, \"sigma_j\": 0.03, \"readout\": 0.01}, "
          + "got \(value.serialized())")
    }
    var noise = ControlNoise()
    for (key, v) in fields.sorted(by: { $0.key < $1.key }) {
      switch key {
      case "sigma_h": noise.sigmaH = try number(v, key, min: 0, max: .infinity)
      case "sigma_j": noise.sigmaJ = try number(v, key, min: 0, max: .infinity)
      case "readout": noise.readout = try number(v, key, min: 0, max: 1)
      case "relative":
        guard case .bool(let b) = v else {
          throw SamplerConfigurationError(
            key: "noise", "key relative must be true or false, got \(v.serialized())")
        }
        noise.relative = b
      default:
        throw SamplerConfigurationError(
          key: "noise",
          "has no key \(key) (keys: \(noiseKeys.joined(separator: ", ")))")
      }
    }
    return noise
  }

  private static func number(
    _ v: JSONValue, _ key: String, min: Double, max: Double
  ) throws -> Double {
    let x: Double?
    switch v {
    case .int(let i): x = Double(i)
    case .double(let d): x = d
    case .null, .bool, .string, .array, .object: x = nil
    }
    guard let x, x.isFinite, x >= min, x <= max else {
      let range = max.isFinite ? "a number in [\(min), \(max)]" : "a finite number ≥ \(min)"
      throw SamplerConfigurationError(
        key: "noise", "key \(key) must be \(range), got \(v.serialized())")
    }
    return x
  }

  /// A `"noise"` object.
  static func json(_ noise: ControlNoise) -> JSONValue {
    .object([
      "sigma_h": .double(noise.sigmaH), "sigma_j": .double(noise.sigmaJ),
      "readout": .double(noise.readout), "relative": .bool(noise.relative),
    ])
  }

  /// The sampler under `noise`: the composite takes the configuration's
  /// read options; the child runs one read on one thread, without a limit.
  func noisySampler(_ noise: ControlNoise) -> any Sampler {
    var child = self
    child.noise = nil
    child.readOptions.reads = 1
    child.readOptions.threads = 1
    child.readOptions.control = SamplingControl()
    child.readOptions.initialStates = nil
    return Self.compose(child.plainSampler, noise: noise, options: readOptions)
  }

  private static func compose<S: Sampler>(
    _ child: S, noise: ControlNoise, options: ReadOptions
  ) -> any Sampler {
    NoiseComposite(child: child, noise: noise, options: options)
  }
}
