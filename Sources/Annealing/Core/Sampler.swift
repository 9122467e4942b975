import Dispatch
import QUBOModel

/// A sampler: one required method on the frozen spin problem; the model,
/// Ising and QUBO entry points come from a protocol extension.
///
/// `sample(_:using:)` returns a `SampleSet` over the dense variables
/// `0..<numSpins` in spin form, with energies of the `IsingProblem`, and puts
/// `spin_updates` (proposed single-spin flips) in `info`. Randomness comes
/// only from `rng`, so a seeded generator reproduces the result exactly.
public protocol Sampler: Sendable {
  /// Samples `problem`; rows are spin states over `0..<problem.numSpins`.
  func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet
}

extension Sampler {
  /// Samples a model: freezes it, runs the kernel, and maps the rows back to
  /// the model's labels and vartype with energies recomputed from the model.
  ///
  /// `info["sample_seconds"]` holds the wall-clock time of the kernel.
  public func sample<G: RandomNumberGenerator>(
    _ model: BinaryQuadraticModel, using rng: inout G
  ) throws -> SampleSet {
    let problem = IsingProblem(model)
    return try sample(problem, of: model, using: &rng)
  }

  /// Samples an already frozen `problem` of `model` (the CLI freezes once to
  /// time it) and maps the rows back to the model.
  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, of model: BinaryQuadraticModel, using rng: inout G
  ) throws -> SampleSet {
    let t0 = DispatchTime.now().uptimeNanoseconds
    let dense = try sample(problem, using: &rng)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    var out = SampleSet(
      variables: model.variables, vartype: .spin, samples: dense.samples,
      energies: dense.energies, occurrences: dense.occurrences, info: dense.info
    ).changingVartype(to: model.vartype)
    out.recomputeEnergies(model)
    if out.info["sample_seconds"] == nil { out.info["sample_seconds"] = .double(seconds) }
    return out
  }

  /// Samples a model with a generator seeded by `seed`.
  public func sample(_ model: BinaryQuadraticModel, seed: UInt64) throws -> SampleSet {
    var rng = SplitMix64(seed: seed)
    return try sample(model, using: &rng)
  }

  /// Samples the Ising model `h`, `J` (labels are the dictionary keys).
  public func sampleIsing<G: RandomNumberGenerator>(
    h: [Label: Double], J: [Pair: Double], using rng: inout G
  ) throws -> SampleSet {
    try sample(BinaryQuadraticModel(vartype: .spin, linear: h, quadratic: J), using: &rng)
  }

  /// Samples the QUBO `Q` (diagonal entries are linear biases).
  public func sampleQUBO<G: RandomNumberGenerator>(
    _ Q: [Pair: Double], using rng: inout G
  ) throws -> SampleSet {
    try sample(BinaryQuadraticModel(vartype: .binary, linear: [:], quadratic: Q), using: &rng)
  }
}

/// A pair of labels, the key of a quadratic bias in dictionary form.
public struct Pair: Hashable, Sendable {
  public var u: Label
  public var v: Label
  public init(_ u: Label, _ v: Label) {
    self.u = u
    self.v = v
  }
}

extension BinaryQuadraticModel {
  /// A model from dictionaries; keys of `linear` come first, in sorted order,
  /// then any new labels of `quadratic`.
  public init(vartype: Vartype, linear: [Label: Double], quadratic: [Pair: Double]) {
    self.init(vartype: vartype)
    for label in linear.keys.sorted() { addLinear(label, linear[label] ?? 0) }
    for pair in quadratic.keys.sorted(by: { ($0.u, $0.v) < ($1.u, $1.v) }) {
      addQuadratic(pair.u, pair.v, quadratic[pair] ?? 0)
    }
  }
}

/// Errors every sampler may throw for bad parameters or models.
public struct SamplerError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}
