import Annealing
import QUBOModel

/// How the rounding bits of a layer are chosen.
public enum RoundingMethod: String, Sendable, CaseIterable, Codable {
  /// Round to nearest, weight by weight.
  case rtn
  /// Single-flip steepest descent on the QUBO from the round-to-nearest bits.
  case greedy
  /// Sequential quantize-one-weight-and-compensate (OBQ / GPTQ).
  case gptq
  /// The QUBO solved by the configured annealer.
  case anneal
  /// GPTQ, then greedy coordinate passes over the whole grid (QuIP's
  /// greedy updates).
  case gptqGreedy = "gptq-greedy"
  /// AdaRound's continuous relaxation with its annealed regulariser.
  case adaround
  /// Multi-start tabu search on the same QUBO (`RoundingSolver.tabu`).
  case tabu
  /// Hidden layers rounded jointly on the coupled QUBO against the next
  /// layer's pre-activations (`CoupledLayerQUBO`), annealed from the better
  /// of GPTQ's and AdaRound's codes; the last layer as `.anneal`.
  case coupled
  /// The last two layers rounded jointly on the Gauss–Newton block QUBO
  /// against the logits (`BlockQUBO`), annealed from the best combination
  /// of GPTQ's and AdaRound's codes; earlier layers as `.anneal`.
  case block
  /// As `.anneal`, on each neuron's pre-activation error left after
  /// fine-tuning refits its scale and bias (`fineTuneGram`).
  case annealFt = "anneal-ft"
  /// The control for `.annealFt`: steepest descent on the same QUBO from the
  /// round-to-nearest bits.
  case greedyFt = "greedy-ft"
  /// The control for `.block`: steepest descent on the same block QUBO from
  /// the same warm start, without annealing.
  case blockGreedy = "block-greedy"
  /// As `.block`, on the block error left after fine-tuning refits every
  /// neuron's scale and bias (`BlockQUBO` with `afterFineTune`).
  case blockFt = "block-ft"
  /// The control for `.blockFt`: steepest descent on the same QUBO from the
  /// same warm start, without annealing.
  case blockFtGreedy = "block-ft-greedy"

  /// Whether the method rounds the last two layers jointly on a `BlockQUBO`.
  public var isBlock: Bool { [.block, .blockGreedy, .blockFt, .blockFtGreedy].contains(self) }

  /// The four methods of every `anneal quantize --dataset` run.
  public static let standard: [RoundingMethod] = [.rtn, .greedy, .gptq, .anneal]
  /// The controls a reviewer asks for besides the standard four.
  public static let controls: [RoundingMethod] = [.gptqGreedy, .adaround, .tabu]
}

/// Solves rounding QUBOs by round-to-nearest, greedy descent, or a sampler
/// given as data.
public struct RoundingSolver: Sendable {
  /// The sampler used by `.anneal`; nil means greedy descent from the
  /// round-to-nearest bits (the `greedy` choice of `anneal quantize --sampler`).
  public var annealer: SamplerConfiguration?

  /// For SQA without an explicit β: β = `sqaBetaScale` / (the median over
  /// spins of `S_i = |h_i| + Σ_j |J_ij|`) per QUBO; nil keeps the sampler's
  /// own default (SA's cold β, set by the smallest bias — far too cold for
  /// these dense real-valued QUBOs, whose smallest couplings are tiny).
  public var sqaBetaScale: Double?

  /// The multi-start tabu search behind `.tabu` (default: 4 reads from
  /// random states, 4 restarts each, 1,000 stalled iterations end a
  /// restart).
  public var tabu: SamplerConfiguration

  /// The relaxation behind `.adaround`.
  public var adaRound = AdaRound()

  /// The warm-started annealing behind `.coupled` and `.block`.
  public var coupled = CoupledRefinement()

  /// A solver annealing with `annealer` (nil: greedy descent).
  public init(annealer: SamplerConfiguration?, sqaBetaScale: Double? = 300) {
    self.annealer = annealer
    self.sqaBetaScale = sqaBetaScale
    var t = SamplerConfiguration(.tabu)
    if case .tabu(var p) = t.parameters {
      p.readOptions.reads = 4
      p.restarts = 4
      p.stallIterations = 1000
      t.parameters = .tabu(p)
    }
    tabu = t
  }

  /// The lowest-energy assignment of `q` by multi-start tabu search.
  public func searchTabu(_ q: RoundingQUBO, seed: UInt64) throws -> [Int8] {
    guard q.count > 0 else { return [] }
    let set = try tabu.sampler.sample(q.model, seed: seed)
    guard let row = set.lowestRow else { throw SamplerError("tabu returned no sample") }
    return Array(set.sample(row))
  }

  /// The round-to-nearest assignment of `q` for the weights `w`.
  public static func nearest(_ q: RoundingQUBO, weights w: ArraySlice<Double>) -> [Int8] {
    let start = w.startIndex
    return q.free.map { i in
      let v = w[start + i] / q.scale
      return (v - Double(q.base[i])) / Double(q.step) >= 0.5 ? 1 : 0
    }
  }

  /// Steepest single-flip descent on `q` from the assignment `x`, to a local
  /// minimum.
  public static func descend(_ q: RoundingQUBO, from x: [Int8]) -> [Int8] {
    guard q.count > 0 else { return [] }
    let problem = IsingProblem(q.model)
    var s = x.map { $0 != 0 ? Int8(1) : -1 }  // x = (s + 1)/2
    _ = SteepestDescent.descend(problem, &s)
    return s.map { $0 > 0 ? 1 : 0 }
  }

  /// The lowest-energy assignment the annealer finds for `q`.
  ///
  /// `start` (0/1 per variable), when given, is every read's initial state
  /// (and greedy descent's start instead of the round-to-nearest bits).
  public func anneal(
    _ q: RoundingQUBO, weights w: ArraySlice<Double>, seed: UInt64, start: [Int8]? = nil
  ) throws -> [Int8] {
    guard q.count > 0 else { return [] }
    guard var annealer else { return Self.descend(q, from: start ?? Self.nearest(q, weights: w)) }
    let model = q.model
    if let start {
      var options = annealer.readOptions
      options.initialStates = start.map { $0 != 0 ? 1 : -1 }
      annealer.readOptions = options
    }
    if case .sqa(var p) = annealer.parameters, p.beta == nil, let k = sqaBetaScale {
      p.beta = k / Self.medianFieldScale(IsingProblem(model))
      annealer.parameters = .sqa(p)
    }
    let set = try annealer.sampler.sample(model, seed: seed)
    guard let row = set.lowestRow else { throw SamplerError("the annealer returned no sample") }
    return Array(set.sample(row))
  }
}

extension RoundingSolver {
  /// The median over spins of `S_i = |h_i| + Σ_j |J_ij|` (1 when all are 0).
  static func medianFieldScale(_ p: IsingProblem) -> Double {
    var s = (0..<p.numSpins).map { i in
      (Int(p.rowStart[i])..<Int(p.rowStart[i + 1])).reduce(abs(p.h[i])) { $0 + abs(p.coupling[$1]) }
    }
    s.sort()
    let m = s.isEmpty ? 0 : s[s.count / 2]
    return m > 0 ? m : 1
  }
}
