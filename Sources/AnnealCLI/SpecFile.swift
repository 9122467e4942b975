import Anneal
import Foundation

/// A spec file read as a `SpecDocument`, its errors as bad input naming the
/// file and line.
enum SpecFile {
  /// Reads `path` (YAML or JSON).
  static func read(path: String) throws -> SpecDocument {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CLIError.badInput("\(path): cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CLIError.badInput("\(path): not UTF-8 text")
    }
    do {
      return try SpecDocument(text: text)
    } catch let e as SpecDocument.ReadError {
      throw CLIError.badInput("\(path):\(e.line.map { "\($0):" } ?? "") \(e.reason)")
    }
  }
}
