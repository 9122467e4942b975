import QUBOModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Brute-force oracles over all `2^n` spin states of a small problem.
///
/// State `x` (an integer in `0..<2^n`) has spin `i` up iff bit `i` is set.
public enum BruteForce {
  /// The spins of state `x`.
  public static func spins(_ x: Int, n: Int) -> [Int8] {
    (0..<n).map { (x >> $0) & 1 == 1 ? 1 : -1 }
  }

  /// The index of a spin row.
  public static func index<C: Collection>(_ spins: C) -> Int where C.Element == Int8 {
    var x = 0
    for (i, s) in spins.enumerated() where s == 1 { x |= 1 << i }
    return x
  }

  /// The energy of every state, recomputed from scratch.
  public static func energies(_ problem: IsingProblem) -> [Double] {
    precondition(problem.numSpins <= 24, "brute force is for small problems")
    return (0..<(1 << problem.numSpins)).map {
      problem.energy(spins($0, n: problem.numSpins))
    }
  }

  /// The Boltzmann distribution `p(x) ∝ exp(−β E(x))` over all states.
  public static func boltzmann(_ problem: IsingProblem, beta: Double) -> [Double] {
    let e = energies(problem)
    let low = e.min() ?? 0
    let w = e.map { exp(-beta * ($0 - low)) }
    let z = w.reduce(0, +)
    return w.map { $0 / z }
  }

  /// The lowest energy.
  public static func groundEnergy(_ problem: IsingProblem) -> Double {
    energies(problem).min() ?? problem.offset
  }
}
