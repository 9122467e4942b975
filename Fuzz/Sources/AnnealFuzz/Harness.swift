// One libFuzzer entry point for every reader; `ANNEAL_FUZZ_TARGET` picks
// the reader (`run.sh` runs each in turn, so each gets its own numbers):
//
//   json coo qubo gset   `ModelFile.read(bytes:path:format:)` with that format
//   bqp                  the same bytes as an OR-Library file and as a gka
//                        `.sparse` file (the two objective conventions)
//   auto                 format detection from the contents, then any reader
//   jsonvalue            `JSONValue(parsing:)`, the parser under dimod JSON
//                        (SampleSet JSON is written, never read)
//   dimodbqm             dimod's binary `bqm.to_file()` (`DIMODBQM` header)
//   sweepspec            a sweep spec, YAML or JSON (SweepSpecTarget.swift)
//   tunespec             a tuning spec, YAML or JSON (TuneSpecTarget.swift)
//
// A reader may throw `ModelFileError` (a parser `JSONParseError`); anything
// else is a finding: a trap, a different error, a non-finite bias or
// objective in a model that was accepted, or a value that does not survive
// serialization.

import QUBOModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum Target: String, CaseIterable {
  case json, coo, qubo, gset, bqp, auto, jsonvalue, dimodbqm, sweepspec, tunespec
}

let target: Target = {
  let name = getEnv("ANNEAL_FUZZ_TARGET") ?? ""
  guard let t = Target(rawValue: name) else {
    let all = Target.allCases.map(\.rawValue).joined(separator: " ")
    fatalError("set ANNEAL_FUZZ_TARGET to one of: \(all) (got '\(name)')")
  }
  return t
}()

func getEnv(_ name: String) -> String? {
  guard let p = getenv(name) else { return nil }
  return String(cString: p)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
  switch target {
  case .json: readModel(bytes, path: "input.json", format: .json)
  case .coo: readModel(bytes, path: "input.coo", format: .coo)
  case .qubo: readModel(bytes, path: "input.qubo", format: .qubo)
  case .gset: readModel(bytes, path: "input.rud", format: .gset)
  case .bqp:
    readModel(bytes, path: "bqp-input.txt", format: .bqp)
    readModel(bytes, path: "input.sparse", format: .bqp)
  case .auto: readModel(bytes, path: "input", format: .auto)
  case .jsonvalue: parseJSON(bytes)
  case .dimodbqm: readModel(bytes, path: "input.bqm", format: .dimodbqm)
  case .sweepspec: readSweepSpec(bytes)
  case .tunespec: readTuneSpec(bytes)
  }
  return 0
}

/// `precondition` that keeps its message in release builds.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}

func readModel(_ bytes: [UInt8], path: String, format: ModelFormat) {
  let loaded: LoadedModel
  do {
    loaded = try ModelFile.read(bytes: bytes, path: path, format: format)
  } catch let error as ModelFileError {
    check(error.path == path && !error.reason.isEmpty, "malformed error \(error)")
    return
  } catch {
    fatalError("\(format) reader threw a \(type(of: error)), not a ModelFileError: \(error)")
  }
  let model = loaded.model
  check(format == .auto || loaded.format == format, "read as \(loaded.format)")
  check(model.offset.isFinite, "accepted a non-finite offset \(model.offset)")
  for (i, a) in model.linear.enumerated() {
    check(a.isFinite, "accepted a non-finite linear bias \(a) on variable \(i)")
  }
  for (key, b) in model.quadratic {
    check(b.isFinite, "accepted a non-finite quadratic bias \(b) on \(key)")
  }
  check(
    model.numVariables <= ModelFile.variableLimit(fileSize: bytes.count),
    "\(model.numVariables) variables from \(bytes.count) bytes")
  if let objective = loaded.objective {
    check(
      objective.scale.isFinite && objective.shift.isFinite, "non-finite objective \(objective)")
  }
  // What was read must write and read back as the same model (small models
  // only: a header may declare a million variables, and the round trip
  // would then dominate the run).
  guard model.numVariables <= 10_000 else { return }
  do {
    let text = try ModelFile.serialize(model, format: .json)
    let again = try ModelFile.read(bytes: Array(text.utf8), path: "again.json", format: .json)
    check(again.model == model, "the JSON round trip changed the model")
  } catch {
    fatalError("a model that was read does not round-trip through JSON: \(error)")
  }
}

func parseJSON(_ bytes: [UInt8]) {
  let value: JSONValue
  do {
    value = try JSONValue(parsing: bytes)
  } catch let error as JSONParseError {
    check(error.line >= 1 && !error.reason.isEmpty, "malformed error \(error)")
    return
  } catch {
    fatalError("the JSON parser threw a \(type(of: error)): \(error)")
  }
  for pretty in [false, true] {
    let text = value.serialized(pretty: pretty)
    do {
      let again = try JSONValue(parsing: text)
      check(again == value, "serialization changed the value: \(text)")
    } catch {
      fatalError("serialized JSON does not parse: \(error)\n\(text)")
    }
  }
}
