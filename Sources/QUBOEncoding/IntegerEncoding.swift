// Integer variables as bits. For a domain lo...hi with D = hi − lo:
//
// - one-hot:     D+1 bits x_v, value = Σ_v (lo+v)·x_v; valid iff Σ x_v = 1
//                (a penalty constraint "<name>.one-hot").
// - binary:      ⌊log2 D⌋+1 bits with the bounded coefficients
//                1, 2, …, 2^(k−2), D − (2^(k−1) − 1), value = lo + Σ c_k b_k.
//                Every pattern is a value in range and every value is
//                reachable, so no pattern is invalid and no penalty is needed.
// - unary:       D bits, value = lo + Σ b_k (a count; every pattern valid,
//                several patterns per value).
// - domain-wall: D bits, value = lo + Σ b_k, valid iff the bits are
//                1…1 0…0 (a single wall). The penalty
//                Σ_k b_{k+1}(1 − b_k) counts the wrong steps
//                (constraint "<name>.domain-wall"). Chancellor, "Domain wall
//                encoding of discrete variables for quantum annealing and
//                QAOA", Quantum Sci. Technol. 4 045004 (2019).

/// How an integer variable is spelled in bits.
public enum IntegerEncoding: String, Sendable, Hashable, CaseIterable {
  /// One bit per value, exactly one set.
  case oneHot = "one-hot"
  /// Logarithmically many bits with bounded coefficients.
  case binary
  /// One bit per step, the value is how many are set.
  case unary
  /// One bit per step, set bits first (a thermometer with one wall).
  case domainWall = "domain-wall"

  /// The number of bits for a domain of `width + 1` values.
  public func bitCount(width: Int) -> Int {
    switch self {
    case .oneHot: return width + 1
    case .unary, .domainWall: return width
    case .binary: return width == 0 ? 0 : Int.bitWidth - width.leadingZeroBitCount
    }
  }

  /// The coefficient of each bit in `value − lower` (one-hot: `value − lower`
  /// of each bit's value).
  public func coefficients(width: Int) -> [Int] {
    switch self {
    case .oneHot: return Array(0...width)
    case .unary, .domainWall: return Array(repeating: 1, count: width)
    case .binary:
      let k = bitCount(width: width)
      if k == 0 { return [] }
      var c = (0..<(k - 1)).map { 1 << $0 }
      c.append(width - ((1 << (k - 1)) - 1))
      return c
    }
  }
}

/// An integer variable of a model: its bounds, encoding and bits.
public struct IntegerVariable: Sendable {
  /// The variable's name.
  public let name: String
  /// The smallest value.
  public let lower: Int
  /// The largest value.
  public let upper: Int
  /// How the value is spelled in bits.
  public let encoding: IntegerEncoding
  /// The ids of the bits, in encoding order.
  let bits: [Int32]

  /// The value spelled by `pattern` (one 0/1 entry per bit, in encoding
  /// order), or why the pattern spells no value.
  public func decode(_ pattern: [Int8]) -> IntegerDecoding {
    let width = upper - lower
    let c = encoding.coefficients(width: width)
    guard pattern.count == c.count else {
      return .invalid("expected \(c.count) bits, got \(pattern.count)")
    }
    switch encoding {
    case .oneHot:
      let hot = pattern.indices.filter { pattern[$0] != 0 }
      guard hot.count == 1 else {
        return .invalid("\(hot.count) bits hot (one-hot needs exactly 1)")
      }
      return .value(lower + hot[0])
    case .binary, .unary:
      var v = lower
      for k in pattern.indices where pattern[k] != 0 { v += c[k] }
      return .value(v)
    case .domainWall:
      let ones = pattern.reduce(0) { $0 + Int($1 != 0 ? 1 : 0) }
      for k in 0..<ones where pattern[k] == 0 {
        return .invalid("bits are not 1…1 0…0 (gap at bit \(k))")
      }
      return .value(lower + ones)
    }
  }

  /// A bit pattern that spells `value` (the canonical one for encodings with
  /// several), or `nil` when `value` is out of range.
  public func encode(_ value: Int) -> [Int8]? {
    guard value >= lower && value <= upper else { return nil }
    let width = upper - lower
    let d = value - lower
    let c = encoding.coefficients(width: width)
    switch encoding {
    case .oneHot:
      return c.indices.map { $0 == d ? 1 : 0 }
    case .unary, .domainWall:
      return c.indices.map { $0 < d ? 1 : 0 }
    case .binary:
      // Greedy from the largest coefficient: the last one takes the part
      // that the power-of-two prefix cannot spell.
      var rest = d
      var bits = [Int8](repeating: 0, count: c.count)
      for k in c.indices.reversed() where c[k] <= rest {
        bits[k] = 1
        rest -= c[k]
      }
      return rest == 0 ? bits : nil
    }
  }
}

/// The value an integer variable takes in a sample, or why it has none.
public enum IntegerDecoding: Sendable, Equatable {
  /// A valid pattern spelling this value.
  case value(Int)
  /// A pattern no value spells (e.g. two hot bits), with the reason.
  case invalid(String)

  /// The value, `nil` when the pattern was invalid.
  public var value: Int? {
    switch self {
    case .value(let v): return v
    case .invalid: return nil
    }
  }
}

extension Model {
  /// An integer variable `lower ≤ n ≤ upper` spelled in bits by `encoding`.
  ///
  /// Returns the expression of its value. Bits are named `name[k]`.
  ///
  /// An empty domain (`upper < lower`) is recorded and reported by
  /// `compile()`; the returned expression is then the constant 0.
  public mutating func integer(
    _ name: String, lower: Int, upper: Int, encoding: IntegerEncoding = .binary
  ) -> Expr {
    guard upper >= lower else {
      errors.append(.emptyDomain(variable: name, lower: lower, upper: upper))
      return Expr()
    }
    let (span, overflow) = upper.subtractingReportingOverflow(lower)
    guard !overflow, span < 1 << 52 else {
      errors.append(
        .invalidArgument(
          "integer '\(name)': the domain \(lower)...\(upper) is too wide "
            + "(at most 2^52 values, so that values stay exact as Double)"))
      return Expr()
    }
    guard span <= 1 << 20 || encoding == .binary else {
      errors.append(
        .invalidArgument(
          "integer '\(name)': \(encoding.rawValue) encoding of "
            + "\(upper - lower + 1) values needs too many bits; use .binary"))
      return Expr()
    }
    if integerIndex[name] != nil || names[name] != nil {
      errors.append(.duplicateName(name))
    }
    let index = integers.count
    integerIndex[name] = index
    let width = upper - lower
    let c = encoding.coefficients(width: width)
    let bits = c.indices.map { newVariable("\(name)[\($0)]", .integerBit(index)) }
    integers.append(
      IntegerVariable(name: name, lower: lower, upper: upper, encoding: encoding, bits: bits))
    var e = Expr(Double(encoding == .oneHot ? 0 : lower))
    for k in bits.indices {
      e += Double(c[k] + (encoding == .oneHot ? lower : 0)) * .variable(bits[k])
    }
    switch encoding {
    case .oneHot:
      let count = Expr.sum(bits.map { Expr.variable($0) })
      constraints.append(
        Constraint(name: "\(name).one-hot", kind: .equal, expression: count - 1, encodes: index))
    case .domainWall where bits.count > 1:
      let steps = Expr.sum(1..<bits.count) { k in
        Expr.variable(bits[k]) * (1 - Expr.variable(bits[k - 1]))
      }
      constraints.append(
        Constraint(name: "\(name).domain-wall", kind: .penalty, expression: steps, encodes: index))
    case .binary, .unary, .domainWall:
      break
    }
    return e
  }

  /// An integer variable with the values of `range`.
  public mutating func integer(
    _ name: String, in range: ClosedRange<Int>, encoding: IntegerEncoding = .binary
  ) -> Expr {
    integer(name, lower: range.lowerBound, upper: range.upperBound, encoding: encoding)
  }

  /// Integer variables `name[0]`, …, `name[count−1]`, each in `range`.
  public mutating func integers(
    _ name: String, count: Int, in range: ClosedRange<Int>,
    encoding: IntegerEncoding = .binary
  ) -> [Expr] {
    let c = max(0, count)
    let list = (0..<c).map { integer("\(name)[\($0)]", in: range, encoding: encoding) }
    register(name, shape: [c], (0..<c).map { "\(name)[\($0)]" })
    return list
  }

  /// The integer variable called `name`, if there is one.
  public func integerVariable(_ name: String) -> IntegerVariable? {
    integerIndex[name].map { integers[$0] }
  }
}
