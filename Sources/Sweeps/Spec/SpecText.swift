import QUBOModel

/// Reads a sweep spec's text into JSON values.
public enum SpecText {
  /// The JSON value of YAML or JSON `text` (through `SpecDocument`).
  public static func parse(_ text: String) throws -> JSONValue {
    try SpecDocument(text: text).value
  }
}
