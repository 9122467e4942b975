// The identity of an instance's content, for cell keys: FNV-1a over the bit
// patterns of the frozen spin form (sizes, fields, CSR rows, couplings and
// offset). Two files with the same model in different formats, labels or
// vartypes hash alike; any change of a bias, an edge or a planted density
// changes the hash, so a stored cell is never reused for a changed instance.

import QUBOModel

/// A stable 64-bit hash of what a sampler sees of a model.
public enum InstanceFingerprint {
  /// The fingerprint of `problem`.
  ///
  /// - Complexity: O(n + m).
  public static func of(_ problem: IsingProblem) -> UInt64 {
    var hash = Hasher64()
    hash.add(UInt64(problem.numSpins))
    for x in problem.h { hash.add(x.bitPattern) }
    for x in problem.rowStart { hash.add(UInt64(UInt32(bitPattern: x))) }
    for x in problem.neighbor { hash.add(UInt64(UInt32(bitPattern: x))) }
    for x in problem.coupling { hash.add(x.bitPattern) }
    hash.add(problem.offset.bitPattern)
    return hash.value
  }

  /// FNV-1a over 64-bit words, byte by byte (stable across runs and machines).
  struct Hasher64 {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ word: UInt64) {
      var w = word
      for _ in 0..<8 {
        value ^= w & 0xFF
        value = value &* 0x0100_0000_01b3
        w >>= 8
      }
    }
  }
}
