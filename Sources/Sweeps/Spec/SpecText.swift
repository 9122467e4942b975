import QUBOModel
import Tuning

/// Reads a sweep spec's text into JSON values, through the project's one
/// YAML/JSON reader (`SpecDocument`, in Tuning).
public enum SpecText {
  /// The JSON value of YAML or JSON `text`.
  ///
  /// - Throws: `SweepSpecError` (no key, with the line when known) for text
  ///   that is not YAML, is empty, or repeats a key in one mapping.
  public static func parse(_ text: String) throws -> JSONValue {
    try document(text).value
  }

  /// The document of `text`, with key order and lines; its reading errors
  /// become `SweepSpecError`s.
  static func document(_ text: String) throws -> SpecDocument {
    do {
      return try SpecDocument(text: text)
    } catch let e as SpecDocument.ReadError {
      var error = SweepSpecError(key: nil, e.reason)
      error.line = e.line
      throw error
    }
  }
}
