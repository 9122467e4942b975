// qbsolv's `.qubo` text format (dwavesystems/qbsolv, README "qbsolv QUBO
// input file format"):
//
//   c comment lines start with c
//   p qubo 0 maxNodes nNodes nCouplers     ← program line: topology 0
//   i i value                              ← nNodes diagonal (linear) lines
//   i j value                              ← nCouplers lines with i < j
//
// Indices are 0-based, below maxNodes; the model has the variables
// `0..<maxNodes` and is always BINARY. As in qbsolv's own reader, node and
// coupler lines may interleave, a coupler needs i < j, and the counts must
// match the program line. Repeated entries are summed.
//
// The format has no offset and no spin form. Anneal writes spin models in
// their binary form (same energies) and an offset as the comment
// `c offset=<value>`, which qbsolv ignores and Anneal reads back.
// Writing needs non-negative integer labels; maxNodes is the largest + 1.

enum QbsolvFormat {
  static func read(
    _ text: UnsafeBufferPointer<UInt8>, path: String, variableLimit: Int
  ) throws -> BinaryQuadraticModel {
    var r = TextReader(path: path, text: text)
    var offset = 0.0
    var header: (line: Int, maxNodes: Int, nodes: Int, couplers: Int)?
    var model = BinaryQuadraticModel(vartype: .binary)
    var nodes = 0, couplers = 0
    var sawContent = false
    while r.advance() {
      guard let first = r.firstByte else { continue }
      sawContent = true
      if first == UInt8(ascii: "c") || first == UInt8(ascii: "C") {
        if let value = COOFormat.keyword("offset", in: r.currentLine()) {
          guard case .value(let d) = COOFormat.parseNumber(value) else {
            throw r.fail("offset '\(value)' is not a finite number")
          }
          try r.add(d, to: &offset, "the offset")
        }
        continue
      }
      if first == UInt8(ascii: "p") || first == UInt8(ascii: "P") {
        if let header {
          throw r.fail("a second program line (the first is on line \(header.line))")
        }
        _ = r.nextField()
        guard let kind = r.nextField() else {
          throw r.fail("truncated program line; expected 'p qubo 0 maxNodes nNodes nCouplers'")
        }
        guard text[kind].elementsEqual("qubo".utf8) else {
          throw r.fail(
            "program line names \(r.quoted(kind)), expected 'p qubo 0 maxNodes nNodes nCouplers'")
        }
        guard r.nextField() != nil else {
          throw r.fail("missing topology: expected 'p qubo 0 maxNodes nNodes nCouplers'")
        }
        let maxNodes = try r.int("maxNodes")
        let nNodes = try r.int("nNodes")
        let nCouplers = try r.int("nCouplers")
        try r.expectEndOfLine("'p qubo 0 maxNodes nNodes nCouplers'")
        guard maxNodes >= 0, nNodes >= 0, nCouplers >= 0 else {
          throw r.fail("negative count in the program line")
        }
        try r.checkVariableCount(maxNodes, "maxNodes \(maxNodes)", limit: variableLimit)
        guard nNodes <= maxNodes else {
          throw r.fail("nNodes \(nNodes) exceeds maxNodes \(maxNodes)")
        }
        header = (r.line, maxNodes, nNodes, nCouplers)
        model = BinaryQuadraticModel(vartype: .binary, count: maxNodes)
        model.quadratic.reserveCapacity(min(nCouplers, text.count / 6))
        continue
      }
      guard let h = header else {
        throw r.fail("data before the program line 'p qubo 0 maxNodes nNodes nCouplers'")
      }
      let i = try r.index("index i", first: 0, last: h.maxNodes - 1)
      let j = try r.index("index j", first: 0, last: h.maxNodes - 1)
      let v = try r.double("value")
      try r.expectEndOfLine("'i j value'")
      if i == j {
        nodes += 1
        guard nodes <= h.nodes else {
          throw r.fail("more node lines (i i value) than nNodes = \(h.nodes) on line \(h.line)")
        }
        try r.add(v, to: &model.linear[i], "the sum of the node entries \(i) \(i)")
      } else {
        guard i < j else {
          throw r.fail("coupler \(i) \(j) has i > j; qbsolv requires i < j")
        }
        couplers += 1
        guard couplers <= h.couplers else {
          throw r.fail(
            "more coupler lines (i j value) than nCouplers = \(h.couplers) on line \(h.line)")
        }
        try r.add(
          v, to: &model.quadratic[QuadraticKey(i, j), default: 0],
          "the sum of the coupler entries \(i) \(j)")
      }
    }
    guard sawContent else {
      throw ModelFileError(
        path: path, line: 1,
        reason: "the file is empty (expected 'p qubo 0 maxNodes nNodes nCouplers')")
    }
    guard let h = header else {
      throw ModelFileError(
        path: path, line: r.line, reason: "no program line 'p qubo 0 maxNodes nNodes nCouplers'")
    }
    guard nodes == h.nodes, couplers == h.couplers else {
      throw ModelFileError(
        path: path, line: h.line,
        reason:
          "the program line declares \(h.nodes) nodes and \(h.couplers) "
          + "couplers, the file has \(nodes) and \(couplers) (truncated?)"
      )
    }
    model.offset = offset
    return model
  }

  static func write(_ model: BinaryQuadraticModel, path: String) throws -> String {
    try DimodJSON.checkFinite(model, path: path)
    let labels = try COOFormat.integerLabels(model, path: path, format: "qbsolv .qubo")
    let binary = model.changingVartype(to: .binary)
    let maxNodes = (labels.max() ?? -1) + 1
    var nodes: [(Int, Double)] = []
    for i in 0..<binary.numVariables where binary.linear[i] != 0 {
      nodes.append((labels[i], binary.linear[i]))
    }
    nodes.sort { $0.0 < $1.0 }
    var couplers: [(Int, Int, Double)] = binary.quadratic.map { key, b in
      let (a, c) = (labels[key.i], labels[key.j])
      return (min(a, c), max(a, c), b)
    }
    couplers.sort { ($0.0, $0.1) < ($1.0, $1.1) }
    var out = "c written by Anneal\n"
    if model.vartype == .spin { out += "c converted from a SPIN model (x = (s + 1)/2)\n" }
    if binary.offset != 0 { out += "c offset=\(DecimalText.positional(binary.offset))\n" }
    out += "p qubo 0 \(maxNodes) \(nodes.count) \(couplers.count)\n"
    out.reserveCapacity(out.utf8.count + (nodes.count + couplers.count) * 24)
    for (i, v) in nodes { out += "\(i) \(i) \(DecimalText.positional(v))\n" }
    for (i, j, v) in couplers { out += "\(i) \(j) \(DecimalText.positional(v))\n" }
    return out
  }
}
