import Foundation
import QUBOModel
import Testing
import Tuning

@testable import Sweeps

/// Inputs the sweep spec fuzz target (`Fuzz/`, target `sweepspec`) found or
/// was seeded with, in `Fixtures/fuzz/sweepspec/`: each must be read or
/// refused with a `SweepSpecError`, and an accepted spec must read back the
/// same from its own JSON.
@Suite("sweep spec fuzz regressions")
struct SweepSpecFuzzRegressionTests {
  static func directory() throws -> URL {
    guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
      throw SweepSpecError(key: nil, "the Fixtures resource is missing from the test bundle")
    }
    return url.appendingPathComponent("fuzz/sweepspec")
  }

  static let corpus: [String] = {
    guard let dir = try? directory().path else { return [] }
    let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return files.filter { !$0.hasPrefix(".") }.sorted()
  }()

  @Test func theCorpusIsThere() {
    #expect(Self.corpus.count >= 3, "\(Self.corpus)")
  }

  @Test("each input reads or fails cleanly", arguments: corpus)
  func regression(_ file: String) throws {
    let data = try Data(contentsOf: try Self.directory().appendingPathComponent(file))
    let spec: SweepSpec
    let document: SpecDocument
    do {
      document = try SpecText.document( String(decoding: data, as: UTF8.self))
      spec = try SweepSpec(json: document.value)
    } catch let error as SweepSpecError {
      #expect(!error.reason.isEmpty)
      return
    }
    let again = try SweepSpec(json: try SpecText.document( document.value.serialized()).value)
    #expect(again.samplers.map(\.points) == spec.samplers.map(\.points))
    #expect(again.seeds == spec.seeds)
  }
}
