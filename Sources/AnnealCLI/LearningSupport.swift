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

/// Parses `--hidden` ("32" or "64,32").
func parseHidden(_ text: String) throws -> [Int] {
  let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
  let widths = parts.compactMap { $0 }.filter { $0 > 0 }
  guard !parts.isEmpty, widths.count == parts.count else {
    throw CLIError.badInput("--hidden must be positive widths separated by commas, got '\(text)'")
  }
  return widths
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
