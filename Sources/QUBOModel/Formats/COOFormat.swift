// dimod's COO text format (`dimod.serialization.coo`):
//
//   # vartype=SPIN
//   0 0 -1.000000      ← i == j: linear bias of variable i
//   0 1 0.500000       ← i != j: interaction of i and j
//
// Labels are non-negative integers; the model has exactly the labels that
// appear (as in dimod), sorted, so a file using 0..<n gives the range
// model. Repeated entries are summed, as dimod's `add_variable` /
// `add_interaction` do. Unlike dimod, which silently skips any line its
// regular expression does not match, every non-comment line must be a
// valid `i j bias` triple.
//
// The format has no offset. Anneal writes one as `# offset=<value>`, a
// comment dimod ignores, and reads it back, so its own round trips keep the
// offset. Writing needs labels that are non-negative integers (string
// labels are refused; relabel with `relabeledToIndices()`), and writes
// `i i bias` for every variable with a linear bias or no interaction, so the
// variable set survives the trip too.

enum COOFormat {
  static func read(
    _ text: UnsafeBufferPointer<UInt8>, path: String, vartype hint: Vartype?
  ) throws -> (model: BinaryQuadraticModel, notes: [String]) {
    var r = TextReader(path: path, text: text)
    var vartype: Vartype?
    var vartypeLine = 0
    var offset = 0.0
    var sawContent = false
    var us: [Int] = [], vs: [Int] = [], bs: [Double] = [], lines: [Int] = []
    let guess = text.count / 6
    us.reserveCapacity(guess)
    lines.reserveCapacity(guess)
    vs.reserveCapacity(guess)
    bs.reserveCapacity(guess)
    while r.advance() {
      guard let first = r.firstByte else { continue }
      sawContent = true
      if first == UInt8(ascii: "#") {
        let comment = r.currentLine()
        if let value = keyword("vartype", in: comment) {
          guard let vt = Vartype(parsing: value) else {
            throw r.fail("unknown vartype '\(value)' (expected SPIN or BINARY)")
          }
          if let vartype, vartype != vt {
            throw r.fail(
              "vartype \(vt.rawValue) contradicts \(vartype.rawValue) on line \(vartypeLine)")
          }
          vartype = vt
          vartypeLine = r.line
        }
        if let value = keyword("offset", in: comment) {
          guard case .value(let d) = parseNumber(value) else {
            throw r.fail("offset '\(value)' is not a finite number")
          }
          try r.add(d, to: &offset, "the offset")
        }
        continue
      }
      let i = try r.int("label i")
      let j = try r.int("label j")
      guard i >= 0, j >= 0 else {
        throw r.fail("label \(min(i, j)) is negative; COO labels are non-negative integers")
      }
      let b = try r.double("bias")
      try r.expectEndOfLine("'i j bias'")
      us.append(i)
      vs.append(j)
      bs.append(b)
      lines.append(r.line)
    }
    guard sawContent else {
      throw ModelFileError(
        path: path, line: 1, reason: "the file is empty (expected 'i j bias' lines)")
    }
    var notes: [String] = []
    if let hint, let vartype, hint != vartype {
      throw ModelFileError(
        path: path, line: vartypeLine,
        reason: "the header says vartype=\(vartype.rawValue) but \(hint.rawValue) was requested")
    }
    let vt: Vartype
    if let chosen = vartype ?? hint {
      vt = chosen
    } else {
      vt = .binary
      notes.append("no '# vartype=' header: read as BINARY (a QUBO)")
    }
    var labels = us + vs
    labels.sort()
    var unique: [Int] = []
    unique.reserveCapacity(labels.count)
    for l in labels where unique.last != l { unique.append(l) }
    var model: BinaryQuadraticModel
    var index: [Int: Int] = [:]
    let isRange = unique.last.map { $0 == unique.count - 1 } ?? true
    if isRange {
      model = BinaryQuadraticModel(vartype: vt, count: unique.count)
    } else {
      model = BinaryQuadraticModel(vartype: vt)
      index.reserveCapacity(unique.count)
      for l in unique { index[l] = model.addVariable(.int(l)) }
      notes.append("labels are not 0..<\(unique.count); kept as given (\(unique.count) variables)")
    }
    model.offset = offset
    model.quadratic.reserveCapacity(bs.count)
    for k in bs.indices {
      let i = isRange ? us[k] : index[us[k]] ?? 0
      let j = isRange ? vs[k] : index[vs[k]] ?? 0
      let what = "the sum of the entries for \(us[k]) \(vs[k])"
      if i == j {
        try r.add(bs[k], to: &model.linear[i], what, line: lines[k])
      } else {
        try r.add(
          bs[k], to: &model.quadratic[QuadraticKey(i, j), default: 0], what, line: lines[k])
      }
    }
    return (model, notes)
  }

  /// The value after `name=` or `name:` in a comment, if present, lowercased.
  static func keyword(_ name: String, in comment: String) -> String? {
    let lower = comment.lowercased()
    guard let range = lower.range(of: name) else { return nil }
    var rest = lower[range.upperBound...]
    guard let sep = rest.first, sep == "=" || sep == ":" else { return nil }
    rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
    let value = rest.prefix { !$0.isWhitespace }
    return value.isEmpty ? nil : String(value)
  }

  static func parseNumber(_ s: String) -> ParsedNumber<Double> {
    let bytes = Array(s.utf8)
    return bytes.withUnsafeBufferPointer { TextReader.parseDouble($0, 0..<$0.count) }
  }

  /// The integer label of every variable, or an error naming the first that
  /// is not a non-negative integer.
  static func integerLabels(
    _ model: BinaryQuadraticModel, path: String, format: String
  ) throws -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(model.numVariables)
    for label in model.variables {
      guard case .int(let i) = label, i >= 0 else {
        throw ModelFileError(
          path: path, line: nil,
          reason:
            "\(format) needs non-negative integer labels and the model has "
            + "'\(label)'; write JSON instead, or relabel with relabeledToIndices()"
        )
      }
      out.append(i)
    }
    return out
  }

  static func write(_ model: BinaryQuadraticModel, path: String) throws -> String {
    try DimodJSON.checkFinite(model, path: path)
    let labels = try integerLabels(model, path: path, format: "COO")
    var hasInteraction = [Bool](repeating: false, count: model.numVariables)
    var entries: [(u: Int, v: Int, bias: Double)] = []
    entries.reserveCapacity(model.numInteractions + model.numVariables)
    for (key, b) in model.quadratic {
      hasInteraction[key.i] = true
      hasInteraction[key.j] = true
      let (a, c) = (labels[key.i], labels[key.j])
      entries.append((min(a, c), max(a, c), b))
    }
    for i in 0..<model.numVariables where model.linear[i] != 0 || !hasInteraction[i] {
      entries.append((labels[i], labels[i], model.linear[i]))
    }
    entries.sort { ($0.u, $0.v) < ($1.u, $1.v) }
    var out = "# vartype=\(model.vartype.rawValue)\n"
    if model.offset != 0 { out += "# offset=\(DecimalText.positional(model.offset))\n" }
    out.reserveCapacity(out.utf8.count + entries.count * 24)
    for e in entries {
      out += "\(e.u) \(e.v) \(DecimalText.positional(e.bias))\n"
    }
    return out
  }
}
