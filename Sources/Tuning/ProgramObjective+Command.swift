// Filling a command template with a trial's values.
//
// Priorities: a value is always one word holding exactly its text (a
// categorical `c;echo loss: -100` or `$(touch x)` must reach the program as
// those characters and run nothing), and commands read as written (a plain
// `0.01` or `relu` is pasted bare). The template is scanned once with the
// shell's quoting state — outside quotes, inside '…', inside "…" — and each
// value is quoted for the state its placeholder stands in.

extension ProgramObjective {
  /// The names inside `{…}` in `command`, in order of appearance; `${…}`
  /// (the shell's parameter expansion) and braces around spaces or quotes
  /// are not placeholders.
  public static func placeholders(in command: String) -> [String] {
    var out: [String] = []
    var rest = command[...]
    while let open = rest.firstIndex(of: "{") {
      let after = rest[rest.index(after: open)...]
      guard let close = after.firstIndex(of: "}") else { break }
      let name = String(after[..<close])
      let shell = open > command.startIndex && command[command.index(before: open)] == "$"
      if !shell, !name.isEmpty,
        !name.contains(where: { $0.isWhitespace || $0 == "{" || $0 == "\"" || $0 == "'" })
      {
        out.append(name)
      }
      rest = after[after.index(after: close)...]
    }
    return out
  }

  /// The shell line with the placeholders filled in, each value quoted for
  /// where it stands (bare, inside single quotes or inside double quotes).
  public func render(_ parameters: [String: ParameterValue], trial: Int) -> String {
    Self.substitute(command, parameters, trial: trial, quoting: true)
  }

  /// `template` with `{name}` replaced by the value of `name` (`{trial}` by
  /// `trial` unless a parameter has that name); with `quoting`, for a shell.
  static func substitute(
    _ template: String, _ parameters: [String: ParameterValue], trial: Int, quoting: Bool
  ) -> String {
    enum Quote { case none, single, double }
    var state = Quote.none
    var out = ""
    var i = template.startIndex
    var escaped = false
    while i < template.endIndex {
      let c = template[i]
      if c == "{", !(i > template.startIndex && template[template.index(before: i)] == "$"),
        !escaped, let close = template[i...].firstIndex(of: "}")
      {
        let name = String(template[template.index(after: i)..<close])
        let value = parameters[name]?.description ?? (name == "trial" ? String(trial) : nil)
        if let value {
          if !quoting {
            out += value
          } else {
            switch state {
            case .none: out += shellWord(value)
            case .single: out += value.replacingOccurrences(of: "'", with: #"'\''"#)
            case .double:
              out += String(
                value.flatMap { ch in "\\$`\"".contains(ch) ? ["\\", ch] : [ch] })
            }
          }
          i = template.index(after: close)
          continue
        }
      }
      out.append(c)
      if escaped {
        escaped = false
      } else {
        switch (state, c) {
        case (.none, "\\"), (.double, "\\"): escaped = true
        case (.none, "'"): state = .single
        case (.single, "'"): state = .none
        case (.none, "\""): state = .double
        case (.double, "\""): state = .none
        default: break
        }
      }
      i = template.index(after: i)
    }
    return out
  }

  /// `value` as one shell word: bare when it holds only characters the shell
  /// takes literally, otherwise in single quotes.
  static func shellWord(_ value: String) -> String {
    let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { u in
      (u.value < 128 && (CharacterSetASCII.word.contains(u.value)))
    }
    return plain ? value : "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }
}

/// ASCII characters that need no quoting in a shell word.
private enum CharacterSetASCII {
  static let word: Set<UInt32> = Set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+.,:/=@%"
      .unicodeScalars.map(\.value))
}
