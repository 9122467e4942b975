// dimod's binary BQM file, as written by `bqm.to_file()` and read by
// `dimod.BinaryQuadraticModel.from_file` (dimod ≥ 0.10, format 1.0 and 2.0):
//
//   "DIMODBQM"  major  minor  header_len (u32 LE)  header (ASCII JSON, "\n",
//   space padding to a multiple of 64 bytes)
//   offset                              dtype
//   n × (neighbourhood start, bias)     (ntype, dtype), packed
//   2m × (other variable, bias)         (itype, dtype), packed, row by row
//   [2.0 with labels] "VARS" len (u32 LE) JSON list of labels, padded
//
// The header is `{"dtype", "itype", "ntype", "shape": [n, m], "type",
// "variables", "vartype"}`; in 1.0 `variables` is the list of labels, in
// 2.0 a flag that a VARS section follows. Every interaction is stored in
// both rows; like dimod, only the lower triangle (other < this) is read and
// repeated pairs are summed.
//
// Priorities: never trap and never allocate more than the file's size
// implies. The declared shape is checked against the byte count before any
// array is made, so a 64-byte header cannot claim 10^12 variables.
// Positions in errors are byte offsets (the file has no lines).

/// Reads dimod's binary BQM serialization (`bqm.to_file()`).
enum DimodBinaryFormat {
  /// The first eight bytes of every such file.
  static let magic = Array("DIMODBQM".utf8)

  /// Whether `bytes` starts with the `DIMODBQM` magic string.
  static func hasMagic(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    bytes.count >= magic.count && bytes.prefix(magic.count).elementsEqual(magic)
  }

  static func read(
    _ bytes: UnsafeBufferPointer<UInt8>, path: String, variableLimit: Int
  ) throws -> BinaryQuadraticModel {
    var r = ByteReader(bytes: bytes, path: path)
    guard hasMagic(bytes) else {
      throw r.fail(at: 0, "does not start with DIMODBQM; not a dimod binary BQM file")
    }
    r.position = magic.count
    let major = try r.unsigned(1, "the format version")
    let minor = try r.unsigned(1, "the format version")
    guard major == 1 || major == 2 else {
      throw r.fail(
        at: 8, "format version \(major).\(minor) is not supported (dimod writes 1.0 and 2.0)")
    }
    let headerLength = try r.unsigned(4, "the header length")
    let header = try r.slice(headerLength, "the header")
    let fields = try Header(
      json: header, reader: r, at: r.position - Int(headerLength), major: major)
    let (n, m) = (fields.numVariables, fields.numInteractions)
    guard n <= variableLimit else {
      throw r.fail(at: 10, "the header declares \(n) variables, more than this reader allows")
    }
    let linearBytes = n.multipliedReportingOverflow(by: fields.ntype.size + fields.dtype.size)
    let quadraticBytes = m.multipliedReportingOverflow(
      by: 2 * (fields.itype.size + fields.dtype.size))
    let (body, o1) = linearBytes.partialValue.addingReportingOverflow(quadraticBytes.partialValue)
    let needed = body.addingReportingOverflow(fields.dtype.size)
    guard !linearBytes.overflow, !quadraticBytes.overflow, !o1, !needed.overflow,
      needed.partialValue <= r.remaining
    else {
      throw r.fail(
        at: r.position,
        "the header declares \(n) variables and \(m) interactions, which need "
          + "more bytes than the \(r.remaining) left in the file (truncated?)")
    }
    var model = BinaryQuadraticModel(vartype: fields.vartype, count: n)
    model.offset = try r.bias(fields.dtype, "the offset")
    var starts = [Int](repeating: 0, count: n)
    for v in 0..<n {
      let at = r.position
      let start = try r.integer(fields.ntype, "the neighbourhood start of variable \(v)")
      let previous = v == 0 ? 0 : starts[v - 1]
      guard v > 0 || start == 0 else {
        throw r.fail(at: at, "variable 0's neighbourhood starts at \(start), not 0")
      }
      guard start >= previous, start <= 2 * m else {
        throw r.fail(
          at: at,
          "variable \(v)'s neighbourhood starts at \(start), outside \(previous)...\(2 * m)")
      }
      starts[v] = start
      model.linear[v] = try r.bias(fields.dtype, "the linear bias of variable \(v)")
    }
    model.quadratic.reserveCapacity(m)
    for v in 0..<n {
      let end = v + 1 < n ? starts[v + 1] : 2 * m
      for _ in starts[v]..<end {
        let at = r.position
        let u = try r.integer(fields.itype, "a neighbour of variable \(v)")
        let b = try r.bias(fields.dtype, "an interaction of variable \(v)")
        guard u >= 0, u < n else {
          throw r.fail(at: at, "variable \(v) has neighbour \(u), outside 0..<\(n)")
        }
        guard u != v else { throw r.fail(at: at, "variable \(v) interacts with itself") }
        guard u < v else { continue }
        let key = QuadraticKey(u, v)
        let sum = model.quadratic[key, default: 0] + b
        guard sum.isFinite else {
          throw r.fail(at: at, "the interactions of \(u) and \(v) sum past a Double's range")
        }
        model.quadratic[key] = sum
      }
    }
    let labels: [Label]?
    switch fields.labels {
    case .inHeader(let list): labels = list
    case .range: labels = nil
    case .section:
      let at = r.position
      guard r.remaining >= 8, r.bytes[at..<at + 4].elementsEqual(Array("VARS".utf8)) else {
        throw r.fail(at: at, "the header says labels follow but there is no VARS section")
      }
      r.position += 4
      let length = try r.unsigned(4, "the VARS section length")
      let text = try r.slice(length, "the VARS section")
      labels = try Header.labels(json: text, reader: r, at: at + 8)
    }
    if let labels {
      guard labels.count == n else {
        throw r.fail(at: r.position, "there are \(labels.count) labels for \(n) variables")
      }
      if !labels.enumerated().allSatisfy({ $0.element == .int($0.offset) }) {
        var variables = Variables()
        for (k, label) in labels.enumerated() {
          guard variables.append(label) == k else {
            throw r.fail(at: nil, "variable label \(label) appears twice")
          }
        }
        model.variables = variables
      }
    }
    return model
  }

  /// A number type named in the header: its size in bytes and kind.
  struct NumberType {
    enum Kind { case signed, unsigned, float }
    var kind: Kind
    var size: Int

    init?(_ name: String, floating: Bool) {
      let table: [String: (Kind, Int)] =
        floating
        ? ["float32": (.float, 4), "float64": (.float, 8)]
        : [
          "int8": (.signed, 1), "int16": (.signed, 2), "int32": (.signed, 4),
          "int64": (.signed, 8), "uint8": (.unsigned, 1), "uint16": (.unsigned, 2),
          "uint32": (.unsigned, 4), "uint64": (.unsigned, 8),
        ]
      guard let (kind, size) = table[name] else { return nil }
      self.kind = kind
      self.size = size
    }
  }

  /// Where the variable labels are.
  enum LabelSource {
    case range
    case inHeader([Label])
    case section
  }

  /// The fields of the JSON header.
  struct Header {
    var numVariables: Int
    var numInteractions: Int
    var dtype: NumberType
    var itype: NumberType
    var ntype: NumberType
    var vartype: Vartype
    var labels: LabelSource

    init(json: UnsafeBufferPointer<UInt8>, reader r: ByteReader, at start: Int, major: Int) throws {
      let value: JSONValue
      do {
        value = try JSONValue(parsing: json)
      } catch let e as JSONParseError {
        throw r.fail(at: start, "the header is not JSON: \(e.reason)")
      }
      guard case .object(let obj) = value else {
        throw r.fail(at: start, "the header is not a JSON object")
      }
      guard case .array(let shape)? = obj["shape"], shape.count == 2,
        case .int(let n) = shape[0], case .int(let m) = shape[1], n >= 0, m >= 0
      else {
        throw r.fail(at: start, "the header's \"shape\" must be [variables, interactions] ≥ 0")
      }
      func type(_ key: String, floating: Bool) throws -> NumberType {
        guard case .string(let name)? = obj[key], let t = NumberType(name, floating: floating)
        else {
          let allowed = floating ? "float32 or float64" : "an integer type such as int32"
          throw r.fail(at: start, "the header's \"\(key)\" must be \(allowed)")
        }
        return t
      }
      guard case .string(let vt)? = obj["vartype"], let vartype = Vartype(rawValue: vt) else {
        throw r.fail(at: start, "the header's \"vartype\" must be \"BINARY\" or \"SPIN\"")
      }
      numVariables = n
      numInteractions = m
      dtype = try type("dtype", floating: true)
      itype = try type("itype", floating: false)
      ntype = try type("ntype", floating: false)
      self.vartype = vartype
      switch (major, obj["variables"]) {
      case (1, .array(let list)?): labels = .inHeader(try Self.labels(list, reader: r, at: start))
      case (2, .bool(let present)?): labels = present ? .section : .range
      case (_, let other):
        let expected = major == 1 ? "a list of labels" : "true or false"
        throw r.fail(
          at: start,
          "the header's \"variables\" must be \(expected) in format \(major), got "
            + (other?.serialized() ?? "nothing"))
      }
    }

    static func labels(
      json: UnsafeBufferPointer<UInt8>, reader r: ByteReader, at start: Int
    ) throws -> [Label] {
      guard case .array(let list)? = try? JSONValue(parsing: json) else {
        throw r.fail(at: start, "the VARS section is not a JSON list of labels")
      }
      return try labels(list, reader: r, at: start)
    }

    static func labels(_ list: [JSONValue], reader r: ByteReader, at start: Int) throws -> [Label] {
      try list.enumerated().map { k, v in
        switch v {
        case .int(let i): return .int(i)
        case .string(let s): return .string(s)
        case .array:
          throw r.fail(
            at: start,
            "label \(k) is a tuple; Anneal supports integer and string labels only "
              + "(relabel in dimod first)")
        case .double, .bool, .null, .object:
          throw r.fail(
            at: start, "label \(k) is \(v.serialized()); labels must be integers or strings")
        }
      }
    }
  }

  /// A cursor over the bytes that turns every shortfall into an error.
  struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let path: String
    var position = 0

    var remaining: Int { bytes.count - position }

    func fail(at offset: Int?, _ reason: String) -> ModelFileError {
      ModelFileError(
        path: path, line: nil, reason: offset.map { "byte \($0): \(reason)" } ?? reason)
    }

    mutating func slice(_ count: Int, _ what: String) throws -> UnsafeBufferPointer<UInt8> {
      guard count <= remaining else {
        throw fail(
          at: position, "the file ends inside \(what) (\(count) bytes, \(remaining) left)")
      }
      defer { position += count }
      return UnsafeBufferPointer(rebasing: bytes[position..<position + count])
    }

    /// A little-endian unsigned integer of `size` bytes.
    mutating func unsigned(_ size: Int, _ what: String) throws -> Int {
      let raw = try slice(size, what)
      var value: UInt64 = 0
      for (k, b) in raw.enumerated() { value |= UInt64(b) << (8 * UInt64(k)) }
      guard value <= UInt64(Int.max) else {
        throw fail(at: position - size, "\(what) is too large")
      }
      return Int(value)
    }

    mutating func integer(_ type: NumberType, _ what: String) throws -> Int {
      let raw = try slice(type.size, what)
      var value: UInt64 = 0
      for (k, b) in raw.enumerated() { value |= UInt64(b) << (8 * UInt64(k)) }
      switch type.kind {
      case .signed:
        let shift = UInt64(64 - 8 * type.size)
        return Int(Int64(bitPattern: value << shift) >> Int64(shift))
      case .unsigned, .float:
        guard value <= UInt64(Int.max) else {
          throw fail(at: position - type.size, "\(what) is too large")
        }
        return Int(value)
      }
    }

    mutating func bias(_ type: NumberType, _ what: String) throws -> Double {
      let at = position
      let raw = try slice(type.size, what)
      var bits: UInt64 = 0
      for (k, b) in raw.enumerated() { bits |= UInt64(b) << (8 * UInt64(k)) }
      let value =
        type.size == 4
        ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        : Double(bitPattern: bits)
      guard value.isFinite else { throw fail(at: at, "\(what) is \(value), not finite") }
      return value
    }
  }
}
