import Foundation
import QUBOModel
import Testing

@testable import Tuning

/// The tune spec reader (`SpecDocument` → `TuningSpec`), and the inputs the
/// libFuzzer harness (`Fuzz/`, target `tunespec`) found, kept in
/// `Tests/Fixtures/fuzz/tunespec/`: each must read or fail with a
/// `SpecDocument.ReadError` or a `TuningError`, never trap.
@Suite struct SpecDocumentTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz/tunespec")

  static let findings: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
    .filter { !$0.hasPrefix(".") }.sorted()

  @Test func thereAreFindingsToRead() {
    #expect(Self.findings.count >= 1, "no files in \(Self.root.path)")
  }

  @Test(arguments: findings)
  func eachFuzzFindingReadsOrFailsCleanly(_ file: String) throws {
    let data = try Data(contentsOf: Self.root.appendingPathComponent(file))
    let text = String(decoding: data, as: UTF8.self)
    do {
      let document = try SpecDocument(text: text)
      _ = try TuningSpec(json: document.value, parameterOrder: document.order["parameters"] ?? [])
    } catch let e as SpecDocument.ReadError {
      #expect(!e.reason.isEmpty)
    } catch let e as TuningError {
      #expect(!e.description.isEmpty)
    }
  }

  @Test func aRepeatedKeyIsRefusedWithItsLine() {
    let text = "name: a\ntrials: 3\nname: b\n"
    #expect(throws: SpecDocument.ReadError.self) { try SpecDocument(text: text) }
    do {
      _ = try SpecDocument(text: text)
    } catch let e as SpecDocument.ReadError {
      #expect(e.reason.contains("'name'"), "\(e)")
    } catch {
      Issue.record("\(error)")
    }
  }

  @Test func keyOrderAndLinesAreKept() throws {
    let d = try SpecDocument(text: "parameters:\n  z: {type: bool}\n  a:\n    type: bool\n")
    #expect(d.order["parameters"] == ["z", "a"])
    #expect(d.line(of: "parameters.a.type") == 4)
    #expect(d.line(of: "parameters.z.low") == 2)
  }
}
