import Foundation
import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// The packed kernel's bookkeeping against recomputation: after sweeps at
/// several β, every lane's tracked energy (units of q) and every field equal
/// a fresh computation from that lane's spins, for 8- and 16-lane packs
/// and both sweep variants (skipping and branch-free),
/// small and near-maximal (|φ| close to 4096) integer biases and a quantum
/// q = 1/4.
@Suite struct PackedSystemTests {
  static func model(scale: Double, degree: Int, seed: UInt64) -> BinaryQuadraticModel {
    var rng = SplitMix64(seed: seed)
    let n = 40
    var m = BinaryQuadraticModel(vartype: .spin, count: n)
    for i in 0..<n {
      m.addLinear(index: i, scale * Double(Int(rng.next() % 7) - 3))
      for _ in 0..<(degree / 2) {
        let j = Int(rng.next() % UInt64(n))
        if j != i { m.addQuadratic(index: i, j, scale * Double(Int(rng.next() % 9) - 4)) }
      }
    }
    return m
  }

  @Test(arguments: [1, 2])
  func trackedStateMatchesRecomputation(_ halves: Int) throws {
    for (scale, degree) in [(1.0, 6), (0.25, 6), (60.0, 16)] {
      let problem = IsingProblem(Self.model(scale: scale, degree: degree, seed: 3))
      let buffers = ProblemBuffers(problem)
      let biases = try #require(buffers.quantized)
      #expect(PackedSystem.fits(buffers))
      let n = buffers.n
      var rng = Xoshiro256PlusPlus(seed: 5)
      let system = PackedSystem(buffers, biases, halves: halves, acceptance: .metropolis) {
        _, s in for i in 0..<n { s[i] = rng.next() & 1 == 0 ? -1 : 1 }
      }
      defer { system.deallocate() }
      let row = UnsafeMutablePointer<Int8>.allocate(capacity: n)
      defer { row.deallocate() }
      for beta in [0.05, 0.5, 3.0] {
        system.prepare(beta: beta / biases.q)
        // Both sweep variants the driver chooses between, in turn.
        for sweep in 0..<4 {
          switch (halves, sweep % 2 == 0) {
          case (2, true): system.sweep(SixteenLanes.self, PackedSkipping.self, rng: &rng)
          case (2, false): system.sweep(SixteenLanes.self, PackedBranchFree.self, rng: &rng)
          case (_, true): system.sweep(EightLanes.self, PackedBranchFree.self, rng: &rng)
          case (_, false): system.sweep(EightLanes.self, PackedSkipping.self, rng: &rng)
          }
        }
        for lane in 0..<system.width {
          system.extract(system.s, lane: lane, to: row)
          let tracked =
            buffers.offset
            + biases.q * Double(system.units[lane / PackedSystem.lanes][lane % PackedSystem.lanes])
          #expect(tracked == buffers.energy(row), "scale \(scale) lane \(lane)")
          for i in 0..<n {
            var phi = Int(biases.h[i])
            for e in Int(buffers.start[i])..<Int(buffers.start[i + 1]) {
              phi += Int(biases.coupling[e]) * Int(row[Int(buffers.neighbor[e])])
            }
            let stored = system.f[i * halves + lane / PackedSystem.lanes][lane % PackedSystem.lanes]
            #expect(Int(stored) == phi)
          }
        }
      }
    }
  }

  /// Thresholds: T(k) + 1 = round(A(k)·2^31), so certain moves are certain.
  @Test func thresholdTable() throws {
    let problem = IsingProblem(Self.model(scale: 1, degree: 4, seed: 1))
    let buffers = ProblemBuffers(problem)
    let biases = try #require(buffers.quantized)
    for acceptance in Acceptance.allCases {
      let system = PackedSystem(buffers, biases, halves: 1, acceptance: acceptance) { _, _ in }
      defer { system.deallocate() }
      system.prepare(beta: 0.4)
      let t = system.threshold + system.bound
      for k in -system.bound...system.bound {
        let x = 0.8 * Double(k)
        let a = acceptance == .metropolis ? min(1, exp(-x)) : 1 / (1 + exp(x))
        #expect(abs(Double(t[k]) + 1 - a * 0x1p31) <= 0.5 + 1e-9 * 0x1p31)
      }
      if acceptance == .metropolis { #expect(t[0] == Int32.max) }
    }
  }
}
