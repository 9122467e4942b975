import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// File patterns of a spec, resolved against the spec's directory.
enum Glob {
  /// `path` itself when absolute, else `directory/path`.
  static func resolve(_ path: String, in directory: String) -> String {
    path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
  }

  /// The files `pattern` names, sorted; throws naming `key` when none.
  static func expand(_ pattern: String, in directory: String, key: String) throws -> [String] {
    let full = resolve(pattern, in: directory)
    let isPattern = pattern.contains { "*?[".contains($0) }
    guard isPattern else {
      guard FileManager.default.fileExists(atPath: full) else {
        throw SweepSpecError(key: key, "no such instance file '\(pattern)' (looked for \(full))")
      }
      return [full]
    }
    var g = glob_t()
    defer { globfree(&g) }
    guard glob(full, 0, nil, &g) == 0 else {
      throw SweepSpecError(key: key, "the pattern '\(pattern)' matches no file (in \(directory))")
    }
    var out: [String] = []
    for k in 0..<Int(g.gl_pathc) {
      if let p = g.gl_pathv[k] { out.append(String(cString: p)) }
    }
    return out.sorted()
  }
}
