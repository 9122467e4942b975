import Foundation
import QUBOModel
import Testing

/// Writing a model and reading it back gives the same model.
///
/// JSON keeps everything. COO keeps everything for non-negative integer
/// labels (the offset rides in a `# offset=` comment). qbsolv is binary
/// only: a spin model comes back as its binary form, with the same
/// energies. COO and qbsolv refuse string labels; `relabeledToIndices()`
/// makes a model they accept.
@Suite("round trips")
struct RoundTripTests {
  static let seeds: [UInt64] = [1, 2, 3, 4, 5]

  @Test("JSON keeps every model, string labels included", arguments: seeds)
  func json(seed: UInt64) throws {
    for vartype in Vartype.allCases {
      let labels: [Label] = (0..<25).map { k in
        k % 3 == 0 ? .string("x[\(k)] \"q\"\\ é") : .int(100 - 7 * k)
      }
      for model in [
        randomModel(n: 30, density: 0.3, vartype: vartype, seed: seed),
        randomModel(n: 25, density: 0.5, vartype: vartype, labels: labels, seed: seed),
        BinaryQuadraticModel(vartype: vartype),
      ] {
        let text = try ModelFile.serialize(model, format: .json)
        let back = try ModelFile.read(bytes: Array(text.utf8), path: "m.json")
        #expect(back.format == .json)
        #expect(back.model == model)
      }
    }
  }

  @Test("COO keeps integer-labelled models and their offset", arguments: seeds)
  func coo(seed: UInt64) throws {
    for vartype in Vartype.allCases {
      let model = randomModel(n: 40, density: 0.2, vartype: vartype, seed: seed)
      let text = try ModelFile.serialize(model, format: .coo)
      #expect(!text.contains("e-") && !text.contains("e+"), "COO text must not use exponents")
      let back = try ModelFile.read(bytes: Array(text.utf8), path: "m.coo")
      #expect(back.format == .coo)
      #expect(back.model == model)
      let sparse = randomModel(
        n: 10, density: 0.5, vartype: vartype, labels: (0..<10).map { .int(3 * $0 + 1) }, seed: seed
      )
      let again = try ModelFile.read(
        bytes: Array(try ModelFile.serialize(sparse, format: .coo).utf8), path: "s.coo")
      #expect(again.model.variables.allLabels == sparse.variables.allLabels)
      #expect(again.model == sparse)
    }
  }

  @Test("qbsolv keeps binary models; spin models come back in binary form", arguments: seeds)
  func qubo(seed: UInt64) throws {
    for vartype in Vartype.allCases {
      let model = randomModel(n: 40, density: 0.2, vartype: vartype, seed: seed)
      let text = try ModelFile.serialize(model, format: .qubo)
      let back = try ModelFile.read(bytes: Array(text.utf8), path: "m.qubo")
      #expect(back.format == .qubo)
      #expect(back.model == model.changingVartype(to: .binary))
    }
  }

  @Test("COO and qbsolv refuse string labels; relabeling makes them writable")
  func stringLabels() throws {
    var model = BinaryQuadraticModel(vartype: .spin)
    model.addQuadratic("a", "b", -1)
    model.addLinear("c", 2)
    for format in [ModelFormat.coo, .qubo] {
      #expect(throws: ModelFileError.self) { try ModelFile.serialize(model, format: format) }
      do {
        _ = try ModelFile.serialize(model, format: format)
      } catch let error as ModelFileError {
        #expect(error.reason.contains("'a'"))
        #expect(error.reason.contains("relabeledToIndices"))
      }
    }
    let (relabeled, labels) = model.relabeledToIndices()
    #expect(labels == ["a", "b", "c"])
    let back = try ModelFile.read(
      bytes: Array(try ModelFile.serialize(relabeled, format: .coo).utf8), path: "r.coo")
    #expect(back.model == relabeled)
  }

  @Test("read-only formats and non-finite biases cannot be written")
  func unwritable() throws {
    let model = randomModel(n: 3, density: 1, vartype: .binary, seed: 9)
    for format in [ModelFormat.gset, .bqp, .auto] {
      #expect(throws: ModelFileError.self) { try ModelFile.serialize(model, format: format) }
    }
    var bad = model
    bad.offset = .nan
    for format in [ModelFormat.json, .coo, .qubo] {
      #expect(throws: ModelFileError.self) { try ModelFile.serialize(bad, format: format) }
    }
  }

  @Test("files on disk: write by extension, read back by detection")
  func onDisk() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = randomModel(n: 12, density: 0.4, vartype: .spin, seed: 11)
    for ext in ["json", "coo"] {
      let path = dir.appendingPathComponent("m.\(ext)").path
      try ModelFile.write(model, to: path)
      let back = try ModelFile.read(path: path)
      #expect(back.format.rawValue == ext)
      #expect(back.model == model)
    }
    let path = dir.appendingPathComponent("m.qubo").path
    try ModelFile.write(model, to: path)
    #expect(try ModelFile.read(path: path).model == model.changingVartype(to: .binary))
    #expect(throws: ModelFileError.self) {
      try ModelFile.write(model, to: dir.appendingPathComponent("m.txt").path)
    }
  }
}
