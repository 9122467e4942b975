import Foundation
import Testing

/// `anneal solve` on dimod's binary files (`bqm.to_file()`).
@Suite("anneal solve on dimod binary files")
struct DimodBinaryCLITests {
  static func fixture(_ name: String) -> String {
    CLI.packageRoot.appendingPathComponent("Tests/Fixtures/dimodbqm/\(name)").path
  }

  @Test("a dimod file is detected by its header and solved like its JSON twin")
  func solves() throws {
    let binary = try CLI.run(
      ["solve", Self.fixture("spin_mixed_labels.bqm"), "--sampler", "exact", "--json", "-v"])
    #expect(binary.status == 0, "\(binary.stderr)")
    #expect(binary.stderr.contains("format dimodbqm"), "\(binary.stderr)")
    let json = try CLI.run(
      ["solve", Self.fixture("spin_mixed_labels.json"), "--sampler", "exact", "--json"])
    let a = try jsonObject(binary.stdout)
    let b = try jsonObject(json.stdout)
    #expect(a["best_energy"] as? Double == b["best_energy"] as? Double)
    #expect(a["num_variables"] as? Int == 7)
  }

  @Test("a truncated file: exit 2, the file and the reason on stderr")
  func truncated() throws {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("spin_int.bqm")))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "anneal-dimodbqm-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("cut.bqm").path
    try bytes.prefix(bytes.count - 5).write(to: URL(fileURLWithPath: path))
    let r = try CLI.run(["solve", path])
    #expect(r.status == 2)
    #expect(r.stderr.contains("\(path): byte "), "\(r.stderr)")
    #expect(r.stderr.contains("truncated"), "\(r.stderr)")
    let wrong = try CLI.run(["solve", Self.fixture("spin_int.bqm"), "--format", "coo"])
    #expect(wrong.status == 2)
    #expect(wrong.stderr.contains("--format dimodbqm"), "\(wrong.stderr)")
  }
}
