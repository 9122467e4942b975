import Foundation
import Testing

/// Runs the built `anneal` binary as a person would, and checks what it
/// prints and its exit code.
struct CLI {
  static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
  }

  static var binary: URL {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for dir in [here, here.deletingLastPathComponent()] {
      let candidate = dir.appendingPathComponent("anneal")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return packageRoot.appendingPathComponent(".build/debug/anneal")
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ arguments: [String]) throws -> Result {
    let p = Process()
    p.executableURL = binary
    p.arguments = arguments
    p.currentDirectoryURL = packageRoot
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }

  static func temporaryFile(_ name: String, _ contents: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "anneal-cli-tests-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try contents.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }
}

func jsonObject(_ text: String) throws -> [String: Any] {
  let any = try JSONSerialization.jsonObject(with: Data(text.utf8))
  return try #require(any as? [String: Any])
}

@Suite("anneal solve, as a process")
struct SolveCommandTests {
  @Test func gsetG1ContractJSON() throws {
    let g1 = CLI.packageRoot.appendingPathComponent("problems/G1.gset").path
    let r = try CLI.run([
      "solve", g1, "--sampler", "sa", "--reads", "2", "--sweeps", "200", "--seed", "5", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    for key in [
      "sampler", "num_variables", "num_interactions", "best_energy", "energies", "best_sample",
      "spin_updates", "timing", "objective",
    ] {
      #expect(o[key] != nil, "missing \(key)")
    }
    #expect(o["sampler"] as? String == "sa")
    #expect(o["num_variables"] as? Int == 800)
    #expect(o["num_interactions"] as? Int == 19176)
    #expect((o["energies"] as? [Any])?.count == 2)
    #expect((o["best_sample"] as? [Any])?.count == 800)
    #expect(o["spin_updates"] as? Int == 2 * 200 * 800)
    let timing = try #require(o["timing"] as? [String: Any])
    for key in ["parse_seconds", "sample_seconds", "total_seconds"] {
      #expect(timing[key] is Double || timing[key] is Int, "timing.\(key)")
    }
    let objective = try #require(o["objective"] as? [String: Any])
    #expect(objective["name"] as? String == "cut")
    let cut = try #require(objective["best"] as? Double)
    let energy = try #require(o["best_energy"] as? Double)
    // G1 has 19176 edges of weight +1: cut = (W − E)/2.
    #expect(cut == (19176 - energy) / 2)
    #expect(cut > 11000 && cut <= 11624)
  }

  @Test func sameSeedSameOutputAtAnyThreadCount() throws {
    let path = CLI.packageRoot.appendingPathComponent("problems/G11.gset").path
    var outputs: [[Double]] = []
    for threads in ["1", "2", "7"] {
      let r = try CLI.run([
        "solve", path, "--reads", "5", "--sweeps", "100", "--seed", "42", "--threads", threads,
        "--json",
      ])
      #expect(r.status == 0, "\(r.stderr)")
      outputs.append(try #require(jsonObject(r.stdout)["energies"] as? [Double]))
    }
    #expect(outputs[0] == outputs[1])
    #expect(outputs[0] == outputs[2])
  }

  @Test func exactOnASmallCOOFile() throws {
    let path = try CLI.temporaryFile(
      "tiny.coo", "# vartype=SPIN\n0 1 1.0\n1 2 1.0\n0 2 1.0\n0 0 0.5\n")
    let r = try CLI.run(["solve", path, "--sampler", "exact", "--reads", "3", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    // A frustrated triangle with h0 = 0.5: the ground energy is −1 − 0.5.
    #expect(o["best_energy"] as? Double == -1.5)
    #expect((o["energies"] as? [Double])?.count == 3)
  }

  @Test func flagsTheSamplerIgnoresAreNamed() throws {
    let path = CLI.packageRoot.appendingPathComponent("problems/G11.gset").path
    let r = try CLI.run([
      "solve", path, "--reads", "1", "--sweeps", "5", "--trotter", "8", "--tenure", "3",
    ])
    #expect(r.status == 0)
    #expect(r.stderr.contains("--trotter has no effect with --sampler sa"))
    #expect(r.stderr.contains("--tenure has no effect with --sampler sa"))
  }

  @Test(arguments: ["sa", "pt"])
  func allZeroModelWarns(_ sampler: String) throws {
    let path = try CLI.temporaryFile("zero.coo", "# vartype=SPIN\n0 1 0.0\n")
    let r = try CLI.run(["solve", path, "--sampler", sampler, "--reads", "2", "--sweeps", "5"])
    #expect(r.status == 0)
    #expect(r.stderr.contains("warning: every bias is zero"), "\(r.stderr)")
  }

  @Test func ptReplicasReachInfo() throws {
    let path = CLI.packageRoot.appendingPathComponent("problems/G11.gset").path
    let r = try CLI.run([
      "solve", path, "--sampler", "pt", "--replicas", "5", "--reads", "1", "--sweeps", "20",
      "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let info = try #require(jsonObject(r.stdout)["info"] as? [String: Any])
    #expect((info["ladder"] as? [Any])?.count == 5)
  }

  @Test func humanTableByDefault() throws {
    let path = CLI.packageRoot.appendingPathComponent("problems/G11.gset").path
    let r = try CLI.run(["solve", path, "--reads", "2", "--sweeps", "50", "--seed", "1"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("best energy"))
    #expect(r.stdout.contains("best cut"))
  }

  @Test func outputWritesASampleSet() throws {
    let out = try CLI.temporaryFile("samples.json", "")
    let path = CLI.packageRoot.appendingPathComponent("problems/G11.gset").path
    let r = try CLI.run([
      "solve", path, "--reads", "3", "--sweeps", "20", "--seed", "1", "--output", out,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(String(contentsOfFile: out, encoding: .utf8))
    #expect(o["type"] as? String == "SampleSet")
  }
}

@Suite("anneal: bad usage and bad input exit with 2")
struct CLIErrorTests {
  @Test(arguments: [
    ["solve"],
    ["solve", "problems/G11.gset", "--sampler", "magic"],
    ["solve", "problems/G11.gset", "--reads", "0"],
    ["solve", "problems/G11.gset", "--beta-range", "0,0"],
    ["solve", "problems/G11.gset", "--beta-range", "x"],
    ["solve", "problems/G11.gset", "--time-limit", "-1"],
    ["solve", "problems/G11.gset", "--sampler", "pt", "--replicas", "1"],
    ["solve", "problems/G11.gset", "--sampler", "exact"],
    ["solve", "problems/G11.gset", "--sampler", "portfolio", "--threads", "0"],
    ["solve", "problems/G11.gset", "--sampler", "portfolio", "--parameters", "{\"tempering_reads\": -1}"],
    ["solve", "/nonexistent/file.coo"],
    ["nonsense"],
  ])
  func exitsWithTwo(_ arguments: [String]) throws {
    let r = try CLI.run(arguments)
    #expect(r.status == 2, "\(arguments): \(r.status) \(r.stderr)")
    #expect(!r.stderr.isEmpty)
    #expect(!r.stderr.contains("Fatal error"))
  }

  @Test func brokenFileNamesFileAndLine() throws {
    let path = try CLI.temporaryFile("broken.coo", "0 1 1.0\n1 2 abc\n")
    let r = try CLI.run(["solve", path, "--format", "coo"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("broken.coo:2:"), "\(r.stderr)")
  }
}

@Suite("anneal --help")
struct HelpTests {
  @Test func solveHelpNamesTheContractFlags() throws {
    let r = try CLI.run(["solve", "--help"])
    #expect(r.status == 0)
    for flag in [
      "--format", "--sampler", "--reads", "--sweeps", "--seed", "--threads", "--time-limit",
      "--beta-range", "--schedule", "--trotter", "--gamma-range", "--beta", "--json", "--output",
      "--replicas", "--tenure",
    ] {
      #expect(r.stdout.contains(flag), "help lacks \(flag)")
    }
    #expect(r.stdout.contains("USAGE: anneal solve [<options>] <file>"))
  }
}

@Suite("anneal solve: every sampler through the CLI")
struct EverySamplerTests {
  /// A 12-spin frustrated ring with chords and fields, small enough to enumerate.
  static func instance() throws -> String {
    var lines = ["# vartype=SPIN"]
    for i in 0..<12 {
      lines.append("\(i) \((i + 1) % 12) \(i % 3 == 0 ? -1.0 : 1.0)")
      lines.append("\(i) \((i + 5) % 12) \(i % 2 == 0 ? 0.5 : -0.75)")
      lines.append("\(i) \(i) \(Double(i % 4) * 0.25 - 0.375)")
    }
    return try CLI.temporaryFile("ring12.coo", lines.joined(separator: "\n") + "\n")
  }

  @Test(arguments: ["sa", "pt", "tabu", "sqa", "descent", "portfolio"])
  func findsTheExactGroundState(_ sampler: String) throws {
    let path = try Self.instance()
    let exact = try CLI.run(["solve", path, "--sampler", "exact", "--reads", "1", "--json"])
    #expect(exact.status == 0, "\(exact.stderr)")
    let ground = try #require(jsonObject(exact.stdout)["best_energy"] as? Double)
    let reads = sampler == "descent" ? "200" : "8"
    let args = [
      "solve", path, "--sampler", sampler, "--reads", reads, "--sweeps", "300", "--seed", "3",
      "--json",
    ]
    let first = try CLI.run(args)
    #expect(first.status == 0, "\(first.stderr)")
    let o = try jsonObject(first.stdout)
    let best = try #require(o["best_energy"] as? Double)
    #expect(abs(best - ground) < 1e-9, "\(sampler) found \(best), exact \(ground)")
    #expect(o["sampler"] as? String == sampler)
    let again = try CLI.run(args + ["--threads", "1"])
    #expect(try jsonObject(again.stdout)["energies"] as? [Double] == o["energies"] as? [Double])
  }
}

@Suite("anneal convert")
struct ConvertCommandTests {
  /// G11 written as dimod JSON, COO and qbsolv solves to the same energies.
  @Test(arguments: ["json", "coo", "qubo"])
  func convertedModelsSolveTheSame(_ format: String) throws {
    let g11 = CLI.packageRoot.appendingPathComponent("problems/G11.gset").path
    let out = try CLI.temporaryFile("g11.\(format)", "")
    let c = try CLI.run(["convert", g11, out, "--to", format])
    #expect(c.status == 0, "\(c.stderr)")
    let args = ["--reads", "3", "--sweeps", "50", "--seed", "9", "--json"]
    let a = try jsonObject(CLI.run(["solve", g11] + args).stdout)
    let b = try jsonObject(CLI.run(["solve", out, "--format", format] + args).stdout)
    let ea = try #require(a["energies"] as? [Double])
    let eb = try #require(b["energies"] as? [Double])
    #expect(ea.count == eb.count)
    for (x, y) in zip(ea, eb) { #expect(abs(x - y) < 1e-9) }
  }

  @Test func unknownVartypeIsBadUsage() throws {
    let g11 = CLI.packageRoot.appendingPathComponent("problems/G11.gset").path
    let r = try CLI.run(["convert", g11, "-", "--to", "json", "--vartype", "TERNARY"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("--vartype"))
  }
}
