import Foundation

/// Reading and writing model files: the one entry point the CLI uses.
///
///     let loaded = try ModelFile.read(path: "G1")          // format: .auto
///     loaded.model          // BinaryQuadraticModel, to be minimized
///     loaded.format         // .gset
///     loaded.formatReason   // "file name G1 is a Gset graph name (G<k>)"
///     loaded.objective?.value(energy: e)   // the cut of a state of energy e
///
/// Every failure is a `ModelFileError` whose description is
/// `path:line: reason`. Readers never trap, refuse NaN and infinity, and
/// allocate in proportion to the file's size: a header may declare at most
/// `variableLimit(fileSize:)` variables.
public enum ModelFile {
  /// The most variables a header may declare for a file of `fileSize`
  /// bytes: `max(2^20, 16 · fileSize)`, and never more than `Int32.max`
  /// (kernels index spins with `Int32`).
  ///
  /// Variables without entries cost
  /// memory but no bytes, so this keeps a tiny file from claiming terabytes.
  public static func variableLimit(fileSize: Int) -> Int {
    min(Int(Int32.max), max(1 << 20, fileSize.multipliedReportingOverflow(by: 16).partialValue))
  }

  /// Reads the model in the file at `path`.
  ///
  /// - Parameters:
  ///   - format: the format, or `.auto` to decide from the name and contents.
  ///   - vartype: the vartype of a COO file without a `# vartype=` header
  ///     (default BINARY, with a note); must agree with the header if both.
  /// - Throws: `ModelFileError`.
  public static func read(
    path: String, format: ModelFormat = .auto, vartype: Vartype? = nil
  ) throws -> LoadedModel {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ModelFileError(path: path, line: nil, reason: "no such file")
    }
    guard !isDirectory.boolValue else {
      throw ModelFileError(path: path, line: nil, reason: "is a directory, not a model file")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ModelFileError(path: path, line: nil, reason: "cannot read the file (permissions?)")
    }
    return try read(bytes: [UInt8](data), path: path, format: format, vartype: vartype)
  }

  /// Reads a model from the bytes of a file; `path` names it in errors and
  /// guides format detection.
  public static func read(
    bytes: [UInt8], path: String, format: ModelFormat = .auto, vartype: Vartype? = nil
  ) throws -> LoadedModel {
    try bytes.withUnsafeBufferPointer { all in
      var text = all
      if text.count >= 3, text[0] == 0xEF, text[1] == 0xBB, text[2] == 0xBF {
        text = UnsafeBufferPointer(rebasing: all[3...])
      }
      if format == .dimodbqm || (format == .auto && DimodBinaryFormat.hasMagic(all)) {
        let reason =
          format == .auto
          ? "content starts with DIMODBQM (dimod's bqm.to_file())"
          : "--format dimodbqm was given"
        let model = try DimodBinaryFormat.read(
          all, path: path, variableLimit: variableLimit(fileSize: all.count))
        return LoadedModel(model: model, format: .dimodbqm, formatReason: reason)
      }
      if DimodBinaryFormat.hasMagic(all) {
        throw ModelFileError(
          path: path, line: 1,
          reason:
            "dimod's binary BQM file (DIMODBQM), not \(format.rawValue); "
            + "give --format dimodbqm or auto")
      }
      if let nul = text.firstIndex(of: 0) {
        let line = 1 + text[..<nul].lazy.filter { $0 == 0x0A }.count
        throw ModelFileError(
          path: path, line: line, reason: "binary data (a NUL byte); a model file is text")
      }
      guard text.contains(where: { !TextReader.isSpace($0) && $0 != 0x0A }) else {
        throw ModelFileError(path: path, line: 1, reason: "the file is empty")
      }
      let (chosen, reason) = try detect(path: path, text: text, requested: format)
      let limit = variableLimit(fileSize: text.count)
      switch chosen {
      case .auto, .dimodbqm:
        throw ModelFileError(path: path, line: nil, reason: "internal error: format not resolved")
      case .json:
        return LoadedModel(
          model: try DimodJSON.read(text, path: path), format: .json, formatReason: reason)
      case .coo:
        let (model, notes) = try COOFormat.read(text, path: path, vartype: vartype)
        return LoadedModel(model: model, format: .coo, formatReason: reason, notes: notes)
      case .qubo:
        let model = try QbsolvFormat.read(text, path: path, variableLimit: limit)
        return LoadedModel(model: model, format: .qubo, formatReason: reason)
      case .gset:
        let (model, objective) = try GsetFormat.read(text, path: path, variableLimit: limit)
        return LoadedModel(
          model: model, format: .gset, formatReason: reason, objective: objective,
          notes: ["vertex v of the file is variable v-1; \(objective.formula)"])
      case .bqp:
        let gka = ModelFormat.isGkaName(path)
        let (model, objective) = try BqpFormat.read(
          text, path: path, minimize: gka, variableLimit: limit)
        return LoadedModel(
          model: model, format: .bqp, formatReason: reason, objective: objective,
          notes: [
            "x_v of the file is variable v-1; "
              + (gka ? "BiqMac gka convention (by name): " : "OR-Library convention: ")
              + objective.formula
          ])
      }
    }
  }

  /// The format to read `bytes` as, and why: the requested one, else the
  /// file name's, else the contents'.
  public static func detectFormat(
    path: String, bytes: [UInt8], requested: ModelFormat = .auto
  ) throws -> (format: ModelFormat, reason: String) {
    try bytes.withUnsafeBufferPointer { try detect(path: path, text: $0, requested: requested) }
  }

  static func detect(
    path: String, text: UnsafeBufferPointer<UInt8>, requested: ModelFormat
  ) throws -> (format: ModelFormat, reason: String) {
    if requested != .auto { return (requested, "--format \(requested.rawValue) was given") }
    if DimodBinaryFormat.hasMagic(text) {
      return (.dimodbqm, "content starts with DIMODBQM (dimod's bqm.to_file())")
    }
    if let byName = ModelFormat.fromName(path) { return byName }
    if let byContent = ModelFormat.fromContents(text) { return byContent }
    throw ModelFileError(
      path: path, line: 1,
      reason:
        "cannot tell the format from the name or the first "
        + "line; give --format (json, coo, qubo, gset, bqp, dimodbqm)"
    )
  }

  /// The text of `model` in a writable format (`json`, `coo`, `qubo`).
  ///
  /// COO and qbsolv need non-negative integer labels (string labels are
  /// refused; see `BinaryQuadraticModel.relabeledToIndices()`); they carry
  /// the offset in a comment, and qbsolv writes spin models in binary form.
  /// `path` only names the destination in errors.
  public static func serialize(
    _ model: BinaryQuadraticModel, format: ModelFormat, path: String = "<output>"
  ) throws -> String {
    switch format {
    case .json: return try DimodJSON.write(model, path: path)
    case .coo: return try COOFormat.write(model, path: path)
    case .qubo: return try QbsolvFormat.write(model, path: path)
    case .auto, .gset, .bqp, .dimodbqm:
      throw ModelFileError(
        path: path, line: nil,
        reason: "cannot write \(format.rawValue) files; write json, coo or qubo")
    }
  }

  /// Writes `model` to `path`; `.auto` takes the format from the extension
  /// (`.json`, `.coo`, `.qubo`).
  public static func write(
    _ model: BinaryQuadraticModel, to path: String, format: ModelFormat = .auto
  ) throws {
    var chosen = format
    if chosen == .auto {
      guard let byName = ModelFormat.fromName(path), byName.format.isWritable else {
        throw ModelFileError(
          path: path, line: nil,
          reason:
            "cannot tell the output format from the name; "
            + "use .json, .coo or .qubo or give the format"
        )
      }
      chosen = byName.format
    }
    try save(serialize(model, format: chosen, path: path), to: path)
  }

  /// Writes `samples` to `path` as dimod SampleSet JSON.
  public static func write(_ samples: SampleSet, to path: String, packSamples: Bool = false) throws
  {
    try save(samples.dimodJSON(packSamples: packSamples), to: path)
  }

  static func save(_ text: String, to path: String) throws {
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw ModelFileError(
        path: path, line: nil, reason: "cannot write: \(error.localizedDescription)")
    }
  }
}

extension BinaryQuadraticModel {
  /// The same model on the labels `0..<n` (label at index `i` becomes `i`),
  /// and the original labels in index order, to map samples back.
  public func relabeledToIndices() -> (model: BinaryQuadraticModel, labels: [Label]) {
    var out = self
    out.variables = Variables(range: numVariables)
    return (out, variables.allLabels)
  }
}
