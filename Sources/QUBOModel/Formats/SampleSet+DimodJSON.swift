// A SampleSet in dimod's `sampleset_schema` 3.2.0 layout, the form
// `dimod.SampleSet.to_serializable()` produces, so that
// `dimod.SampleSet.from_serializable(json.load(f))` reads it:
//
//   {"type": "SampleSet", "version": {"sampleset_schema": "3.2.0"},
//    "num_variables": n, "num_rows": R,
//    "sample_data": {"type": "array", "data": rows, "data_type": …,
//                    "shape": [R, …], "use_bytes": false},
//    "sample_type": "int8", "sample_packed": bool,
//    "vectors": {"energy": {… "data_type": "float64", "shape": [R]},
//                "num_occurrences": {… "data_type": "int64", "shape": [R]}},
//    "variable_labels": [...], "variable_type": "SPIN" | "BINARY",
//    "info": {...}}
//
// Unpacked rows are the values themselves (int8). Packed rows follow
// dimod's `pack_samples`: value > 0 is a 1 bit, variable k of a row is bit
// k mod 32 of uint32 word k / 32 (little-endian bit order within a word).
// Non-finite energies have no JSON spelling and are written as null.

extension SampleSet {
  /// The sample set as dimod `sampleset_schema` 3.2.0 JSON text.
  ///
  /// - Parameter packSamples: store each row as bits in `uint32` words, as
  ///   dimod does by default (smaller for wide rows); `false` writes the
  ///   values as `int8`.
  /// - Complexity: O(rows · variables).
  public func dimodJSON(packSamples: Bool = false) -> String {
    let n = numVariables
    let rows = count
    var out = "{\"type\": \"SampleSet\", \"version\": {\"sampleset_schema\": \"3.2.0\"}, "
    out += "\"num_variables\": \(n), \"num_rows\": \(rows), "
    out.reserveCapacity(out.utf8.count + rows * (packSamples ? n / 3 + 8 : 3 * n + 4) + rows * 30)
    let words = (n + 31) / 32
    out += "\"sample_data\": {\"type\": \"array\", \"data\": ["
    for r in 0..<rows {
      if r > 0 { out += ", " }
      out += "["
      let base = r * n
      if packSamples {
        for w in 0..<words {
          var word: UInt32 = 0
          for k in (w * 32)..<min(n, w * 32 + 32) where samples[base + k] > 0 {
            word |= 1 << UInt32(k - w * 32)
          }
          if w > 0 { out += ", " }
          out += String(word)
        }
      } else {
        for k in 0..<n {
          if k > 0 { out += ", " }
          out += String(samples[base + k])
        }
      }
      out += "]"
    }
    out += "], \"data_type\": \"\(packSamples ? "uint32" : "int8")\", "
    out += "\"shape\": [\(rows), \(packSamples ? words : n)], \"use_bytes\": false}, "
    out += "\"sample_type\": \"int8\", \"sample_packed\": \(packSamples), "
    out += "\"vectors\": {\"energy\": {\"type\": \"array\", \"data\": "
    DimodJSON.appendList(energies.lazy.map(JSONValue.format), to: &out)
    out += ", \"data_type\": \"float64\", \"shape\": [\(rows)], \"use_bytes\": false}, "
    out += "\"num_occurrences\": {\"type\": \"array\", \"data\": "
    DimodJSON.appendList(occurrences.lazy.map { String($0) }, to: &out)
    out += ", \"data_type\": \"int64\", \"shape\": [\(rows)], \"use_bytes\": false}}, "
    out += "\"variable_labels\": "
    DimodJSON.appendList(variables.lazy.map { $0.jsonValue.serialized() }, to: &out)
    out += ", \"variable_type\": \"\(vartype.rawValue)\", "
    out += "\"info\": \(JSONValue.object(info).serialized())}\n"
    return out
  }
}
