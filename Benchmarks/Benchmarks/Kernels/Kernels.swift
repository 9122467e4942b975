// Throughput of the classical kernels, in spin updates, and proof that a
// sweep allocates nothing.
//
// Each benchmark samples a fixed sparse ±1 spin glass (n = 2000, degree 4,
// the shape of `compare_peers.py --random 2000 --degree 4`) on one thread.
// The custom metric "spin updates (K)" divided by wall-clock time gives the
// rate. The two "allocations" benchmarks run the same 10-step schedule with
// 1 and 200 sweeps per step; their `mallocCountTotal` is the same, so the
// extra 1990 sweeps allocate nothing (all allocations are per run and per
// read: problem buffers, read buffers, the SampleSet).
import Anneal
import Benchmark

func spinGlass(n: Int, degree: Int, seed: UInt64) -> IsingProblem {
  var rng = SplitMix64(seed: seed)
  var model = BinaryQuadraticModel(vartype: .spin, count: n)
  for _ in 0..<(n * degree / 2) {
    let i = Int(rng.next() % UInt64(n))
    let j = Int(rng.next() % UInt64(n))
    if i != j { model.addQuadratic(index: i, j, rng.next() & 1 == 0 ? -1 : 1) }
  }
  return IsingProblem(model)
}

func updates(_ set: SampleSet) -> Int {
  if case .int(let u)? = set.info["spin_updates"] { return u }
  return 0
}

let sparse = spinGlass(n: 2000, degree: 4, seed: 1)
let dense = spinGlass(n: 800, degree: 48, seed: 2)
let updatesMetric = BenchmarkMetric.custom("spin updates (K)", polarity: .prefersLarger)

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal, updatesMetric], maxDuration: .seconds(3))

  for (name, problem) in [("sparse 2000x4", sparse), ("dense 800x48", dense)] {
    Benchmark("SA, 1000 sweeps, 1 read, \(name)") { benchmark in
      var p = SimulatedAnnealing.Parameters()
      p.reads = 1
      p.threads = 1
      p.sweeps = 1000
      var rng = SplitMix64(seed: 1)
      let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
      benchmark.measurement(updatesMetric, updates(set) / 1000)
      blackHole(set)
    }
  }

  for (name, problem) in [("sparse 2000x4", sparse), ("dense 800x48", dense)] {
    Benchmark("SA, 1000 sweeps, 16 reads in 8-lane packs, \(name)") { benchmark in
      var p = SimulatedAnnealing.Parameters()
      p.reads = 16
      p.threads = 1
      p.sweeps = 1000
      var rng = SplitMix64(seed: 1)
      let set = try SimulatedAnnealing(p).sample(problem, using: &rng)
      benchmark.measurement(updatesMetric, updates(set) / 1000)
      blackHole(set)
    }
  }

  let betas = (0..<10).map { 0.05 * Double($0 + 1) }
  for (perStep, reads) in [(1, 1), (200, 1), (1, 8), (200, 8)] {
    Benchmark("SA, 10 β x \(perStep) sweeps, \(reads) reads (allocations)") { benchmark in
      var p = SimulatedAnnealing.Parameters()
      p.reads = reads
      p.threads = 1
      p.schedule = Schedule(betas: betas, sweepsPerBeta: perStep)
      var rng = SplitMix64(seed: 1)
      blackHole(try SimulatedAnnealing(p).sample(sparse, using: &rng))
    }
  }

  Benchmark("PT, 8 replicas x 100 sweeps, sparse 2000x4") { benchmark in
    var p = ParallelTempering.Parameters()
    p.reads = 1
    p.threads = 1
    p.sweeps = 100
    p.replicas = 8
    var rng = SplitMix64(seed: 1)
    let set = try ParallelTempering(p).sample(sparse, using: &rng)
    benchmark.measurement(updatesMetric, updates(set) / 1000)
    blackHole(set)
  }

  Benchmark("Tabu, 20000 iterations, sparse 2000x4") { benchmark in
    var p = TabuSearch.Parameters()
    p.reads = 1
    p.threads = 1
    p.restarts = 1
    p.stallIterations = 20_000
    var rng = SplitMix64(seed: 1)
    let set = try TabuSearch(p).sample(sparse, using: &rng)
    benchmark.measurement(updatesMetric, updates(set) / 1000)
    blackHole(set)
  }
}
