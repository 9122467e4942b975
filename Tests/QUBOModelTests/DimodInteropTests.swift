import Annealing
import Foundation
import QUBOModel
import Testing

/// Files Anneal writes load in Python's dimod with the same content.
///
/// Runs `$ANNEAL_PYTHON` (else `python3`); skipped, with the reason shown,
/// when that interpreter cannot `import dimod`, except in CI (`CI=true`),
/// where a missing dimod fails the test: `scripts/test.sh` sets
/// `ANNEAL_PYTHON` to a venv with dimod installed.
@Suite("dimod interop")
struct DimodInteropTests {
  /// Checks, in Python, every file listed in the manifest against what
  /// Anneal says it contains; prints `ok` or raises.
  static let checker = #"""
    import json, sys, math
    import dimod
    from dimod.serialization import coo

    manifest = json.load(open(sys.argv[1]))
    def label(x):
        return x
    for case in manifest["bqms"]:
        bqm = dimod.BinaryQuadraticModel.from_serializable(json.load(open(case["json"])))
        assert bqm.vartype.name == case["vartype"], (bqm.vartype, case["vartype"])
        assert list(bqm.variables) == case["labels"], (list(bqm.variables), case["labels"])
        for row, e in zip(case["samples"], case["energies"]):
            got = bqm.energy(dict(zip(case["labels"], row)))
            assert math.isclose(got, e, rel_tol=1e-12, abs_tol=1e-12), (got, e)
        if "coo" in case:
            c = coo.load(open(case["coo"]))
            assert c.vartype == bqm.vartype
            for v in bqm.variables:
                assert c.get_linear(v) == bqm.get_linear(v), v
            for u, v, b in bqm.iter_quadratic():
                assert c.get_quadratic(u, v) == b, (u, v)
            assert c.num_interactions == bqm.num_interactions
    for case in manifest["samplesets"]:
        ss = dimod.SampleSet.from_serializable(json.load(open(case["path"])))
        assert ss.vartype.name == case["vartype"]
        assert list(ss.variables) == case["labels"], (list(ss.variables), case["labels"])
        assert ss.record.sample.tolist() == case["samples"], case["path"]
        assert ss.record.energy.tolist() == case["energies"]
        assert ss.record.num_occurrences.tolist() == case["occurrences"]
        assert ss.info == case["info"], ss.info
    print("ok", len(manifest["bqms"]), len(manifest["samplesets"]))
    """#

  @Test(
    "dimod loads our BQM JSON, COO and SampleSet JSON",
    .enabled(
      if: DimodPython.isAvailable || DimodPython.isRequired,
      "\(DimodPython.executable) cannot import dimod; set ANNEAL_PYTHON to a Python with dimod")
  )
  func dimodLoadsOurFiles() throws {
    try #require(
      DimodPython.isAvailable,
      "CI=true, but \(DimodPython.executable) cannot import dimod (ANNEAL_PYTHON)")
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var bqms: [JSONValue] = []
    var samplesets: [JSONValue] = []
    let mixed: [Label] = (0..<20).map { k in k % 2 == 0 ? .string("v\(k)") : .int(k * 5) }
    let models: [(String, BinaryQuadraticModel)] = [
      ("binary", randomModel(n: 40, density: 0.3, vartype: .binary, seed: 21)),
      ("spin", randomModel(n: 37, density: 0.3, vartype: .spin, seed: 22)),
      ("mixed", randomModel(n: 20, density: 0.5, vartype: .spin, labels: mixed, seed: 23)),
      ("empty", BinaryQuadraticModel(vartype: .binary)),
    ]
    for (index, (name, model)) in models.enumerated() {
      let jsonPath = dir.appendingPathComponent("\(name).json").path
      try ModelFile.write(model, to: jsonPath)
      var rng = SplitMix64(seed: 31 + UInt64(index))
      let (lo, hi) = model.vartype.values
      let rows = (0..<5).map { _ in
        (0..<model.numVariables).map { _ in Bool.random(using: &rng) ? hi : lo }
      }
      var entry: [String: JSONValue] = [
        "json": .string(jsonPath), "vartype": .string(model.vartype.rawValue),
        "labels": .array(model.variables.map(\.jsonValue)),
        "samples": .array(rows.map { .array($0.map { .int(Int($0)) }) }),
        "energies": .array(rows.map { .double(model.energy($0)) }),
      ]
      if name != "mixed" {
        let cooPath = dir.appendingPathComponent("\(name).coo").path
        try ModelFile.write(model, to: cooPath)
        entry["coo"] = .string(cooPath)
      }
      bqms.append(.object(entry))

      for packed in [false, true] where model.numVariables > 0 {
        let samples = SampleSet(
          model: model, samples: rows.flatMap { $0 }, occurrences: [1, 2, 3, 4, 5],
          info: ["sampler": .string("test"), "beta_range": .array([.double(0.1), .double(3.5)])])
        let path = dir.appendingPathComponent("\(name)-\(packed).samples.json").path
        try ModelFile.write(samples, to: path, packSamples: packed)
        samplesets.append(
          .object([
            "path": .string(path), "vartype": .string(model.vartype.rawValue),
            "labels": .array(model.variables.map(\.jsonValue)),
            "samples": .array(rows.map { .array($0.map { .int(Int($0)) }) }),
            "energies": .array(samples.energies.map { .double($0) }),
            "occurrences": .array([1, 2, 3, 4, 5].map { .int($0) }),
            "info": .object(samples.info),
          ]))
      }
    }
    let manifest = dir.appendingPathComponent("manifest.json")
    try Data(
      JSONValue.object(["bqms": .array(bqms), "samplesets": .array(samplesets)])
        .serialized().utf8
    ).write(to: manifest)
    let (status, output) = try DimodPython.run(Self.checker, arguments: [manifest.path])
    #expect(status == 0, "\(output)")
    #expect(output.hasPrefix("ok 4 6"), "\(output)")
  }
}
