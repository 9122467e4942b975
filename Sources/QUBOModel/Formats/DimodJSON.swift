// dimod's JSON serialization of a BinaryQuadraticModel (`bqm_schema` 3.0.0),
// as written by `json.dump(bqm.to_serializable(), f)` and read by
// `dimod.BinaryQuadraticModel.from_serializable(json.load(f))`:
//
//   {"type": "BinaryQuadraticModel", "version": {"bqm_schema": "3.0.0"},
//    "use_bytes": false, "index_type": "int32", "bias_type": "float64",
//    "num_variables": n, "num_interactions": m, "variable_labels": [...],
//    "variable_type": "BINARY" | "SPIN", "offset": c, "info": {},
//    "linear_biases": [n numbers], "quadratic_biases": [m numbers],
//    "quadratic_head": [m indices], "quadratic_tail": [m indices]}
//
// Head and tail index `variable_labels`. Repeated pairs are summed, as
// dimod's `from_numpy_vectors` does. `use_bytes: true` stores raw
// little-endian arrays as Python `bytes`, which JSON cannot carry (that
// layout exists for BSON), so it is refused with an explanation. Labels
// must be integers or strings; dimod's tuple labels (JSON lists) and float
// labels are refused rather than silently renamed.

enum DimodJSON {
  static func read(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws -> BinaryQuadraticModel
  {
    let root: JSONValue
    do {
      root = try JSONValue(parsing: bytes)
    } catch let e as JSONParseError {
      throw ModelFileError(path: path, line: e.line, reason: "invalid JSON: \(e.reason)")
    }
    let doc = Document(bytes: bytes, path: path)
    guard case .object(let obj) = root else {
      throw doc.fail(nil, "expected a JSON object (a dimod BinaryQuadraticModel)")
    }
    if let type = obj["type"], type != .string("BinaryQuadraticModel") {
      throw doc.fail(
        "type",
        "\"type\" is \(type.serialized()); only a dimod "
          + "BinaryQuadraticModel is a model (a SampleSet is not)"
      )
    }
    guard case .object(let version)? = obj["version"],
      case .string(let schema)? = version["bqm_schema"]
    else {
      throw doc.fail(
        "version",
        "missing \"version\": {\"bqm_schema\": \"3.0.0\"}; "
          + "not a dimod BinaryQuadraticModel serialization"
      )
    }
    guard schema.hasPrefix("3.") else {
      throw doc.fail(
        "bqm_schema", "bqm_schema \(schema) is not supported (only 3.x, dimod ≥ 0.10)")
    }
    if obj["use_bytes"] == .bool(true) {
      throw doc.fail(
        "use_bytes",
        "use_bytes is true: the arrays are raw bytes, which JSON cannot "
          + "carry; write the model with bqm.to_serializable(use_bytes=False)"
      )
    }
    guard case .string(let vt)? = obj["variable_type"], let vartype = Vartype(rawValue: vt) else {
      throw doc.fail("variable_type", "\"variable_type\" must be \"BINARY\" or \"SPIN\"")
    }
    let offset = try doc.number(obj, "offset")
    let labelValues = try doc.array(obj, "variable_labels")
    var labels: [Label] = []
    labels.reserveCapacity(labelValues.count)
    for (k, v) in labelValues.enumerated() {
      switch v {
      case .int(let i): labels.append(.int(i))
      case .string(let s): labels.append(.string(s))
      case .array:
        throw doc.fail(
          "variable_labels",
          "variable_labels[\(k)] is a tuple label; Anneal supports "
            + "integer and string labels only (relabel in dimod first)"
        )
      case .double, .bool, .null, .object:
        throw doc.fail(
          "variable_labels",
          "variable_labels[\(k)] is \(v.serialized()); labels must be integers or strings")
      }
    }
    let n = labels.count
    let linear = try doc.numbers(obj, "linear_biases")
    guard linear.count == n else {
      throw doc.fail(
        "linear_biases", "linear_biases has \(linear.count) entries for \(n) variable labels")
    }
    let biases = try doc.numbers(obj, "quadratic_biases")
    let heads = try doc.indices(obj, "quadratic_head", count: n)
    let tails = try doc.indices(obj, "quadratic_tail", count: n)
    guard heads.count == biases.count, tails.count == biases.count else {
      throw doc.fail(
        "quadratic_head",
        "quadratic_head, quadratic_tail and quadratic_biases differ "
          + "in length (\(heads.count), \(tails.count), \(biases.count))"
      )
    }
    if case .int(let declared)? = obj["num_variables"], declared != n {
      throw doc.fail(
        "num_variables", "num_variables is \(declared) but there are \(n) variable labels")
    }
    if case .int(let declared)? = obj["num_interactions"], declared != biases.count {
      throw doc.fail(
        "num_interactions",
        "num_interactions is \(declared) but there are \(biases.count) quadratic biases")
    }
    var model: BinaryQuadraticModel
    if labels.enumerated().allSatisfy({ $0.element == .int($0.offset) }) {
      model = BinaryQuadraticModel(vartype: vartype, count: n)
    } else {
      model = BinaryQuadraticModel(vartype: vartype)
      for (k, label) in labels.enumerated() {
        guard model.addVariable(label) == k else {
          throw doc.fail("variable_labels", "variable label \(label) appears twice")
        }
      }
    }
    model.linear = linear
    model.offset = offset
    model.quadratic.reserveCapacity(biases.count)
    for k in biases.indices {
      let (i, j) = (heads[k], tails[k])
      guard i != j else {
        throw doc.fail("quadratic_head", "interaction \(k) joins variable \(labels[i]) to itself")
      }
      let key = QuadraticKey(i, j)
      let sum = model.quadratic[key, default: 0] + biases[k]
      guard sum.isFinite else {
        throw doc.fail(
          "quadratic_biases",
          "quadratic_biases[\(k)] added to the earlier biases of the pair "
            + "(\(labels[i]), \(labels[j])) overflows a Double")
      }
      model.quadratic[key] = sum
    }
    return model
  }

  /// Finds keys in the raw text so that errors about a field can name its line.
  struct Document {
    let bytes: UnsafeBufferPointer<UInt8>
    let path: String

    func line(of key: String) -> Int? {
      let needle = Array("\"\(key)\"".utf8)
      guard needle.count <= bytes.count else { return nil }
      var line = 1
      var p = 0
      while p + needle.count <= bytes.count {
        if bytes[p] == 0x0A { line += 1 }
        if bytes[p] == needle[0] && bytes[p..<(p + needle.count)].elementsEqual(needle) {
          return line
        }
        p += 1
      }
      return nil
    }

    func fail(_ key: String?, _ reason: String) -> ModelFileError {
      ModelFileError(path: path, line: key.flatMap(line(of:)) ?? 1, reason: reason)
    }

    func number(_ obj: [String: JSONValue], _ key: String) throws -> Double {
      guard let v = obj[key] else { throw fail(nil, "missing \"\(key)\"") }
      guard let d = v.doubleValue else {
        throw fail(key, "\"\(key)\" is \(v.serialized()), not a number")
      }
      return d
    }

    func array(_ obj: [String: JSONValue], _ key: String) throws -> [JSONValue] {
      guard let v = obj[key] else { throw fail(nil, "missing \"\(key)\"") }
      guard case .array(let items) = v else {
        throw fail(key, "\"\(key)\" is not a JSON array")
      }
      return items
    }

    func numbers(_ obj: [String: JSONValue], _ key: String) throws -> [Double] {
      let items = try array(obj, key)
      var out = [Double]()
      out.reserveCapacity(items.count)
      for (k, v) in items.enumerated() {
        guard let d = v.doubleValue else {
          throw fail(key, "\(key)[\(k)] is \(v.serialized()), not a number")
        }
        out.append(d)
      }
      return out
    }

    func indices(_ obj: [String: JSONValue], _ key: String, count n: Int) throws -> [Int] {
      let items = try array(obj, key)
      var out = [Int]()
      out.reserveCapacity(items.count)
      for (k, v) in items.enumerated() {
        guard case .int(let i) = v else {
          throw fail(key, "\(key)[\(k)] is \(v.serialized()), not an integer index")
        }
        guard i >= 0 && i < n else {
          throw fail(
            key, "\(key)[\(k)] = \(i) is out of range (there are \(n) variables, indexed from 0)")
        }
        out.append(i)
      }
      return out
    }
  }

  static func write(_ model: BinaryQuadraticModel, path: String) throws -> String {
    try checkFinite(model, path: path)
    let terms = model.sortedInteractions
    var out = "{\"type\": \"BinaryQuadraticModel\", \"version\": {\"bqm_schema\": \"3.0.0\"}, "
    out += "\"use_bytes\": false, \"index_type\": \"int32\", \"bias_type\": \"float64\", "
    out += "\"num_variables\": \(model.numVariables), \"num_interactions\": \(terms.count), "
    out += "\"variable_labels\": ["
    for (k, label) in model.variables.enumerated() {
      if k > 0 { out += ", " }
      out += label.jsonValue.serialized()
    }
    out += "], \"variable_type\": \"\(model.vartype.rawValue)\", "
    out += "\"offset\": \(JSONValue.format(model.offset)), \"info\": {}, \"linear_biases\": "
    appendList(model.linear.lazy.map(JSONValue.format), to: &out)
    out += ", \"quadratic_biases\": "
    appendList(terms.lazy.map { JSONValue.format($0.bias) }, to: &out)
    out += ", \"quadratic_head\": "
    appendList(terms.lazy.map { String($0.i) }, to: &out)
    out += ", \"quadratic_tail\": "
    appendList(terms.lazy.map { String($0.j) }, to: &out)
    out += "}\n"
    return out
  }

  static func appendList<S: Sequence>(_ items: S, to out: inout String) where S.Element == String {
    out += "["
    var first = true
    for item in items {
      if !first { out += ", " }
      first = false
      out += item
    }
    out += "]"
  }

  /// Throws unless every bias and the offset are finite (no format here can
  /// spell NaN or infinity in a way dimod reads back).
  static func checkFinite(_ model: BinaryQuadraticModel, path: String) throws {
    func bad(_ what: String) -> ModelFileError {
      ModelFileError(
        path: path, line: nil, reason: "cannot write a model with a non-finite \(what)")
    }
    guard model.offset.isFinite else { throw bad("offset") }
    if let i = model.linear.firstIndex(where: { !$0.isFinite }) {
      throw bad("linear bias (variable \(model.variables.label(at: i)))")
    }
    if model.quadratic.values.contains(where: { !$0.isFinite }) {
      throw bad("quadratic bias")
    }
  }
}
