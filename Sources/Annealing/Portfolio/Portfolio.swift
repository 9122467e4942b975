import Dispatch
import Foundation
import QUBOModel

/// Simulated annealing's many short reads and parallel tempering's few
/// long ones, side by side on the threads given (`anneal solve --sampler
/// portfolio`).
///
/// Neither search wins everywhere. SA's reads reach the best-known cuts of
/// Gset G1, G11, G22, G43 and K2000 in seconds, but stop 4–7 short of G55's
/// 10299 however long they run; one tempering read on a cold ladder
/// (`ParallelTempering.temperingLadder(for:)`) reaches 10296 and more on
/// G55 in about a third of 60-s reads but is slower than SA on the others
/// (docs/kernels-issue22.md, rounds seven and eight). The portfolio runs
/// both:
///
/// - the SA member: `reads` reads of `sweeps` sweeps at SA's defaults;
/// - the PT member: `temperingReads` reads of `temperingSweeps` sweeps on
///   the tempering ladder.
///
/// With `threads ≥ 2` the members run at once, the PT member on
/// `temperingThreads(threads)` threads (half of them, at most
/// `temperingReads`) and SA on the rest; with one thread, SA first, then
/// PT. The sample set is SA's rows, then PT's; `info["best_member"]` names
/// the member whose row is lowest (`sa` on a tie) and `info["members"]`
/// holds each member's sampler info, reads, sweeps, threads and best energy.
///
/// Each member draws its own seed from `rng` (SA's first), and each is
/// deterministic at any thread count, so with fixed reads and sweeps the
/// same seed gives the same samples at any thread count.
///
/// With a time limit and `fillTimeLimit` (what `anneal solve` sets when
/// `--time-limit` comes without `--reads` and `--sweeps`), the limit is a
/// budget: the SA member gets SA's budget (`sweepsFillTimeLimit`,
/// `ReadOptions.budgetReads` reads) on its threads; the PT member runs one
/// read per thread of its own, as long as the limit allows (the deadline ends it, and its best state is
/// polished, `info["cut_reads"]`). With one thread, SA gets the first half
/// of the limit and PT what is left. Results then depend on the speed of
/// the machine, as every time-limited run's do.
public struct Portfolio: Sampler {
  /// The parameters of a run, with documented defaults.
  public struct Parameters: ReadConfigurable {
    /// Threads, time limit and initial states of both members (initial
    /// states go to the SA member only); `reads` is the SA member's.
    public var readOptions = ReadOptions()
    /// Sweeps per SA read.
    ///
    /// Default 1000.
    public var sweeps = 1000
    /// Reads of the PT member.
    ///
    /// Default 1.
    public var temperingReads = 1
    /// Sweeps per PT read.
    ///
    /// Default 10000.
    public var temperingSweeps = 10_000
    /// With a time limit, whether the limit is a budget (see `Portfolio`).
    ///
    /// Default false.
    public var fillTimeLimit = false

    /// The documented defaults.
    public init() {}
  }

  /// The parameters used by `sample`.
  public var parameters: Parameters

  /// A portfolio that runs with `parameters`.
  public init(_ parameters: Parameters = Parameters()) {
    self.parameters = parameters
  }

  /// Threads of the PT member when the run has `threads` threads (≥ 2):
  /// half of them, at least one, at most `temperingReads` unless the limit
  /// is a budget (then one PT read per PT thread).
  public func temperingThreads(_ threads: Int) -> Int {
    let half = max(1, threads / 2)
    if parameters.fillTimeLimit && parameters.readOptions.control.timeLimit != nil {
      return half
    }
    return max(1, min(half, parameters.temperingReads))
  }

  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    let p = parameters
    guard p.readOptions.threads >= 1 else {
      throw SamplerError("threads must be at least 1 (got \(p.readOptions.threads))")
    }
    guard p.temperingReads >= 0 else {
      throw SamplerError("temperingReads must be non-negative (got \(p.temperingReads))")
    }
    guard p.sweeps >= 0, p.temperingSweeps >= 0 else {
      throw SamplerError("sweeps must be non-negative")
    }
    let members = try Members(p, problem: problem, temperingThreads: temperingThreads)
    let seeds = (sa: rng.next(), pt: rng.next())
    if members.sequential {
      let a = try members.runSA(problem, seed: seeds.sa)
      let b = try members.runPT(problem, seed: seeds.pt)
      return members.union(sa: a, pt: b)
    }
    // PT on a thread of its own, SA on this one (SA's reads fan out over
    // their threads inside `sample`).
    let outcomes = Outcomes()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      outcomes.set(pt: Result { try members.runPT(problem, seed: seeds.pt) })
      done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    outcomes.set(sa: Result { try members.runSA(problem, seed: seeds.sa) })
    done.wait()
    let (a, b) = try outcomes.get()
    return members.union(sa: a, pt: b)
  }
}
