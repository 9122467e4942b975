import Anneal

extension SamplerOptions {
  /// The sampler these options describe, ready to run on `problem`.
  func makeSampler(for problem: IsingProblem, control: SamplingControl) throws -> any Sampler {
    let threads = self.threads ?? ParallelReads.defaultThreads
    switch sampler {
    case .sa:
      var p = SimulatedAnnealing.Parameters()
      p.reads = reads
      p.sweeps = sweeps
      p.betaRange = betaRange.map { BetaRange(hot: $0.first, cold: $0.second) }
      p.shape = schedule
      p.threads = threads
      p.control = control
      return SimulatedAnnealing(p)
    case .descent:
      var p = SteepestDescent.Parameters()
      p.reads = reads
      p.threads = threads
      p.control = control
      return SteepestDescent(p)
    case .exact:
      guard problem.numSpins <= ExactSolver.maxVariables else {
        throw CLIError.badInput(
          "--sampler exact enumerates 2^n states and accepts at most "
            + "\(ExactSolver.maxVariables) variables; this model has "
            + "\(problem.numSpins). Try --sampler sa or tabu.")
      }
      return ExactSolver(keepLowest: reads)
    case .random:
      return RandomSampler(reads: reads)
    case .pt:
      var p = ParallelTempering.Parameters()
      p.reads = reads
      p.sweeps = sweeps
      p.betaRange = betaRange.map { BetaRange(hot: $0.first, cold: $0.second) }
      if let replicas { p.replicas = replicas }
      p.threads = threads
      p.control = control
      return ParallelTempering(p)
    case .tabu:
      var p = TabuSearch.Parameters()
      p.reads = reads
      p.tenure = tenure
      p.threads = threads
      p.control = control
      return TabuSearch(p)
    case .sqa:
      var p = PathIntegralAnnealing.Parameters()
      p.reads = reads
      p.sweeps = sweeps
      if let trotter { p.trotter = trotter }
      p.beta = beta
      p.gammaRange = gammaRange.map { GammaRange(high: $0.first, low: $0.second) }
      p.shape = schedule
      p.threads = threads
      p.control = control
      return PathIntegralAnnealing(p)
    }
  }
}
