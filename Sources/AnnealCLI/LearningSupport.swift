import Anneal
import ArgumentParser
import Foundation
import Learning

extension Activation: ExpressibleByArgument {}
extension ScaleRule: ExpressibleByArgument {}
extension CalibrationSource: ExpressibleByArgument {}

/// Loads `--dataset` (a name or a CSV path); a bad file is bad input (exit 2).
func loadDataset(_ nameOrPath: String) throws -> Dataset {
  do {
    return try Dataset.load(nameOrPath)
  } catch let error as DatasetError {
    throw CLIError.badInput(error.description)
  }
}

/// Parses `--hidden` ("32" or "64,32"); an empty width (`4,,4`) is an error.
func parseHidden(_ text: String) throws -> [Int] {
  let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
    Int($0.trimmingCharacters(in: .whitespaces))
  }
  let widths = parts.compactMap { $0 }.filter { $0 > 0 && $0 <= 100_000 }
  guard !parts.isEmpty, widths.count == parts.count else {
    throw CLIError.badInput(
      "--hidden must be positive widths separated by commas (e.g. 64,32), got '\(text)'")
  }
  return widths
}

/// Parses `--seeds`: numbers and ranges `a-b` (a ≤ b) separated by commas,
/// e.g. `1,2,5-9`. Empty parts, open ranges (`1-`, `-3`) and anything else
/// (`1--3`) are errors.
func parseSeeds(_ text: String) throws -> [UInt64] {
  func bad() -> CLIError {
    CLIError.badInput("--seeds must be numbers or ranges like 1-10 separated by commas, got '\(text)'")
  }
  var out = [UInt64]()
  for part in text.split(separator: ",", omittingEmptySubsequences: false) {
    let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { throw bad() }
    let values = bounds.compactMap { UInt64($0) }
    guard values.count == bounds.count else { throw bad() }
    if values.count == 1 {
      out.append(values[0])
    } else if values.count == 2, values[0] <= values[1], values[1] - values[0] < 10_000 {
      out += Array(values[0]...values[1])
    } else {
      throw bad()
    }
  }
  guard !out.isEmpty, out.count <= 10_000 else { throw bad() }
  return out
}

/// Writes one line on stderr.
func stderrLine(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// A stage line on stderr, redrawn in place when stderr is a terminal.
struct StageProgress {
  let enabled = isatty(2) == 1

  func show(_ text: String) {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
  }

  func clear() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}

/// A value rounded to `digits` decimals for JSON.
func rounded(_ x: Double, _ digits: Int = 6) -> JSONValue {
  let p = pow(10.0, Double(digits))
  return .double((x * p).rounded() / p)
}

/// Runs `body`, turning a `ShapeError` (data that does not fit: a split
/// with no test rows, too few classes) into bad input, exit code 2.
func shapesAreBadInput<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as ShapeError {
    throw CLIError.badInput(error.description)
  }
}
