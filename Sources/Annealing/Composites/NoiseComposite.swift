import QUBOModel
import Synchronization

/// A composite that emulates an analog annealer's control errors: every
/// read samples a freshly perturbed copy of the problem with the child, then
/// reads the state out with bit-flip errors (`ControlNoise`).
///
/// Read `r` draws from `Xoshiro256PlusPlus(seed: seed, stream: r)`, `seed`
/// taken from the caller's generator: first the errors on h and J, then the
/// seed of the child's generator, then the read-out flips. So the same seed
/// gives the same samples at any thread count (the child runs on one
/// thread per read; reads run in parallel).
///
/// Each read keeps the child's lowest-energy row (on the perturbed problem),
/// after read-out errors; its energy is that of the *unperturbed* problem,
/// which is what a user testing an encoding's robustness wants to see.
/// Time limit, cancellation, progress and the observer of `options.control`
/// apply to the reads (a read not started by the limit does not run); the
/// child's own read options are used as given (set its `reads` to 1 for one
/// anneal per perturbation).
public struct NoiseComposite<Child: Sampler>: Sampler {
  /// The sampler each perturbed problem is given to.
  public var child: Child
  /// The errors.
  public var noise: ControlNoise
  /// Reads (perturbations), threads, time limit.
  public var options: ReadOptions

  /// `child` under `noise`, with `options.reads` perturbed reads.
  public init(child: Child, noise: ControlNoise, options: ReadOptions = ReadOptions()) {
    self.child = child
    self.noise = noise
    self.options = options
  }

  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    try noise.validate()
    guard options.initialStates == nil else {
      throw SamplerError("the noise composite takes no initial states; give them to its child")
    }
    let run = try ReadRun(options, numSpins: problem.numSpins, using: &rng)
    let mirror = ControlNoise.mirrors(problem)
    let scale = noise.scale(for: problem)
    let failure = FirstError()
    run.run { r, g in
      let perturbed = noise.perturb(problem, mirror: mirror, scale: scale, using: &g)
      var childRng = SplitMix64(seed: g.next())
      let rows: SampleSet
      do {
        rows = try child.sample(perturbed, using: &childRng)
      } catch {
        failure.record(error)
        return
      }
      guard let best = rows.lowestRow else { return }
      var state = Array(rows.sample(best))
      noise.readOut(&state, using: &g)
      var updates = 0
      if case .int(let u)? = rows.info["spin_updates"] { updates = u }
      state.withUnsafeBufferPointer { s in
        run.results.store(
          read: r, state: s, energy: problem.energy(s),
          spinUpdates: UInt64(max(0, updates)))
      }
    }
    if let error = failure.error { throw error }
    let info: [String: JSONValue] = [
      "noise": .object([
        "sigma_h": .double(noise.sigmaH), "sigma_j": .double(noise.sigmaJ),
        "readout": .double(noise.readout), "relative": .bool(noise.relative),
      ]),
      "noise_scale": .double(scale),
    ]
    return run.sampleSet(problem, info: info, polishCut: false)
  }
}

/// The first error thrown on any worker thread.
final class FirstError: Sendable {
  private let slot = Mutex<(any Error)?>(nil)

  /// Keeps `error` unless one was recorded before.
  func record(_ error: any Error) {
    slot.withLock { if $0 == nil { $0 = error } }
  }

  /// The error recorded first, if any.
  var error: (any Error)? { slot.withLock { $0 } }
}
