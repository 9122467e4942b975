/// PostgreSQL array literals, for passing a list as one text parameter.
enum PostgresArray {
  /// `{"a","b"}`: every element quoted, with `"` and `\` escaped, so keys
  /// holding commas, braces or quotes (a grid point's JSON) survive.
  static func text(_ values: [String]) -> String {
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
}
