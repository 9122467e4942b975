import QUBOEncoding
import QUBOModel

/// A search space spelled in bits: each parameter's value index is an
/// integer variable of a `QUBOEncoding.Model` (one-hot, binary or
/// domain-wall), so the model supplies the bits, their decoding, and the
/// penalties that make invalid patterns (two hot bits, a broken wall) cost
/// energy.
public struct BitEncoding: Sendable {
  /// The space encoded.
  public let space: SearchSpace
  /// How each parameter's index is spelled (the first parameter's, when
  /// they differ; see `encodings`).
  public let encoding: IntegerEncoding
  /// How each parameter's index is spelled, in `space.names` order.
  public let encodings: [IntegerEncoding]
  /// Bit labels in bit order (`name[k]`).
  public let labels: [String]
  /// Bit positions of each parameter (in `space.names` order).
  let positions: [[Int]]
  /// Indices into `positions[k]` in increasing bit order.
  let ascending: [[Int]]
  /// Each parameter's pattern per index (`value − lower`), computed once
  /// for parameters of at most `tabulated` values; `nil` for larger ones,
  /// which are encoded on demand. (Encoding allocated its coefficients on
  /// every call: 9 % of a 256-bit trust-region proposal.)
  let patterns: [[[Int8]?]?]
  /// The largest parameter whose patterns are tabulated.
  static let tabulated = 64
  let variables: [IntegerVariable]
  let compiled: CompiledModel

  /// Encodes `space` with `encoding` for every parameter.
  public init(space: SearchSpace, encoding: IntegerEncoding) throws {
    try self.init(space: space, encodings: space.names.map { _ in encoding })
  }

  /// Encodes `space`, parameter `k` with `encodings[k]`.
  public init(space: SearchSpace, encodings: [IntegerEncoding]) throws {
    self.space = space
    self.encodings = encodings
    self.encoding = encodings.first ?? .oneHot
    var model = Model()
    for (k, (name, radix)) in zip(space.names, space.radices).enumerated() {
      _ = model.integer(name, lower: 0, upper: radix - 1, encoding: encodings[k])
    }
    compiled = try model.compile()
    labels = compiled.labels
    var index: [String: Int] = [:]
    for (k, l) in labels.enumerated() { index[l] = k }
    var vars: [IntegerVariable] = []
    var pos: [[Int]] = []
    for name in space.names {
      guard let v = compiled.integers.first(where: { $0.name == name }) else {
        throw TuningError.invalidParameter(key: name, "could not be encoded")
      }
      let width = v.upper - v.lower
      let count = encodings[vars.count].bitCount(width: width)
      let p = (0..<count).map { index["\(name)[\($0)]"] ?? -1 }
      guard !p.contains(-1) else {
        throw TuningError.invalidParameter(key: name, "could not be encoded")
      }
      vars.append(v)
      pos.append(p)
    }
    variables = vars
    positions = pos
    ascending = pos.map { p in p.indices.sorted { p[$0] < p[$1] } }
    patterns = vars.map { v in
      let count = v.upper - v.lower + 1
      guard count <= Self.tabulated else { return nil }
      return (0..<count).map { v.encode(v.lower + $0) }
    }
  }

  /// The number of bits.
  public var bitCount: Int { labels.count }

  /// The bits of a configuration (canonical pattern of each index).
  public func bits(of configuration: [Int]) -> [Int8] {
    var out = [Int8](repeating: 0, count: bitCount)
    for k in variables.indices {
      guard let spelled = pattern(k, configuration[k]) else { continue }
      for (b, p) in zip(spelled, positions[k]) { out[p] = b }
    }
    return out
  }

  /// Parameter `k`'s bit pattern at index `value` (the variable's
  /// encoding; `nil` outside its range).
  func pattern(_ k: Int, _ value: Int) -> [Int8]? {
    guard let table = patterns[k] else { return variables[k].encode(value) }
    let i = value - variables[k].lower
    return i >= 0 && i < table.count ? table[i] : nil
  }

  /// Calls `body(bit, value)` for each bit of parameter `k` when its index
  /// is `value`, in increasing bit order: the bits `bits(of:)` writes for
  /// that parameter (all 0 when `value` cannot be encoded), without
  /// encoding the other parameters.
  func forEachBit(ofParameter k: Int, value: Int, _ body: (Int, Int8) -> Void) {
    let spelled = pattern(k, value)
    for j in ascending[k] {
      body(positions[k][j], spelled.map { j < $0.count ? $0[j] : 0 } ?? 0)
    }
  }

  /// The configuration `bits` spell, or `nil` when a parameter's pattern is
  /// invalid or its index is out of range.
  public func configuration<C: RandomAccessCollection>(of bits: C) -> [Int]?
  where C.Element == Int8, C.Index == Int {
    var out: [Int] = []
    out.reserveCapacity(variables.count)
    let base = bits.startIndex
    for (k, v) in variables.enumerated() {
      let pattern = positions[k].map { bits[base + $0] }
      guard let i = v.decode(pattern).value, i < space.radices[k] else { return nil }
      out.append(i)
    }
    return out
  }

  /// The penalty model of the encoding.
  ///
  /// Zero on every valid pattern, at least `strength` on each invalid one.
  /// Variables are `labels`, in order.
  public func penaltyModel(strength: Double) throws -> BinaryQuadraticModel {
    var bqm = BinaryQuadraticModel(vartype: .binary)
    for l in labels { _ = bqm.addVariable(.string(l)) }
    let names = compiled.penaltyNames
    guard !names.isEmpty else { return bqm }
    let penalties = Dictionary(uniqueKeysWithValues: names.map { ($0, strength) })
    bqm.merge(try compiled.instantiate(penalties: penalties))
    return bqm
  }
}
