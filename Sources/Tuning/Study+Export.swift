import Foundation
import QUBOModel

extension Study {
  /// The study as JSON: `name`, `direction`, `best_value`, `best_params`,
  /// `best_number` and `trials` (each `number, state, value, params,
  /// seconds`, plus intermediate values and user attributes when present).
  public func exportJSON() throws -> JSONValue {
    let list = try trials
    let best = Self.best(of: list, direction: direction)
    return .object([
      "name": .string(name),
      "direction": .string(direction.rawValue),
      "best_value": best?.value.map { .double($0) } ?? .null,
      "best_params": best.map { .object($0.parameters.mapValues(\.json)) } ?? .null,
      "best_number": best.map { .int($0.number) } ?? .null,
      "trials": .array(list.map(\.json)),
    ])
  }

  /// The trials as CSV.
  ///
  /// Columns `number,state,value,seconds`, then one
  /// `params_<name>` column per parameter (sorted by name); empty cells
  /// for missing values. Fields with commas, quotes or newlines are quoted.
  public func exportCSV() throws -> String {
    let list = try trials
    let names = Set(list.flatMap(\.parameters.keys)).sorted()
    var lines = [(["number", "state", "value", "seconds"] + names.map { "params_\($0)" })]
    for t in list {
      var row = [
        String(t.number), t.state.rawValue, t.value.map { JSONValue.format($0) } ?? "",
        t.seconds.map { JSONValue.format($0) } ?? "",
      ]
      row += names.map { t.parameters[$0]?.description ?? "" }
      lines.append(row)
    }
    return lines.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
  }
}

private func csvField(_ s: String) -> String {
  guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
    return s
  }
  return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
