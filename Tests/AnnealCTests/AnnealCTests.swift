import AnnealC
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The C interface called as C would: status codes, messages, buffers.
@Suite("C interface")
struct AnnealCTests {
  /// A 4-spin ring with fields, through `anneal_model_create`.
  func ring(
    linear: [Double] = [0.5, -1, 0, 0.25], offset: Double = 1, vartype: Int32 = 0
  ) throws -> OpaquePointer {
    let rows: [Int64] = [0, 1, 2, 3]
    let cols: [Int64] = [1, 2, 3, 0]
    let quadratic = [1.0, -1, 1, -1]
    var model: OpaquePointer?
    var error: UnsafeMutablePointer<CChar>?
    let status = anneal_model_create(
      4, linear, 4, rows, cols, quadratic, offset, vartype, &model, &error)
    defer { anneal_string_free(error) }
    guard status == 0, let model else {
      throw TestFailure("status \(status): \(error.map { String(cString: $0) } ?? "")")
    }
    return model
  }

  func sample(_ model: OpaquePointer, _ config: String, seed: UInt64 = 7) throws -> (
    samples: [Int8], energies: [Double], info: String
  ) {
    var result: OpaquePointer?
    var error: UnsafeMutablePointer<CChar>?
    let status = anneal_sample(model, config, seed, nil, 0, &result, &error)
    defer {
      anneal_string_free(error)
      anneal_result_free(result)
    }
    guard status == 0, let result else {
      throw TestFailure("status \(status): \(error.map { String(cString: $0) } ?? "")")
    }
    let rows = Int(anneal_result_num_rows(result))
    let n = Int(anneal_result_num_variables(result))
    let s = Array(UnsafeBufferPointer(start: anneal_result_samples(result), count: rows * n))
    let e = Array(UnsafeBufferPointer(start: anneal_result_energies(result), count: rows))
    let info = anneal_result_info(result).map { String(cString: $0) } ?? ""
    return (s, e, info)
  }

  @Test("energies recompute from the arrays; the same seed gives the same rows")
  func sampling() throws {
    let model = try ring()
    defer { anneal_model_free(model) }
    #expect(anneal_model_num_variables(model) == 4)
    #expect(anneal_model_num_interactions(model) == 4)
    let a = try sample(model, #"{"sampler": "sa", "reads": 5, "sweeps": 50, "threads": 2}"#)
    let b = try sample(model, #"{"sampler": "sa", "reads": 5, "sweeps": 50, "threads": 1}"#)
    #expect(a.samples == b.samples)
    #expect(a.energies == b.energies)
    #expect(a.info.contains("\"configuration\""))
    let h = [0.5, -1, 0, 0.25]
    for r in 0..<5 {
      let s = a.samples[(4 * r)..<(4 * r + 4)].map(Double.init)
      let e =
        1 + zip(h, s).map(*).reduce(0, +) + s[0] * s[1] - s[1] * s[2] + s[2] * s[3] - s[3] * s[0]
      #expect(a.energies[r] == e)
    }
    let exact = try sample(model, #"{"sampler": "exact"}"#)
    #expect(exact.energies.min() == a.energies.min())
  }

  @Test("bad input is a code and a message, never a trap")
  func errors() throws {
    var model: OpaquePointer?
    var error: UnsafeMutablePointer<CChar>?
    let nan = [Double.nan, 0]
    #expect(anneal_model_create(2, nan, 0, nil, nil, nil, 0, 0, &model, &error) == 1)
    #expect(error.map { String(cString: $0) }?.contains("variable 0 is nan") == true)
    anneal_string_free(error)
    let rows: [Int64] = [0]
    let cols: [Int64] = [5]
    let q = [1.0]
    #expect(anneal_model_create(2, [0, 0], 1, rows, cols, q, 0, 1, &model, &error) == 1)
    #expect(error.map { String(cString: $0) }?.contains("outside the variables") == true)
    anneal_string_free(error)
    #expect(model == nil)
    let ok = try ring()
    defer { anneal_model_free(ok) }
    var result: OpaquePointer?
    #expect(anneal_sample(ok, #"{"sampler": "sa", "sweepz": 3}"#, 1, nil, 0, &result, &error) == 1)
    #expect(error.map { String(cString: $0) }?.contains("sweepz") == true)
    anneal_string_free(error)
    let states: [Int8] = [1, 0, 1, 1]
    #expect(anneal_sample(ok, nil, 1, states, 1, &result, &error) == 1)
    #expect(error.map { String(cString: $0) }?.contains("initial state 0 has 0") == true)
    anneal_string_free(error)
    #expect(result == nil)
  }

  @Test("proposals: valid indices, distinct, never a running configuration")
  func propose() throws {
    let request = """
      {"sampler": "fm", "surrogate": {"startup_trials": 3, "epochs": 50},
       "parameters": {"x": {"type": "int", "low": 0, "high": 7}, "c": {"type": "categorical", "values": ["a", "b"]}},
       "parameter_order": ["x", "c"]}
      """
    let configurations: [Int32] = [0, 0, 3, 1, 5, 0, 7, 1, 2, 0]
    let values = [4.0, 1, 2, 5, .nan]
    var out = [Int32](repeating: -1, count: 6)
    var written: Int64 = 0
    var error: UnsafeMutablePointer<CChar>?
    let status = anneal_propose(
      request, 5, 2, configurations, values, 3, 11, &out, &written, &error)
    #expect(status == 0, "\(error.map { String(cString: $0) } ?? "")")
    #expect(written == 3)
    let rows = (0..<3).map { [out[2 * $0], out[2 * $0 + 1]] }
    #expect(Set(rows).count == 3)
    let seen = Set((0..<5).map { [configurations[2 * $0], configurations[2 * $0 + 1]] })
    for row in rows {
      #expect(row[0] >= 0 && row[0] <= 7 && row[1] >= 0 && row[1] <= 1)
      #expect(!seen.contains(row))
    }
    #expect(
      anneal_propose(request, 5, 3, configurations, values, 3, 11, &out, &written, &error) == 1)
    #expect(error.map { String(cString: $0) }?.contains("num_parameters") == true)
    anneal_string_free(error)
  }
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
