import Foundation

// The CSV layouts of ../shared/datasets/README.md, every row being features
// then an integer label:
//   1. a header `samples,features,class names…`: with a class name that is
//      not a number, always; with numeric class names (`12,3,0,1`), when its
//      first two fields are the number of rows that follow and their feature
//      count, and every label is below the number of names;
//   2. a header of column names with a field that is not a number (pandas'
//      `f0,…,f3,label`): skipped; the classes are 0…largest label;
//   3. no header: the classes are 0…largest label.
// Without class names from a header, the largest label must be below the
// row count (a stray 100000000 is an error, not 10⁸ classes). Two classes at
// least are needed. Every problem is reported as `file:line: reason`.

extension Dataset {
  /// The datasets shipped in `problems/datasets/`, by name.
  public static let namedFiles: [String: String] = [
    "iris": "iris.csv", "wine": "wine_data.csv", "breast_cancer": "breast_cancer.csv",
    "breast-cancer": "breast_cancer.csv", "digits": "digits.csv",
  ]

  /// Loads a named dataset (`iris`, `wine`, `breast_cancer`, `digits`), a
  /// generated one (`classification256`, see `generated(_:)`) or a CSV file
  /// path.
  ///
  /// Named datasets are looked up in `$ANNEAL_DATASETS`, then in
  /// `problems/datasets/` under the current directory and its parents, then
  /// beside the running executable's package.
  /// - Throws: `DatasetError` for a missing or malformed file.
  public static func load(_ nameOrPath: String) throws -> Dataset {
    do {
      if let data = try generated(nameOrPath) { return data }
    } catch {
      throw DatasetError(file: nameOrPath, line: 0, reason: "generating it failed: \(error)")
    }
    guard let file = namedFiles[nameOrPath.lowercased()] else {
      return try load(contentsOf: nameOrPath)
    }
    let fm = FileManager.default
    var dirs = [String]()
    if let env = ProcessInfo.processInfo.environment["ANNEAL_DATASETS"] { dirs.append(env) }
    var url = URL(fileURLWithPath: fm.currentDirectoryPath)
    var exe = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
    for _ in 0..<5 {
      dirs.append(url.appendingPathComponent("problems/datasets").path)
      dirs.append(exe.appendingPathComponent("problems/datasets").path)
      url.deleteLastPathComponent()
      exe.deleteLastPathComponent()
    }
    for dir in dirs {
      let path = (dir as NSString).appendingPathComponent(file)
      if fm.fileExists(atPath: path) {
        var data = try load(contentsOf: path)
        data.name = nameOrPath.lowercased().replacingOccurrences(of: "-", with: "_")
        return data
      }
    }
    throw DatasetError(
      file: file, line: 0,
      reason: "dataset '\(nameOrPath)' not found in problems/datasets/ or $ANNEAL_DATASETS")
  }

  /// Loads a CSV file in one of the two layouts.
  public static func load(contentsOf path: String) throws -> Dataset {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DatasetError(file: path, line: 0, reason: "cannot read the file")
    }
    let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    return try parse(String(decoding: data, as: UTF8.self), file: path, name: name)
  }

  /// Parses CSV text; `file` names it in errors.
  public static func parse(_ text: String, file: String, name: String) throws -> Dataset {
    var lines = [(number: Int, fields: [Substring])]()
    var number = 0
    // "\r\n" is one Character, so both line ends are listed.
    let newline: (Character) -> Bool = { $0 == "\n" || $0 == "\r\n" }
    for raw in text.split(omittingEmptySubsequences: false, whereSeparator: newline) {
      number += 1
      let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
      if line.allSatisfy(\.isWhitespace) { continue }
      lines.append(
        (number, line.split(separator: ",", omittingEmptySubsequences: false).map(trimmed)))
    }
    guard let first = lines.first else {
      throw DatasetError(file: file, line: 0, reason: "the file is empty")
    }
    func fail(_ line: Int, _ reason: String) -> DatasetError {
      DatasetError(file: file, line: line, reason: reason)
    }
    var declared: (rows: Int, features: Int)?
    var classNames: [String]?
    let f = first.fields
    let named = f.contains { Double($0) == nil }
    let countsHeader: Bool = {
      guard f.count >= 3, let rows = Int(f[0]), let cols = Int(f[1]), rows >= 0, cols > 0
      else { return false }
      if named { return true }
      // All numbers: a header only when it describes the file, every row
      // having `cols` features and a label naming one of its classes.
      let classes = f.count - 2
      return rows == lines.count - 1
        && lines.dropFirst().allSatisfy { line in
          line.fields.count == cols + 1
            && (line.fields.last.flatMap { Int($0) }.map { (0..<classes).contains($0) } ?? false)
        }
    }()
    if countsHeader, let rows = Int(f[0]), let cols = Int(f[1]) {
      declared = (rows, cols)
      classNames = f.dropFirst(2).map(String.init)
      lines.removeFirst()
    } else if named {
      // Column names (pandas' `f0,…,label`): the width is the header's.
      guard f.count >= 2 else {
        throw fail(first.number, "a header needs at least one feature column and a label column")
      }
      lines.removeFirst()
      guard let next = lines.first else { throw fail(first.number, "no data rows after the header") }
      guard next.fields.count == f.count else {
        throw fail(
          next.number, "expected \(f.count) fields as the header names, found \(next.fields.count)")
      }
    }
    guard let firstRow = lines.first else {
      throw fail(first.number, "no data rows after the header")
    }
    // A declared feature count is checked against the first row before it
    // sizes anything (a header may claim 10¹⁸ features).
    if let declared, declared.features != firstRow.fields.count - 1 {
      throw fail(
        firstRow.number,
        "expected \(declared.features) features then a label as the header says, "
          + "found \(firstRow.fields.count) fields")
    }
    let width = firstRow.fields.count
    guard width >= 2 else {
      throw fail(firstRow.number, "a row needs at least one feature and a label")
    }
    var features = [Double]()
    features.reserveCapacity(lines.count * (width - 1))
    var labels = [Int]()
    labels.reserveCapacity(lines.count)
    for (n, fields) in lines {
      guard fields.count == width else {
        throw fail(n, "expected \(width) fields (features then label), found \(fields.count)")
      }
      for (k, field) in fields.dropLast().enumerated() {
        guard let v = Double(field), v.isFinite else {
          throw fail(n, "field \(k + 1) '\(field)' is not a finite number")
        }
        features.append(v)
      }
      let last = fields[width - 1]
      guard let label = Int(last), label >= 0 else {
        throw fail(n, "label '\(last)' is not a non-negative integer")
      }
      if let names = classNames, label >= names.count {
        throw fail(n, "label \(label) is out of range: the header names \(names.count) classes")
      }
      labels.append(label)
    }
    if let declared, declared.rows != labels.count {
      throw fail(
        first.number, "the header declares \(declared.rows) rows but the file has \(labels.count)")
    }
    if classNames == nil, let top = labels.max(), top >= labels.count {
      let line = lines[labels.firstIndex(of: top) ?? 0].number
      throw fail(
        line,
        "label \(top) with no header naming the classes: labels must be 0…k−1 with k at most "
          + "the \(labels.count) rows (or give a header 'samples,features,class names…')")
    }
    let names = classNames ?? (0...(labels.max() ?? 0)).map(String.init)
    guard Set(labels).count >= 2 else {
      throw fail(
        0, "every row has label \(labels.first ?? 0): classification needs two classes or more")
    }
    return try Dataset(
      name: name, features: features, labels: labels, featureCount: width - 1,
      classNames: names)
  }

  private static func trimmed(_ s: Substring) -> Substring {
    var t = s
    while let c = t.first, c.isWhitespace { t.removeFirst() }
    while let c = t.last, c.isWhitespace { t.removeLast() }
    return t
  }
}
