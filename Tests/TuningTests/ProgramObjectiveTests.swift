import Foundation
import Testing

@testable import Tuning

@Suite struct ProgramObjectiveTests {
  @Test func placeholdersSideBySideAndShellExpansions() throws {
    let c = "run --bits {x0}{x1}{x2} --name=${HOME} --seed {trial} --json '{ \"a\": 1 }'"
    #expect(ProgramObjective.placeholders(in: c) == ["x0", "x1", "x2", "trial"])
    let space = try SearchSpace([("x0", .bool), ("x1", .bool), ("x2", .bool)])
    let objective = ProgramObjective(command: c, metric: "loss", timeout: nil, space: space)
    let line = objective.render(
      ["x0": .bool(true), "x1": .bool(false), "x2": .bool(true)], trial: 7)
    #expect(line == "run --bits truefalsetrue --name=${HOME} --seed 7 --json '{ \"a\": 1 }'")
  }

  @Test func metricFromTheLastJSONObjectOrALine() {
    let m = ProgramObjective.metric
    #expect(m("loss", "loss: 3\n{\"loss\": 1.5}\n{\"acc\": 0.9, \"loss\": 0.25}\n") == 0.25)
    #expect(m("loss", "epoch 1 loss: 0.9\nepoch 2\nloss = 0.5, acc 3\n") == 0.5)
    #expect(m("loss", "{\n  \"loss\": 2.5,\n  \"x\": [1, 2]\n}\n") == 2.5)
    #expect(m("loss", "{\"acc\": 1}\nloss: 4\n") == 4)
    #expect(m("loss", "lossy: 3\nnothing here\n") == nil)
    #expect(m("best_energy", "{\"best_energy\": -1094.0, \"energies\": [-1094.0]}") == -1094)
  }

  static let hostile = [
    "c;echo loss: -100", "$(touch /tmp/anneal-should-not-exist)", "(64, 32)", "it's",
    "a\"b", "`id`", "x y", "", "*", "~",
  ]

  @Test(arguments: hostile)
  func everySubstitutedValueReachesTheProgramAsItIs(_ value: String) throws {
    let space = try SearchSpace([("v", .categorical([value, "other"]))])
    for template in ["printf '%s\\n' {v}", "printf '%s\\n' '{v}'", "printf '%s\\n' \"{v}\""] {
      let objective = ProgramObjective(command: template, metric: "loss", timeout: 5, space: space)
      let line = objective.render(["v": .string(value)], trial: 0)
      let (status, out, err) = try TrialProcess.run(["/bin/sh", "-c", line], timeout: 5)
      #expect(status == .exited(0), "\(line): \(err)")
      #expect(out == value + "\n", "template \(template) gave \(out.debugDescription)")
    }
    #expect(!FileManager.default.fileExists(atPath: "/tmp/anneal-should-not-exist"))
  }

  @Test func anArgumentVectorRunsWithoutAShell() throws {
    let space = try SearchSpace([("v", .categorical(["$(echo no);x", "b"]))])
    let objective = ProgramObjective(
      arguments: ["printf", "%s|%s\\n", "{v}", "--t={trial}"], metric: "loss", timeout: 5,
      space: space)
    let words = objective.arguments?.map {
      ProgramObjective.substitute($0, ["v": .string("$(echo no);x")], trial: 4, quoting: false)
    }
    let (status, out, _) = try TrialProcess.run(try #require(words), timeout: 5)
    #expect(status == .exited(0))
    #expect(out == "$(echo no);x|--t=4\n")
  }

  @Test func nonFiniteMetricsAreRefusedSayingWhatWasRead() {
    let r = ProgramObjective.reading
    #expect(r("loss", "{\"loss\": NaN, \"acc\": 0.5}\n") != .missing)
    guard case .refused(let text, let why) = r("loss", "{\"loss\": NaN, \"acc\": 0.5}\n") else {
      Issue.record("NaN was not refused")
      return
    }
    #expect(text.contains("NaN") && why.contains("NaN") && why.contains("finite"))
    guard case .refused(_, let inf) = r("loss", "{\"loss\": -Infinity}") else {
      Issue.record("-Infinity was not refused")
      return
    }
    #expect(inf.contains("-Infinity"))
    guard case .refused(let line, _) = r("loss", "epoch 3\nloss: nan\n") else {
      Issue.record("loss: nan was not refused")
      return
    }
    #expect(line.contains("loss: nan"))
    #expect(r("loss", "{\"loss\": \"NaN-ish\"}") != .value(0))
    #expect(r("loss", "{\"note\": \"NaN\", \"loss\": 2}") == .value(2))
    #expect(r("loss", "nothing\n") == .missing)
  }

  /// Whether process `pid` exists (and is not a zombie).
  static func alive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return false }
    return !stat[stat.index(after: close)...].hasPrefix(" Z")
  }

  @Test func whatATrialLeavesRunningDiesWithIt() throws {
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("anneal-orphan-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: file) }
    let (status, _, _) = try TrialProcess.run(
      ["/bin/sh", "-c", "sleep 30 & echo $! > \(file); echo 'loss: 1'"], timeout: 10)
    #expect(status == .exited(0))
    let pid = try #require(Int32(try String(contentsOfFile: file, encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)))
    let deadline = Date().addingTimeInterval(3)
    while Self.alive(pid), Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    #expect(!Self.alive(pid), "the background sleep \(pid) outlived its trial")
  }
}

