import Dispatch
import QUBOModel
import Synchronization

// The two members of a portfolio run, built once from its parameters, and
// the union of their sample sets. The split of threads and time is the
// only thing decided here; each member is an ordinary sampler run.

extension Portfolio {
  /// The sweeps a PT read of a time-limit budget is given: more than any
  /// limit allows, so the deadline ends it.
  static let openEndedSweeps = Int(Int32.max)

  /// The SA and PT samplers of a run and how they share threads and time.
  struct Members: Sendable {
    let sa: SimulatedAnnealing
    let pt: ParallelTempering
    /// One thread: SA first, then PT.
    let sequential: Bool
    let limit: Double?
    let started: UInt64
    let saThreads: Int
    let ptThreads: Int

    init(_ p: Parameters, problem: IsingProblem, temperingThreads: (Int) -> Int) throws {
      started = DispatchTime.now().uptimeNanoseconds
      let threads = p.readOptions.threads
      let n = problem.numSpins
      limit = p.readOptions.control.timeLimit
      let budget = p.fillTimeLimit && limit != nil
      sequential = threads == 1
      ptThreads = sequential ? 1 : temperingThreads(threads)
      saThreads = sequential ? 1 : threads - ptThreads

      var s = SimulatedAnnealing.Parameters()
      s.readOptions = p.readOptions
      s.threads = saThreads
      s.sweeps = p.sweeps
      if budget {
        s.reads = ReadOptions.budgetReads(numSpins: n)
        s.sweepsFillTimeLimit = true
      }
      if sequential, let limit { s.readOptions.control.timeLimit = limit / 2 }
      sa = SimulatedAnnealing(s)

      var t = ParallelTempering.Parameters()
      t.ladder = ParallelTempering.temperingLadder(for: problem)
      t.readOptions.control = p.readOptions.control
      // Progress counts SA's reads; the trace numbers PT's reads after
      // SA's rows.
      t.readOptions.control.progress = nil
      if let observer = p.readOptions.control.observer {
        let offset = s.reads
        t.readOptions.control.observer = ReadObserver { event in
          var e = event
          e.read += offset
          observer.notify(e)
        }
      }
      t.threads = ptThreads
      t.reads = budget ? ptThreads : p.temperingReads
      t.sweeps = budget ? Portfolio.openEndedSweeps : p.temperingSweeps
      pt = ParallelTempering(t)
    }

    func runSA(_ problem: IsingProblem, seed: UInt64) throws -> SampleSet {
      var g = SplitMix64(seed: seed)
      return try sa.sample(problem, using: &g)
    }

    /// Runs PT; sequentially, with what is left of the limit after SA.
    func runPT(_ problem: IsingProblem, seed: UInt64) throws -> SampleSet {
      var member = pt
      if sequential, let limit {
        member.parameters.readOptions.control.timeLimit = TimeBudget.left(
          of: limit, since: started)
      }
      var g = SplitMix64(seed: seed)
      return try member.sample(problem, using: &g)
    }

    /// SA's rows, then PT's, with the members' info.
    func union(sa a: SampleSet, pt b: SampleSet) -> SampleSet {
      var out = a
      out.append(b)
      let bestSA = a.lowestEnergy ?? .infinity
      let bestPT = b.lowestEnergy ?? .infinity
      var info: [String: JSONValue] = ["sampler": .string("portfolio")]
      info["best_member"] = .string(bestPT < bestSA ? "pt" : "sa")
      info["members"] = .object([
        "sa": Self.memberInfo(a, threads: saThreads),
        "pt": Self.memberInfo(b, threads: ptThreads),
      ])
      info["spin_updates"] = .int(
        Self.int(a.info["spin_updates"]) + Self.int(b.info["spin_updates"]))
      info["num_reads_requested"] = .int(
        Self.int(a.info["num_reads_requested"]) + Self.int(b.info["num_reads_requested"]))
      let cut = Self.int(a.info["cut_reads"]) + Self.int(b.info["cut_reads"])
      if cut > 0 { info["cut_reads"] = .int(cut) }
      var warnings: [JSONValue] = []
      for set in [a, b] {
        if case .array(let w)? = set.info["warnings"] {
          for x in w where !warnings.contains(x) { warnings.append(x) }
        }
      }
      if !warnings.isEmpty { info["warnings"] = .array(warnings) }
      out.info = info
      return out
    }

    static func memberInfo(_ set: SampleSet, threads: Int) -> JSONValue {
      var m = set.info
      m["reads"] = .int(set.count)
      m["threads"] = .int(threads)
      m["best_energy"] = set.lowestEnergy.map { .double($0) } ?? .null
      return .object(m)
    }

    static func int(_ value: JSONValue?) -> Int {
      if case .int(let x)? = value { return x }
      return 0
    }
  }

  /// The members' sample sets, set from two threads.
  final class Outcomes: Sendable {
    private let state = Mutex<(sa: Result<SampleSet, Error>?, pt: Result<SampleSet, Error>?)>(
      (nil, nil))

    func set(sa: Result<SampleSet, Error>) { state.withLock { $0.sa = sa } }
    func set(pt: Result<SampleSet, Error>) { state.withLock { $0.pt = pt } }

    /// Both sample sets; rethrows SA's error first.
    func get() throws -> (sa: SampleSet, pt: SampleSet) {
      let (a, b) = state.withLock { ($0.sa, $0.pt) }
      guard let a, let b else { throw SamplerError("a portfolio member did not run") }
      return (try a.get(), try b.get())
    }
  }
}
