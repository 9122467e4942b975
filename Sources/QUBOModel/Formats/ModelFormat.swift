/// The model file formats Anneal reads and writes (`--format` on the CLI).
///
/// | format | read | write |
/// |---|---|---|
/// | `json` dimod `bqm_schema 3.0.0` | yes | yes |
/// | `coo` dimod COO text | yes | yes |
/// | `qubo` qbsolv | yes | yes |
/// | `gset` rudy / Gset max-cut | yes | no |
/// | `bqp` OR-Library one-instance files, and gka `.sparse` | yes | no |
/// | `dimodbqm` dimod's binary `bqm.to_file()` | yes | no |
public enum ModelFormat: String, CaseIterable, Sendable, Hashable {
  /// Decide from the file name and contents.
  case auto
  /// dimod's JSON serialization of a BinaryQuadraticModel.
  case json
  /// dimod's COO text: `i j bias` lines, `# vartype=…` header.
  case coo
  /// qbsolv's `.qubo`: `c` comments, `p qubo 0 maxNodes nNodes nCouplers`.
  case qubo
  /// A Gset / rudy max-cut graph: `n m`, then `i j w` (1-based).
  case gset
  /// An OR-Library bqp instance: `n nnz`, then `i j q` (1-based, `i ≤ j`).
  case bqp
  /// dimod's binary file (`bqm.to_file()`): `DIMODBQM`, a JSON header, arrays.
  case dimodbqm

  /// Whether Anneal can write models in this format.
  public var isWritable: Bool {
    switch self {
    case .json, .coo, .qubo: return true
    case .auto, .gset, .bqp, .dimodbqm: return false
    }
  }

  /// The format a file name's extension names, with the reason, if any.
  ///
  /// `.json`, `.coo`, `.qubo`; `.rud` and names `G<k>` are Gset;
  /// `.sparse` and names starting `bqp` or `gka` are bqp.
  public static func fromName(_ path: String) -> (format: ModelFormat, reason: String)? {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let lower = name.lowercased()
    let ext = lower.contains(".") ? String(lower.split(separator: ".").last ?? "") : ""
    switch ext {
    case "json": return (.json, "file extension .json")
    case "coo": return (.coo, "file extension .coo")
    case "qubo": return (.qubo, "file extension .qubo")
    case "rud": return (.gset, "file extension .rud (rudy graph)")
    case "sparse": return (.bqp, "file extension .sparse (BiqMac gka form)")
    default: break
    }
    let stem = lower.split(separator: ".").first.map(String.init) ?? lower
    if stem.hasPrefix("g"), stem.count > 1, stem.dropFirst().allSatisfy(\.isNumber) {
      return (.gset, "file name \(name) is a Gset graph name (G<k>)")
    }
    if stem.hasPrefix("bqp") { return (.bqp, "file name \(name) starts with bqp (OR-Library)") }
    if stem.hasPrefix("gka") { return (.bqp, "file name \(name) starts with gka") }
    return nil
  }

  /// Whether a bqp file is in the BiqMac gka (minimization) convention:
  /// a `.sparse` extension or a name starting `gka`.
  static func isGkaName(_ path: String) -> Bool {
    let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
    return name.hasSuffix(".sparse") || name.hasPrefix("gka")
  }

  /// Chooses a format from the contents alone, with the reason.
  ///
  /// `{` starts JSON; a first line starting `c` or `p` is qbsolv; `#` is
  /// COO; three numbers on the first line are COO; two numbers are a Gset
  /// graph unless a later line has `i == i` (a diagonal entry), which makes
  /// it bqp. Returns `nil` when nothing fits.
  static func fromContents(_ text: UnsafeBufferPointer<UInt8>) -> (
    format: ModelFormat, reason: String
  )? {
    var r = TextReader(path: "", text: text)
    var first: UInt8?
    while r.advance() {
      if let b = r.firstByte {
        first = b
        break
      }
    }
    guard let b = first else { return nil }
    switch b {
    case UInt8(ascii: "{"): return (.json, "content starts with '{'")
    case UInt8(ascii: "c"), UInt8(ascii: "C"), UInt8(ascii: "p"), UInt8(ascii: "P"):
      return (
        .qubo, "first line starts with '\(UnicodeScalar(b))' (qbsolv comment or problem line)"
      )
    case UInt8(ascii: "#"): return (.coo, "first line is a '#' comment (COO header)")
    default: break
    }
    var fields = 0
    while r.nextField() != nil { fields += 1 }
    switch fields {
    case 3: return (.coo, "first line has three fields 'i j bias' and no header")
    case 1: return (.bqp, "first line has one number (a multi-instance OR-Library file?)")
    case 2:
      var checked = 0
      while checked < 100_000 && r.advance() {
        guard r.firstByte != nil else { continue }
        checked += 1
        guard let a = r.nextField(), let c = r.nextField() else { continue }
        if text[a].elementsEqual(text[c]) {
          return (.bqp, "'n nnz' header and a diagonal entry 'i i q' on line \(r.line)")
        }
      }
      return (.gset, "'n m' header and no diagonal entries (edges 'i j w')")
    default: return nil
    }
  }
}
