import Foundation

/// Rows of input features, and a class per row when the file has labels:
/// the calibration data of `anneal quantize MODEL.onnx --data FILE`.
public struct FeatureMatrix: Sendable, Equatable {
  /// The number of rows.
  public var rows: Int
  /// The number of features per row.
  public var columns: Int
  /// Row-major values, `rows × columns`.
  public var values: [Double]
  /// One class per row (the file's last column), when read with labels.
  public var labels: [Int]?

  /// Reads a `.npy` array (by extension) or else a CSV file.
  ///
  /// CSV: one row per line, comma-separated numbers in the model's input
  /// order; with `labels`, the last field of each row is the class (an
  /// integer ≥ 0). A first line with a field that is not a number is a
  /// header and skipped (pandas' `f0,…,label`). NumPy: a 2-D C-order array
  /// of `<f4`, `<f8`, `<i4` or `<i8`; with `labels`, its last column is the
  /// class.
  /// - Throws: `DatasetError` naming the file, the line (CSV) and the reason.
  public static func load(contentsOf path: String, labels: Bool) throws -> FeatureMatrix {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DatasetError(file: path, line: 0, reason: "cannot read the file")
    }
    if path.lowercased().hasSuffix(".npy") {
      return try parseNPY([UInt8](data), file: path, labels: labels)
    }
    return try parseCSV(String(decoding: data, as: UTF8.self), file: path, labels: labels)
  }

  /// Parses CSV text (see `load`); `file` names it in errors.
  public static func parseCSV(_ text: String, file: String, labels: Bool) throws -> FeatureMatrix {
    var values = [Double]()
    var classes = [Int]()
    var width: Int?
    var rows = 0
    var number = 0
    var sawData = false
    let newline: (Character) -> Bool = { $0 == "\n" || $0 == "\r\n" }
    for raw in text.split(omittingEmptySubsequences: false, whereSeparator: newline) {
      number += 1
      let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
      if line.allSatisfy(\.isWhitespace) { continue }
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      if !sawData && fields.contains(where: { Double($0) == nil }) {
        sawData = true
        width = fields.count
        continue
      }
      sawData = true
      if let width, fields.count != width {
        throw DatasetError(
          file: file, line: number, reason: "expected \(width) fields, found \(fields.count)")
      }
      width = fields.count
      let featureCount = labels ? fields.count - 1 : fields.count
      guard featureCount >= 1 else {
        throw DatasetError(
          file: file, line: number, reason: "a row needs at least one feature and a label")
      }
      for (k, field) in fields.prefix(featureCount).enumerated() {
        guard let v = Double(field), v.isFinite else {
          throw DatasetError(
            file: file, line: number, reason: "field \(k + 1) '\(field)' is not a finite number")
        }
        values.append(v)
      }
      if labels {
        let last = fields[fields.count - 1]
        guard let y = Int(last), y >= 0 else {
          throw DatasetError(
            file: file, line: number, reason: "label '\(last)' is not a non-negative integer")
        }
        classes.append(y)
      }
      rows += 1
    }
    guard rows > 0, let width else {
      throw DatasetError(file: file, line: 0, reason: "no data rows")
    }
    return FeatureMatrix(
      rows: rows, columns: labels ? width - 1 : width, values: values,
      labels: labels ? classes : nil)
  }

  /// Parses a NumPy `.npy` file (format versions 1–3); `file` names it in
  /// errors.
  public static func parseNPY(_ bytes: [UInt8], file: String, labels: Bool) throws
    -> FeatureMatrix
  {
    func fail(_ reason: String) -> DatasetError { DatasetError(file: file, line: 0, reason: reason) }
    let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
      throw fail("not a NumPy .npy file (bad magic)")
    }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      headerStart = 10
    case 2, 3:
      guard bytes.count >= 12 else { throw fail("truncated header") }
      headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
      headerStart = 12
    default:
      throw fail(".npy format version \(major) is not supported (1, 2 or 3 are)")
    }
    guard headerLength <= bytes.count - headerStart else { throw fail("truncated header") }
    let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
    func entry(_ key: String) -> Substring? {
      guard let r = header.range(of: "'\(key)':") else { return nil }
      return header[r.upperBound...].drop { $0 == " " }
    }
    guard let descrField = entry("descr"), descrField.first == "'",
      let end = descrField.dropFirst().firstIndex(of: "'")
    else { throw fail("the header has no 'descr'") }
    let descr = String(descrField[descrField.index(after: descrField.startIndex)..<end])
    guard let fortran = entry("fortran_order"), fortran.hasPrefix("False") else {
      throw fail("only C-order arrays (fortran_order False) are supported")
    }
    guard let shapeField = entry("shape"), shapeField.first == "(",
      let close = shapeField.firstIndex(of: ")")
    else { throw fail("the header has no 'shape'") }
    let dims = shapeField[shapeField.index(after: shapeField.startIndex)..<close]
      .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }.map { Int($0) }
    guard dims.count == 2, let rows = dims[0], let columns = dims[1], rows > 0, columns > 0
    else { throw fail("shape must be (rows, columns) with both positive") }
    let size: Int
    switch descr {
    case "<f4", "<i4": size = 4
    case "<f8", "<i8": size = 8
    default: throw fail("element type '\(descr)' is not supported (<f4, <f8, <i4, <i8)")
    }
    let start = headerStart + headerLength
    let (count, o1) = rows.multipliedReportingOverflow(by: columns)
    let (byteCount, o2) = count.multipliedReportingOverflow(by: size)
    guard !o1, !o2, byteCount == bytes.count - start else {
      throw fail("the data holds \(bytes.count - start) bytes for shape (\(rows), \(columns)) of \(descr)")
    }
    var all = [Double](repeating: 0, count: count)
    bytes.withUnsafeBytes { raw in
      for k in 0..<count {
        let o = start + k * size
        switch descr {
        case "<f4":
          all[k] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self))))
        case "<f8":
          all[k] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
        case "<i4":
          all[k] = Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int32.self)))
        default:
          all[k] = Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int64.self)))
        }
      }
    }
    guard all.allSatisfy(\.isFinite) else { throw fail("a value is not finite") }
    guard labels else {
      return FeatureMatrix(rows: rows, columns: columns, values: all, labels: nil)
    }
    guard columns >= 2 else { throw fail("with labels, a row needs a feature and a label") }
    var features = [Double]()
    features.reserveCapacity(rows * (columns - 1))
    var classes = [Int]()
    for r in 0..<rows {
      features += all[(r * columns)..<((r + 1) * columns - 1)]
      let y = all[(r + 1) * columns - 1]
      guard y >= 0, y < 1e9, y == y.rounded() else {
        throw fail("row \(r): label \(y) is not a non-negative integer")
      }
      classes.append(Int(y))
    }
    return FeatureMatrix(rows: rows, columns: columns - 1, values: features, labels: classes)
  }
}
