import Anneal
import Foundation

/// The quick form of `anneal sweep`: one sampler and its grid from flags,
/// turned into the same spec a YAML file gives.
///
/// ```
/// anneal sweep --instances 'problems/G11.gset' --sampler sa \
///   --grid sweeps=100,1000,10000 --reads 20 --target best_known:problems/best_known.csv
/// ```
enum SweepQuickForm {
  /// The spec of the flags; throws naming the flag at fault.
  static func spec(
    instances: [String], format: String, target: String?, sampler: String, grid: [String],
    reads: Int?, seeds: Int?
  ) throws -> JSONValue {
    var source: [String: JSONValue] = [
      "files": .array(instances.map { .string($0) }), "format": .string(format),
    ]
    if let target { source["target"] = try targetValue(target) }
    var samplerFields: [String: JSONValue] = ["sampler": .string(sampler)]
    var gridFields: [String: JSONValue] = [:]
    for item in grid {
      guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
        throw CLIError.badInput("--grid must be KEY=V1,V2,… (got \(item))")
      }
      let key = String(item[..<eq])
      let values = splitTopLevel(String(item[item.index(after: eq)...]))
      guard !values.isEmpty else { throw CLIError.badInput("--grid \(key) lists no values") }
      gridFields[key] = .array(values.map(scalar))
    }
    if !gridFields.isEmpty { samplerFields["grid"] = .object(gridFields) }
    var top: [String: JSONValue] = [
      "name": .string("quick"), "instances": .array([.object(source)]),
      "samplers": .array([.object(samplerFields)]),
    ]
    if let reads { top["reads"] = .int(reads) }
    if let seeds { top["seeds"] = .int(seeds) }
    return .object(top)
  }

  /// `best_found`, `energy:E` or `best_known:FILE.csv` as a spec target.
  static func targetValue(_ text: String) throws -> JSONValue {
    if text == "best_found" { return .string(text) }
    if text.hasPrefix("energy:"), let e = Double(text.dropFirst("energy:".count)) {
      return .object(["energy": .double(e)])
    }
    if text.hasPrefix("best_known:") {
      return .object(["best_known": .string(String(text.dropFirst("best_known:".count)))])
    }
    throw CLIError.badInput(
      "--target must be best_found, energy:E or best_known:FILE.csv (got \(text))")
  }

  /// Splits at commas outside brackets: `[0.1,3],[0.1,5]` → two ranges.
  static func splitTopLevel(_ text: String) -> [String] {
    var out: [String] = []
    var depth = 0
    var current = ""
    for c in text {
      if c == "[" { depth += 1 }
      if c == "]" { depth -= 1 }
      if c == "," && depth == 0 {
        out.append(current)
        current = ""
      } else {
        current.append(c)
      }
    }
    if !current.isEmpty { out.append(current) }
    return out.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  /// A number, list or boolean as JSON; anything else as a string.
  static func scalar(_ text: String) -> JSONValue {
    (try? JSONValue(parsing: text)) ?? .string(text)
  }
}
