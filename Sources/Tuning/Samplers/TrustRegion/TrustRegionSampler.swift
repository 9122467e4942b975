import Annealing
import QUBOEncoding
import QUBOModel

// The default sampler: a QUBO surrogate searched inside a trust region.
//
// Priorities, in order:
// 1. never propose a configuration that is running or evaluated while an
//    unseen one exists;
// 2. spend evaluations where the model is trustworthy — near the
//    incumbent (MCBO, Dreczkowski et al. 2023: model fit and a trust region
//    are what mattered; CASMOPOLITAN, Wan et al. 2021) — and explore by
//    sampling the model's uncertainty rather than by random jumps;
// 3. the acquisition is a QUBO minimised by this project's annealers;
// 4. well under a second per proposal at 256 bits and 300 trials.
//
// In spaces of booleans and categoricals (an ordered parameter of at most
// two values counts as a boolean), the default since issue 17's twelfth
// round: a Gaussian
// process with a Hamming kernel ranks by expected improvement the annealed
// reads of its mean (in the region) and the unseen one-parameter
// neighbours of every evaluated configuration
// (TrustRegionSampler+Neighbourhoods.swift, NeighbourhoodEI.swift). Since
// the seventeenth round the kernel is a weight per parameter, fitted, when
// the Laplace approximation of its evidence beats the fixed
// `exp(−8 d_H / p)`'s (WeightedHamming.swift), else the fixed one.
//
// In spaces with an ordered parameter of more than two values (integers,
// float grids, continuous floats), the default since issue 17's fifteenth
// round: the `gp-ei` search, a Matérn Gaussian process over ordered and
// categorical distances ranking by expected improvement the unseen
// configurations one move from every evaluated one, random ones and the
// ends of greedy EI climbs (TrustRegionSampler+Ordered.swift, OrderedGP.swift;
// at or below Optuna's GP by the mean on HGB, MLP, smooth 6 and smooth 12
// at 100 evaluations, level with it and the regression on smooth 6 plus
// noise, behind the regression at 25 evaluations; docs/tuning.md).
//
// Otherwise (`model: bqr`, or `hamming-ei` in a space with an ordered
// parameter: the default of rounds 12–14), each call,
// after a random start-up design:
// - replay the trust region (TrustRegion.swift) from the complete trials;
//   when it collapses it regrows to its initial radius around the incumbent
//   where every parameter is shown whole (issue 17, sixth round: level on
//   LABS, cubic and Ising, better on MaxSAT and LABS 40–60), and restarts
//   from a random configuration where some parameter is windowed (a
//   continuous float: the restart is what freed a run stuck at a bound,
//   fourth round; a fine grid: regrowing was worse on one MLP seed of 5);
// - see the space through the adaptive grid around the incumbent
//   (LocalGrid.swift): every parameter at most 9 values, so one-hot never
//   explodes and continuous parameters are refined as the region shrinks;
// - fit a Bayesian quadratic regression (QuadraticRegression.swift) to
//   every trial, exactly, with its prior scales chosen by the evidence: a
//   parameter shown whole enters through its bits, a windowed one through
//   its position d and d² (LocalFeatures.swift), so the model is smooth in
//   continuous parameters and sees every observation at its exact value;
//   its posterior mean is the acquisition. An observation's noise is
//   scaled by 1 + Σ (d/h)² over the windowed parameters (d its distance
//   from the incumbent, h the window's half-width), so the quadratic
//   follows the data near the incumbent (LocalFeatures.windowNoise; issue
//   17, third round: the smooth benchmark's stall); with continuous
//   parameters the evidence may also choose noise levels down to 10⁻⁸
//   and a prior scale of 10 (QuadraticRegression.fineGrid; fourth round:
//   with σ² ≥ 10⁻⁴ the model could not tell apart losses within 1 % of
//   their spread, with scales ≤ 1 it flattened a sharp minimum); spaces
//   without windowed parameters are fitted as before. (Issue 17, second round: 4
//   averaged bootstrap factorization machines, the first round's model,
//   fitted a 6-parameter quadratic bowl 80× worse than least squares and
//   stalled on continuous parameters; a Thompson draw of the regression
//   over 21–64 bits was an extreme random quadratic, and did worse than
//   the mean on LABS — docs/tuning.md. The FMs remain as `model: fm`.)
// - write it as a QUBO with the encoding's penalties and anneal it; the
//   reads, each cut back into the region (the changes the model values
//   least are undone until at most `radius` parameters differ from the
//   incumbent), join random points of the region and every neighbour of
//   the incumbent as candidates;
// - propose the unseen candidates the draw predicts best, each of a batch
//   at least two parameters away from the others when possible.

/// The default sampler of `anneal tune` and `Study`: in spaces of booleans
/// and categoricals, the expected improvement of a Hamming-kernel Gaussian
/// process over the neighbours of every evaluated configuration and the
/// annealed reads of its mean (`neighbourhoods`); otherwise a Bayesian
/// quadratic regression of the trials (or averaged bootstrap factorization
/// machines), written as a QUBO and annealed inside a Hamming trust region
/// around the incumbent, with an adaptive grid for fine and continuous
/// parameters.
public struct TrustRegionSampler: NotingTuningSampler {
  /// Random trials before the model takes over (default 10).
  public var startupTrials: Int
  /// The Bayesian quadratic regression whose posterior draw is the
  /// acquisition (the default); `nil`: the mean of `members` bootstrap
  /// factorization machines (`model`) instead.
  public var regression: QuadraticRegression?
  /// The factorization machine fitted at each proposal when `regression`
  /// is `nil` (bootstrap on).
  public var model: FactorizationMachine
  /// The annealer that minimises the acquisition QUBO.
  public var annealer: SamplerConfiguration
  /// Random configurations of the region scored besides the reads.
  public var regionSamples: Int
  /// Values per fine parameter in the adaptive grid (plus the incumbent's).
  public var levels: Int
  /// Bootstrap fits averaged into the acquisition: 1 is a Thompson draw,
  /// more move it toward the ensemble mean (more exploitation).
  public var members: Int
  /// Best-predicted candidates whose windowed parameters are polished on
  /// the regression between the grid's levels (ContinuousPolish.swift);
  /// 0 (the default) turns the polish off. Measured on the smooth
  /// 6-parameter benchmark it made regret worse (docs/tuning.md), so it is
  /// an option, not the default.
  public var polishStarts: Int
  /// Whether observations far outside the windows of windowed parameters
  /// get more noise in the regression (LocalFeatures.windowNoise).
  public var localNoise: Bool
  /// When set (with the regression), and the fit's leave-one-out rank
  /// correlation with the losses is below it, candidates are taken
  /// nearest the incumbent first — the unseen neighbours one parameter
  /// away, then two, … — each shell in the model's order (a local search
  /// the model only orders); `nil` (the default): in the model's order
  /// alone. Issue 17, fifth round (docs/tuning.md): on LABS the quadratic's
  /// rank correlation on its next proposals is −0.11.
  public var nearestFirstBelow: Double?
  /// Whether a collapsed region regrows to its initial radius around the
  /// incumbent instead of restarting from a random configuration (the
  /// default since issue 17's sixth round, measured in docs/tuning.md). It
  /// applies only to spaces whose parameters the grid shows whole
  /// (booleans, categoricals, short ranges): with a continuous float or a
  /// fine grid a collapse always restarts.
  public var regrowAtBest: Bool
  /// How an observation's noise grows with its Hamming distance from the
  /// incumbent in the parameters shown whole (HammingNoise.swift; issue
  /// 17, sixth round; `.off`, the default: not at all).
  public var hammingNoise: HammingNoise
  /// Whether the acquisition is a Gaussian process with a Hamming kernel,
  /// expanded to second order around the incumbent (HammingKernel.swift;
  /// issue 17, seventh round), instead of the regression's mean — in
  /// spaces whose parameters are all shown whole; others keep the
  /// regression.
  public var hammingKernel: Bool
  /// With `hammingKernel`: the acquisition is −log of the expected
  /// improvement, expanded the same way, instead of the mean.
  public var expectedImprovement: Bool
  /// Whether the regression's evidence may add a local Hamming term to its
  /// kernel (HammingResidual.swift; issue 17, seventh round), the term's
  /// mean expanded to second order around the incumbent beside the
  /// quadratic — in spaces whose parameters are all shown whole.
  public var hammingResidual: Bool
  /// A term of higher order the regression's evidence may add (triples of
  /// bits, of spins, or triples and quadruples of spins: CubicTerm.swift;
  /// issue 17, seventh round), expanded to second order around the
  /// incumbent beside the quadratic — in spaces whose parameters are all
  /// shown whole; `nil` (the default): none.
  public var cubicTerm: HigherOrder?
  /// The region's initial radius as a share of the parameters (rounded
  /// up; 0.25, CASMOPOLITAN's, by default).
  public var initialRadius: Double
  /// Where a collapsed region regrows (`regrowAtBest`): at its `jumpAfter`-th
  /// collapse at one incumbent it moves to the best evaluated configuration
  /// more than the initial radius away from that incumbent and from every
  /// one it left before (TrustRegion.swift; issue 17, eighth round); `nil`
  /// (the default): it always regrows at the incumbent.
  public var jumpAfter: Int?
  /// When set (κ, with the regression's mean), candidates are ranked by
  /// the posterior mean plus κ posterior standard deviations
  /// (PosteriorSpread.swift) instead of the mean alone: a cautious
  /// ranking that prefers configurations the data already pin down over
  /// ones the quadratic only extrapolates to (issue 17, ninth round: the
  /// mean's minimum sits on the region's boundary, 8.5 parameters from
  /// the incumbent on LABS 40–60 at evaluations 11–25 where Optuna GP's
  /// proposals are 1.3 away); `nil` (the default): the mean.
  public var caution: Double?
  /// When set (k), the first region — after the start-up design, before
  /// any collapse — starts at k changed parameters (at most the initial
  /// radius) and grows by the usual rule; collapses regrow to the initial
  /// radius. Only in spaces whose parameters the grid shows whole (the
  /// windows of fine parameters follow the initial radius). Issue 17,
  /// tenth round: the initial p/4 sent LABS 40–60's early proposals 8.5
  /// parameters from the incumbent, where the quadratic's minimum in the
  /// ball lies on its least supported boundary; `nil` (the default): the
  /// initial radius.
  public var startRadius: Int?
  /// Whether, in spaces of booleans and categoricals (`unordered`), proposals
  /// are ranked by the expected improvement of a Hamming-kernel Gaussian
  /// process over the annealed reads of its mean and the unseen
  /// one-parameter neighbours of every evaluated configuration
  /// (NeighbourhoodEI.swift; issue 17, twelfth round: the default, below
  /// Optuna's GP beyond noise on LABS 20–24 and 40–60, Ising 64 and MaxSAT
  /// 60 at 100 evaluations, docs/tuning.md); spaces with an integer or
  /// float parameter of more than two values are searched by `orderedSearch`
  /// or the regression (the Hamming kernel ignores their order: on the
  /// 30-bit example of six 5-valued integers it reached 2.5 where the
  /// regression reached 0.1).
  /// `false`: the regression everywhere (the default until then, `model:
  /// bqr`).
  public var neighbourhoods: Bool
  /// Whether, in spaces with an ordered parameter of more than two values,
  /// proposals come from the `gp-ei` search (TrustRegionSampler+Ordered.swift:
  /// a Matérn Gaussian process over ordered and categorical distances,
  /// OrderedGP.swift) instead of the regression in the trust region. The
  /// default since issue 17's fifteenth round; `false` is `model:
  /// hamming-ei` (with `neighbourhoods`) or `bqr`.
  public var orderedSearch: Bool
  /// Whether the objective is deterministic: the `gp-ei` search's noise
  /// is then pinned at `OrderedGP.minimumNoise` instead of fitted, as
  /// Optuna's `deterministic_objective` does (`false`, the default, as in
  /// Optuna: on a noisy objective pinned noise is worse, docs/tuning.md).
  public var deterministic: Bool
  /// Whether the neighbourhood search may rank with a weighted Hamming
  /// kernel whose weights, scale and noise are fitted (WeightedHamming.swift;
  /// the default since issue 17's seventeenth round, `model: hamming-ard`):
  /// it does when the kernel's Laplace evidence beats the fixed
  /// `exp(−8 d_H / p)`'s, with at most 64 parameters; `false` (`model:
  /// gp-ei`, the default of rounds 15–16) always ranks with the fixed one.
  public var weightedHamming: Bool

  /// A trust-region sampler; defaults: 10 start-up trials, the `gp-ei`
  /// search where a parameter is ordered, the neighbourhood search in
  /// spaces of booleans and categoricals (its kernel chosen by the
  /// evidence, `weightedHamming`); for `model: bqr`: the posterior
  /// mean of a Bayesian quadratic regression (`regression: nil`: the mean
  /// of `members` = 4 rank-8 FMs, 300 epochs, each on a bootstrap
  /// resample), SA with 32 reads × 300 sweeps, 256 region samples, 8
  /// levels, no polish, a collapsed region regrown around the incumbent
  /// (in spaces without windowed parameters).
  public init(
    startupTrials: Int = 10, model: FactorizationMachine = FactorizationMachine(epochs: 300),
    annealer: SamplerConfiguration = QUBOSurrogateSampler.defaultAnnealer,
    regionSamples: Int = 256, levels: Int = 8, members: Int = 4,
    regression: QuadraticRegression? = QuadraticRegression(thompson: false),
    polishStarts: Int = 0, localNoise: Bool = true, nearestFirstBelow: Double? = nil,
    regrowAtBest: Bool = true, hammingNoise: HammingNoise = .off, hammingKernel: Bool = false,
    hammingResidual: Bool = false, initialRadius: Double = 0.25,
    expectedImprovement: Bool = false, cubicTerm: HigherOrder? = nil, jumpAfter: Int? = nil,
    caution: Double? = nil, startRadius: Int? = nil, neighbourhoods: Bool = true,
    orderedSearch: Bool = true, deterministic: Bool = false, weightedHamming: Bool = true
  ) {
    self.weightedHamming = weightedHamming
    self.deterministic = deterministic
    self.neighbourhoods = neighbourhoods
    self.orderedSearch = orderedSearch
    self.startRadius = startRadius.map { max(1, $0) }
    self.caution = caution.map { max(0, $0) }
    self.jumpAfter = jumpAfter.map { max(1, $0) }
    self.cubicTerm = cubicTerm
    self.expectedImprovement = expectedImprovement
    self.initialRadius = initialRadius
    self.hammingResidual = hammingResidual
    self.hammingKernel = hammingKernel
    self.hammingNoise = hammingNoise
    self.regrowAtBest = regrowAtBest
    self.localNoise = localNoise
    self.nearestFirstBelow = nearestFirstBelow
    self.regression = regression
    self.polishStarts = max(0, polishStarts)
    self.members = max(1, members)
    self.startupTrials = startupTrials
    self.model = model
    self.annealer = annealer
    self.regionSamples = regionSamples
    self.levels = levels
  }

  /// The region the next proposal is made in, replayed from `trials`
  /// (`nil` during the start-up design).
  func region(space: SearchSpace, trials: [FrozenTrial], direction: Direction) -> TrustRegion? {
    region(History(space: space, trials: trials, direction: direction), space: space)
  }

  /// The region replayed from `history`'s observations (`nil` during the
  /// start-up design).
  func region(_ history: History, space: SearchSpace) -> TrustRegion? {
    guard history.observed.count >= max(1, startupTrials) else { return nil }
    return TrustRegion.replay(
      history.observed, parameters: space.count, startup: max(1, startupTrials),
      fine: hasFineParameters(space), continuous: hasContinuousParameters(space),
      regrowAtBest: regrows(space), initialShare: initialRadius, jumpAfter: jumpAfter,
      startRadius: hasFineParameters(space) ? nil : startRadius)
  }

  /// Whether a collapse regrows the region around the incumbent: with
  /// `regrowAtBest`, in spaces without windowed parameters (a continuous
  /// float or a grid longer than the levels shown).
  func regrows(_ space: SearchSpace) -> Bool {
    regrowAtBest && !hasFineParameters(space)
  }

  /// Whether every parameter is a boolean, a categorical, or ordered with
  /// at most two values: where the neighbourhood search applies (a Hamming
  /// kernel sees no order).
  static func unordered(_ space: SearchSpace) -> Bool {
    space.ordered.allSatisfy { !$0.isOrdered || $0.count <= 2 }
  }

  /// Whether some parameter is a continuous float (a float without `steps`).
  func hasContinuousParameters(_ space: SearchSpace) -> Bool {
    space.ordered.contains { $0.isContinuous }
  }

  /// Whether some ordered parameter has more values than the grid shows.
  func hasFineParameters(_ space: SearchSpace) -> Bool {
    space.ordered.contains { $0.isOrdered && $0.count > levels + 1 }
  }

  /// The proposals, each noted with `design` (`startup`, `restart` or
  /// `region`) and, inside the region, the drawn model's `predicted`
  /// value (in the study's direction), the `radius`, the
  /// `incumbent_distance` (parameters changed), the region's `restarts`
  /// (collapses so far) and `region_minimum`: whether the best-predicted
  /// candidate, evaluated ones included, is `unseen`, the `incumbent` or
  /// another configuration already `seen`.
  public func proposeWithNotes(
    space: SearchSpace, trials: [FrozenTrial], direction: Direction, count: Int, seed: UInt64
  ) throws -> [(configuration: [Int], notes: [String: JSONValue])] {
    var rng = Xoshiro256PlusPlus(seed: seed)
    let history = History(space: space, trials: trials, direction: direction)
    if orderedSearch, !Self.unordered(space), history.observed.count >= max(1, startupTrials),
      let gp = OrderedGP(
        observed: history.observed, units: OrderedGP.units(space),
        fixedNoise: deterministic ? OrderedGP.minimumNoise : nil)
    {
      return orderedProposals(
        gp, history: history, space: space, direction: direction, count: count, using: &rng)
    }
    guard let region = region(history, space: space), !region.collapsed else {
      let design = JSONValue.string(
        history.observed.count < max(1, startupTrials) ? "startup" : "restart")
      return space.randomUnseen(count, excluding: history.seen, using: &rng).map {
        ($0, ["design": design])
      }
    }
    let grid = try LocalGrid(
      full: space, center: region.center, resolution: region.resolution, levels: levels)
    let encoded = try BitEncoding(space: grid.space, encodings: grid.encodings)
    let features = LocalFeatures(grid: grid, encoded: encoded, full: space)
    if neighbourhoods, Self.unordered(space), !features.windowed.contains(true),
      let search = NeighbourhoodEI(
        observed: history.observed, kernel: weightedHamming ? .byEvidence : .fixed)
    {
      return try neighbourhoodProposals(
        search, history: history, space: space, grid: grid, encoded: encoded, region: region,
        direction: direction, count: count, using: &rng)
    }
    let rows = history.observed.map { features.row(full: $0.configuration) }
    let losses = history.observed.map(\.loss)
    var draw = QuadraticSurrogate(bits: encoded.bitCount)
    var fit: FeatureQuadratic?
    var heldOut: Double?
    var spread: PosteriorSpread?
    let configurations = history.observed.map(\.configuration)
    // Every parameter shown whole: the kernel and higher-order terms apply.
    let whole = !features.windowed.contains(true)
    let gp = hammingKernel ? HammingKernel(configurations: configurations, losses: losses) : nil
    let kernel =
      expectedImprovement
      ? gp?.expectedImprovement(grid: grid, encoded: encoded, full: space)
      : gp?.surrogate(grid: grid, encoded: encoded, full: space)
    if let kernel {
      draw = kernel
    } else if let regression {
      let ranked = regression.fitRanked(
        rows: rows, features: features.count, losses: losses, seed: rng.next(),
        noiseScale: noiseScale(features, configurations, radius: region.ball),
        fine: hasContinuousParameters(space), heldOut: nearestFirstBelow != nil,
        residual: hammingResidual && whole ? configurations : nil,
        cubic: whole ? cubicTerm : nil, spread: caution != nil)
      fit = ranked?.quadratic
      spread = ranked?.spread
      heldOut = ranked?.heldOut
      if let fit { draw = features.surrogate(fit) }
      if let local = ranked?.residual,
        let expansion = HammingKernel.expansion(
          configurations: configurations, weights: local.weights,
          decay: local.decay, offset: 0, grid: grid, encoded: encoded, full: space)
      {
        draw.add(expansion)
      }
      if let weights = ranked?.cubic,
        let expansion = CubicTerm.expansion(
          configurations: configurations, weights: weights, grid: grid,
          encoded: encoded, full: space, order: cubicTerm ?? .bitTriples)
      {
        draw.add(expansion)
      }
    } else {
      for _ in 0..<members {
        let fitted = model.fit(
          rows: rows, features: features.count, losses: losses, seed: rng.next())
        if let fitted { draw.add(features.surrogate(fitted)) }
      }
      draw.scale(by: 1 / Double(members))
    }
    var candidates: [[Int]] =
      [grid.centerLevels] + (try annealedConfigurations(draw, encoded: encoded, using: &rng))
    let radius = region.ball
    let free = features.windowed
    candidates = candidates.map {
      Self.project($0, into: grid, radius: radius, draw: draw, encoded: encoded, free: free)
    }
    candidates += Self.neighbours(of: grid.centerLevels, grid: grid)
    for _ in 0..<regionSamples {
      candidates.append(Self.randomPoint(grid: grid, radius: radius, free: free, using: &rng))
    }
    var taken = history.seen
    var scored: [(local: [Int], full: [Int], f: Double)] = []
    // The best-predicted candidate counting evaluated ones: whether the
    // model's minimum in the region is unseen, the incumbent, or another
    // configuration already seen (a note).
    var minimum: (f: Double, seen: Bool, full: [Int])?
    for c in candidates {
      let full = grid.full(c)
      let seen = history.seen.contains(full)
      guard seen || !taken.contains(full) else { continue }
      let f = draw.predict(encoded.bits(of: c))
      if minimum.map({ f < $0.f }) ?? true { minimum = (f, seen, full) }
      guard !seen else { continue }
      taken.insert(full)
      scored.append((c, full, f))
    }
    // With `caution`: ranked by mean + κ σ (the notes keep the mean).
    var spreadOf: [[Int]: Double] = [:]
    if let kappa = caution, let spread {
      let sd = scored.map { spread.sd(features.row(full: $0.full)) }
      spreadOf = Dictionary(uniqueKeysWithValues: zip(scored.map(\.full), sd))
      let rank = zip(scored, sd).map { $0.f + kappa * $1 }
      scored = scored.indices.sorted { (rank[$0], $0) < (rank[$1], $1) }.map { scored[$0] }
    } else {
      scored.sort { $0.f < $1.f }
    }
    if let fit, polishStarts > 0, free.contains(true) {
      // The model's minimum between the levels (ContinuousPolish.swift),
      // from the best-predicted candidates.
      let starts = scored.prefix(polishStarts).map(\.full)
      for start in starts {
        let p = ContinuousPolish().polish(start, model: fit, features: features)
        guard !taken.contains(p.configuration) else { continue }
        taken.insert(p.configuration)
        scored.append((grid.local(p.configuration), p.configuration, p.predicted))
      }
      scored.sort { $0.f < $1.f }
    }
    // A model that ranks its held-out trials badly only orders each shell
    // of distance from the incumbent (a stable sort keeps its order).
    let nearestFirst =
      nearestFirstBelow.map { below in heldOut.map { $0 < below } ?? false } ?? false
    if nearestFirst {
      let d = scored.map { Self.distance($0.local, grid.centerLevels, ignoring: free) }
      scored = zip(scored, d).enumerated().sorted {
        ($0.element.1, $0.offset) < ($1.element.1, $1.offset)
      }.map(\.element.0)
    }
    var out: [(configuration: [Int], notes: [String: JSONValue])] = []
    var chosen: [[Int]] = []
    for pass in 0..<2 where out.count < count {
      for s in scored where out.count < count && !out.contains(where: { $0.0 == s.full }) {
        if pass == 0, chosen.contains(where: { Self.distance($0, s.local) < 2 }) { continue }
        var notes: [String: JSONValue] = [
          "design": .string("region"), "predicted": .double(direction.loss(s.f)),
          "radius": .double(region.radius),
          "incumbent_distance": .int(Self.distance(s.full, region.center)),
          "restarts": .int(region.restarts),
        ]
        if let sd = spreadOf[s.full] { notes["spread"] = .double(sd) }
        if let minimum {
          notes["region_minimum"] = .string(
            !minimum.seen ? "unseen" : minimum.full == region.center ? "incumbent" : "seen")
        }
        if nearestFirstBelow != nil, let heldOut {
          notes["held_out_correlation"] = .double(heldOut)
          notes["nearest_first"] = .bool(nearestFirst)
        }
        out.append((s.full, notes))
        chosen.append(s.local)
      }
    }
    if out.count < count {
      let seen = history.seen.union(out.map(\.configuration))
      out += space.randomUnseen(count - out.count, excluding: seen, using: &rng).map {
        ($0, ["design": .string("random")])
      }
    }
    return out
  }

  /// The annealer's reads of `draw`'s acquisition QUBO (with the encoding's
  /// penalties), as configurations of the local grid; reads that are not
  /// valid patterns are dropped. One draw of `rng` seeds the annealer.
  func annealedConfigurations(
    _ draw: QuadraticSurrogate, encoded: BitEncoding, using rng: inout Xoshiro256PlusPlus
  ) throws -> [[Int]] {
    let acquisition = try Self.acquisition(encoded, draw)
    // The frozen spin problem is sampled directly, with the generator
    // `sample(_:seed:)` would make: the same reads, without mapping them
    // back to labels and recomputing their energies, which are not used.
    var annealRNG = SplitMix64(seed: rng.next())
    let reads = try annealer.sampler.sample(IsingProblem(acquisition), using: &annealRNG)
    return (0..<reads.energies.count).compactMap { r in
      encoded.configuration(of: reads.sample(r).map { Vartype.spin.convert($0, to: .binary) })
    }
  }

  /// Each observation's noise multiplier: the windowed parameters' (when
  /// `localNoise`) times the Hamming form's (unless `.off`); `nil` when
  /// neither applies.
  func noiseScale(_ features: LocalFeatures, _ configurations: [[Int]], radius: Int) -> [Double]? {
    var scale = localNoise ? features.windowNoise(full: configurations) : nil
    if hammingNoise != .off {
      let h = features.hammingNoise(full: configurations, radius: radius, form: hammingNoise)
      scale = scale.map { zip($0, h).map { $0 * $1 } } ?? h
    }
    return scale
  }

  /// The acquisition QUBO: the drawn surrogate plus the encoding's
  /// penalties (twice its largest single-flip change), over `encoded`'s bits.
  static func acquisition(_ encoded: BitEncoding, _ draw: QuadraticSurrogate) throws
    -> BinaryQuadraticModel
  {
    var bqm = draw.quadraticModel(labels: encoded.labels)
    bqm.merge(try encoded.penaltyModel(strength: 2 * max(draw.maxFlipChange, 1e-9)))
    return bqm
  }

  /// The number of parameters in which two configurations differ.
  static func distance(_ a: [Int], _ b: [Int]) -> Int {
    zip(a, b).reduce(0) { $0 + ($1.0 == $1.1 ? 0 : 1) }
  }

  /// The number of parameters, other than those `ignoring` marks, in
  /// which two configurations differ.
  static func distance(_ a: [Int], _ b: [Int], ignoring: [Bool]) -> Int {
    var d = 0
    for k in a.indices where a[k] != b[k] && !ignoring[k] { d += 1 }
    return d
  }

  /// `c` cut back into the region: while more than `radius` parameters
  /// differ from the center, the change whose undoing raises the drawn
  /// prediction least is undone.
  static func project(
    _ c: [Int], into grid: LocalGrid, radius: Int, draw: QuadraticSurrogate,
    encoded: BitEncoding, free: [Bool]? = nil
  ) -> [Int] {
    let free = free ?? c.map { _ in false }
    // Each undo is scored by flipping its bits one at a time (O(n) each),
    // not by predicting from scratch (O(n²)); an undo rewrites only its
    // parameter's bits (the bits of the configuration with parameter k at
    // the center, without encoding every parameter again).
    var x = c
    var bits = encoded.bits(of: x)
    while distance(x, grid.centerLevels, ignoring: free) > max(1, radius) {
      var best: (k: Int, delta: Double)?
      for k in x.indices where x[k] != grid.centerLevels[k] && !free[k] {
        var work = bits
        var delta = 0.0
        encoded.forEachBit(ofParameter: k, value: grid.centerLevels[k]) { b, target in
          guard work[b] != target else { return }
          delta += draw.flipDelta(work, b)
          work[b] = target
        }
        if best.map({ delta < $0.delta }) ?? true { best = (k, delta) }
      }
      guard let b = best else { break }
      x[b.k] = grid.centerLevels[b.k]
      encoded.forEachBit(ofParameter: b.k, value: x[b.k]) { bit, target in bits[bit] = target }
    }
    return x
  }

  /// Every configuration one parameter away from `center`.
  static func neighbours(of center: [Int], grid: LocalGrid) -> [[Int]] {
    var out: [[Int]] = []
    for (k, radix) in grid.space.radices.enumerated() {
      for v in 0..<radix where v != center[k] {
        var y = center
        y[k] = v
        out.append(y)
      }
    }
    return out
  }

  /// A random configuration of the region: at most `radius` parameters
  /// that `free` does not mark changed (a uniform distance, then uniform
  /// parameters and values), and each parameter it marks (windowed, whose
  /// window is its own trust region) at a uniform level of its window.
  static func randomPoint<G: RandomNumberGenerator>(
    grid: LocalGrid, radius: Int, free: [Bool]? = nil, using rng: inout G
  ) -> [Int] {
    var x = grid.centerLevels
    let radices = grid.space.radices
    let free = free ?? radices.map { _ in false }
    for k in radices.indices where free[k] {
      x[k] = Int.random(in: 0..<radices[k], using: &rng)
    }
    let coarse = radices.indices.filter { radices[$0] > 1 && !free[$0] }
    guard !coarse.isEmpty else { return x }
    let d = Int.random(in: 1...max(1, min(radius, coarse.count)), using: &rng)
    for k in coarse.shuffled(using: &rng).prefix(d) {
      var v = Int.random(in: 0..<(radices[k] - 1), using: &rng)
      if v >= x[k] { v += 1 }
      x[k] = v
    }
    return x
  }
}
