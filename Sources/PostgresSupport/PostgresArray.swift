/// PostgreSQL array literals, for passing a list as one text parameter.
public enum PostgresArray {
  /// `{"a","b"}`: every element quoted, with `"` and `\` escaped, so keys
  /// holding commas, braces or quotes (a grid point's JSON) survive.
  public static func text(_ values: [String]) -> String {
    let quoted = values.map { value -> String in
      var out = "\""
      for c in value {
        if c == "\"" || c == "\\" { out.append("\\") }
        out.append(c)
      }
      return out + "\""
    }
    return "{" + quoted.joined(separator: ",") + "}"
  }

  /// `{"a",NULL}`: as `text`, with `nil` elements as SQL NULL.
  public static func text(_ values: [String?]) -> String {
    let quoted = values.map { value in value.map { text([$0]).dropFirst().dropLast() } ?? "NULL" }
    return "{" + quoted.joined(separator: ",") + "}"
  }
}
