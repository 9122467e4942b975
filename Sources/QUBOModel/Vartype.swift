/// The domain of every variable in a model: binary `{0, 1}` or spin `{-1, +1}`.
///
/// The raw values are dimod's spellings, so files and JSON round-trip.
public enum Vartype: String, Sendable, Hashable, CaseIterable, Codable {
  /// Variables take the values 0 and 1 (a QUBO).
  case binary = "BINARY"
  /// Variables take the values -1 and +1 (an Ising model).
  case spin = "SPIN"

  /// The two values a variable of this type may take, lowest first.
  @inlinable
  public var values: (Int8, Int8) {
    switch self {
    case .binary: return (0, 1)
    case .spin: return (-1, 1)
    }
  }

  /// Whether `value` belongs to this domain.
  @inlinable
  public func contains(_ value: Int8) -> Bool {
    switch self {
    case .binary: return value == 0 || value == 1
    case .spin: return value == -1 || value == 1
    }
  }

  /// Maps a value of this domain to the other domain (`s = 2x − 1`, `x = (s + 1)/2`).
  @inlinable
  public func convert(_ value: Int8, to other: Vartype) -> Int8 {
    switch (self, other) {
    case (.binary, .spin): return 2 &* value &- 1
    case (.spin, .binary): return (value &+ 1) / 2
    case (.binary, .binary), (.spin, .spin): return value
    }
  }

  /// Parses dimod's spellings as well as the common short ones
  /// (`BINARY`, `SPIN`, `binary`, `spin`, `qubo`, `ising`).
  public init?(parsing text: String) {
    switch text.lowercased() {
    case "binary", "qubo", "bin": self = .binary
    case "spin", "ising": self = .spin
    default: return nil
    }
  }
}
