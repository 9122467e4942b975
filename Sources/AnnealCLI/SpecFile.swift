import Anneal
import Foundation

/// A YAML or JSON spec file read into a `JSONValue`, with the order of each
/// mapping's keys and the line of each key path (`parameters.lr.low`) for
/// error messages; the reading is `SpecDocument`'s, shared with sweeps.
struct SpecFile {
  var value: JSONValue
  var order: [String: [String]]
  var lines: [String: Int]

  /// Reads `path`; YAML 1.2 reads JSON too.
  init(path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CLIError.badInput("\(path): cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CLIError.badInput("\(path): not UTF-8 text")
    }
    let document: SpecDocument
    do {
      document = try SpecDocument(text: text)
    } catch let error as SweepSpecError {
      throw CLIError.badInput("\(path): \(error)")
    }
    value = document.value
    order = document.order
    lines = document.lines
  }

  /// The line of `key` or of its nearest parent that has one.
  func line(of key: String) -> Int? {
    var k = key
    while !k.isEmpty {
      if let l = lines[k] { return l }
      guard let dot = k.lastIndex(of: ".") else { break }
      k = String(k[..<dot])
    }
    return nil
  }
}
