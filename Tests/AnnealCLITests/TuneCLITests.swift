import Foundation
import Testing

/// A spec with `parameters` and `command` replaced as given; the command
/// leaves a marker file so a test can tell whether any trial ran.
func tuneSpec(parameters: String, command: String, extra: String = "") -> String {
  """
  name: cli
  direction: minimize
  trials: 6
  seed: 3
  sampler: random
  parameters:
  \(parameters)
  command: |-
    \(command)
  metric: loss
  \(extra)
  """
}

@Suite struct TuneCLITests {
  static let good = "  x: {type: int, low: 0, high: 9}\n  c: {type: categorical, values: [a, b]}"

  @Test(arguments: [
    ("  x: {type: gaussian, low: 0, high: 9}", "parameters.x.type"),
    ("  x: {type: int, low: 9, high: 0}", "parameters.x.low"),
    ("  x: {type: int, low: 0, high: 10, step: 3}", "parameters.x.step"),
    ("  x: {type: float, low: 0, high: 1, log: true}", "parameters.x.low"),
    ("  x: {type: int, low: 0, high: 9, colour: red}", "parameters.x.colour"),
  ])
  func malformedParameterIsRejectedBeforeAnyTrial(parameters: String, key: String) throws {
    let marker = FileManager.default.temporaryDirectory
      .appendingPathComponent("anneal-tune-marker-\(getpid())-\(key)").path
    let path = try CLI.temporaryFile(
      "bad-\(key).yaml",
      tuneSpec(parameters: parameters, command: "touch \(marker); echo 'loss: {x}'"))
    let r = try CLI.run(["tune", path])
    #expect(r.status == 2)
    #expect(r.stderr.contains(key), "stderr: \(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test func placeholderThatIsNotAParameterIsRejected() throws {
    let path = try CLI.temporaryFile(
      "bad-placeholder.yaml",
      tuneSpec(parameters: Self.good, command: "echo 'loss: {x}{y}'"))
    let r = try CLI.run(["tune", path])
    #expect(r.status == 2)
    #expect(r.stderr.contains("command") && r.stderr.contains("{y}"), "stderr: \(r.stderr)")
  }

  @Test func unknownTopLevelKeyAndSamplerAreRejected() throws {
    let path = try CLI.temporaryFile(
      "bad-key.yaml",
      tuneSpec(parameters: Self.good, command: "echo 'loss: {x}'", extra: "trails: 5"))
    let r = try CLI.run(["tune", path])
    #expect(r.status == 2)
    #expect(r.stderr.contains("trails"))
    let ok = try CLI.temporaryFile(
      "ok.yaml", tuneSpec(parameters: Self.good, command: "echo 'loss: {x}'"))
    let s = try CLI.run(["tune", ok, "--sampler", "tpe"])
    #expect(s.status == 2)
    #expect(s.stderr.contains("--sampler"))
  }

  @Test func jsonReportHasTheContractKeys() throws {
    let path = try CLI.temporaryFile(
      "ok-json.yaml",
      tuneSpec(
        parameters: Self.good,
        command: "echo 'noise'; echo '{\"loss\": {x}, \"other\": 1}'"))
    let r = try CLI.run(["tune", path, "--json", "--trials", "5"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let o = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(o["name"] as? String == "cli")
    #expect(o["direction"] as? String == "minimize")
    let trials = try #require(o["trials"] as? [[String: Any]])
    #expect(trials.count == 5)
    for t in trials {
      for key in ["number", "state", "value", "params", "seconds"] {
        #expect(t[key] != nil, "trial lacks \(key)")
      }
      let params = try #require(t["params"] as? [String: Any])
      #expect((t["value"] as? Double) == (params["x"] as? Double))
    }
    let best = try #require(o["best_value"] as? Double)
    #expect(best == trials.compactMap { $0["value"] as? Double }.min())
    #expect((o["best_params"] as? [String: Any])?["x"] as? Double == best)
  }

  @Test func failedTrialsAreRecordedAndTheStudyGoesOn() throws {
    // x = 0: exit 3; x = 1: no metric; x = 2: timeout; others: loss = x.
    let command = """
      sh -c 'case {x} in 0) exit 3;; 1) echo nothing;; 2) sleep 5;; *) echo "loss: {x}";; esac'
      """
    let path = try CLI.temporaryFile(
      "failing.yaml",
      tuneSpec(
        parameters: "  x: {type: int, low: 0, high: 5}", command: command,
        extra: "timeout: 0.5"))
    let start = Date()
    let r = try CLI.run(["tune", path, "--json", "--sampler", "grid"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(Date().timeIntervalSince(start) < 4, "the timeout kills the sleeping trial")
    let o = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let trials = try #require(o["trials"] as? [[String: Any]])
    #expect(trials.count == 6)
    var states: [Int: String] = [:]
    var errors: [Int: String] = [:]
    for t in trials {
      let x = try #require((t["params"] as? [String: Any])?["x"] as? Int)
      states[x] = t["state"] as? String
      errors[x] = (t["user_attrs"] as? [String: Any])?["error"] as? String
    }
    #expect(
      states == [
        0: "failed", 1: "failed", 2: "failed", 3: "complete", 4: "complete", 5: "complete",
      ])
    #expect(errors[0]?.contains("exit status 3") == true)
    #expect(errors[1]?.contains("no metric") == true)
    #expect(errors[2]?.contains("timed out") == true)
    #expect(o["best_value"] as? Double == 3)
  }

  @Test func reportWritesTwoSVGPlots() throws {
    let path = try CLI.temporaryFile(
      "report.yaml", tuneSpec(parameters: Self.good, command: "echo 'loss: {x}'"))
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("anneal-tune-report-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try CLI.run(["tune", path, "--report", dir])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let history = try String(contentsOfFile: "\(dir)/history.svg", encoding: .utf8)
    let importance = try String(contentsOfFile: "\(dir)/importance.svg", encoding: .utf8)
    #expect(history.contains("<svg") && history.contains("<polyline"))
    #expect(history.contains(">trial number</text>") && history.contains(">best so far</text>"))
    #expect(importance.contains(">x</text>") && importance.contains(">c</text>"))
    #expect(importance.contains("class=\"bar\""))
  }

  @Test func jsonSpecsWorkToo() throws {
    let spec = """
      {"name": "j", "direction": "maximize", "trials": 4, "sampler": "grid",
       "parameters": {"b": {"type": "bool"}, "k": {"type": "int", "low": 1, "high": 2}},
       "command": "echo '{\\"score\\": {k}}'", "metric": "score"}
      """
    let path = try CLI.temporaryFile("spec.json", spec)
    let r = try CLI.run(["tune", path, "--json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let o = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(o["direction"] as? String == "maximize")
    #expect(o["best_value"] as? Double == 2)
    #expect((o["trials"] as? [Any])?.count == 4)
  }

  /// Whether process `pid` exists (and is not a zombie).
  static func alive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return false }
    return !stat[stat.index(after: close)...].hasPrefix(" Z")
  }

  @Test(arguments: [SIGKILL, SIGTERM, SIGINT])
  func aTrialDiesWithItsTunerAndLeavesNoFiles(signal: Int32) throws {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("anneal-tune-kill-\(getpid())-\(signal)")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let pidFile = dir.appendingPathComponent("trial.pid").path
    let path = try CLI.temporaryFile(
      "kill-\(signal).yaml",
      tuneSpec(
        parameters: Self.good,
        command: "sh -c 'sleep 60 & echo $! > \(pidFile); wait'; echo 'loss: {x}'"))
    // posix_spawn with the signals' default actions and none blocked: the
    // test runner's threads may ignore or block them, and both are
    // inherited across exec.
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGINT)
    sigaddset(&defaults, SIGTERM)
    posix_spawnattr_setsigdefault(&attr, &defaults)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attr, &none)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    let env = ProcessInfo.processInfo.environment.merging(["TMPDIR": dir.path]) { $1 }
    let argv = [CLI.binary.path, "tune", path]
    var cargv = argv.map { strdup($0) } + [nil]
    var cenv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for p in cargv + cenv { free(p) } }
    var tuner: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    try #require(posix_spawn(&tuner, argv[0], &actions, &attr, &cargv, &cenv) == 0)
    let start = Date()
    var deadline = Date().addingTimeInterval(20)
    while !FileManager.default.fileExists(atPath: pidFile), Date() < deadline {
      Thread.sleep(forTimeInterval: 0.05)
    }
    Thread.sleep(forTimeInterval: 0.2)
    let sleeper = try #require(
      Int32(
        try String(contentsOfFile: pidFile, encoding: .utf8)
          .trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(Self.alive(sleeper))
    let leftovers = { (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] }
    #expect(leftovers().filter { $0.hasPrefix("anneal-tune-") }.isEmpty, "\(leftovers())")
    kill(tuner, signal)
    var status: Int32 = 0
    _ = waitpid(tuner, &status, 0)
    #expect(Date().timeIntervalSince(start) < 30, "the tuner ran on after signal \(signal)")
    deadline = Date().addingTimeInterval(3)
    while Self.alive(sleeper), Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    #expect(!Self.alive(sleeper), "the trial's sleep outlived the tuner (signal \(signal))")
    #expect(leftovers().filter { $0.hasPrefix("anneal-tune-") }.isEmpty, "\(leftovers())")
  }

  @Test func aNaNMetricFailsTheTrialSayingWhy() throws {
    let path = try CLI.temporaryFile(
      "nan.yaml",
      tuneSpec(
        parameters: "  x: {type: int, low: 0, high: 1}",
        command: "if [ {x} = 0 ]; then echo '{\"loss\": NaN}'; else echo 'loss: 2'; fi"))
    let r = try CLI.run(["tune", path, "--json", "--sampler", "grid"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let trials = try #require(try jsonObject(r.stdout)["trials"] as? [[String: Any]])
    let failed = try #require(trials.first { ($0["state"] as? String) == "failed" })
    let error = try #require((failed["user_attrs"] as? [String: Any])?["error"] as? String)
    #expect(error.contains("NaN") && error.contains("finite"), "\(error)")
  }

  @Test func historyNamesTheMetricShowsFailuresAndSaysWhenThereIsNoData() throws {
    let base = FileManager.default.temporaryDirectory
      .appendingPathComponent("anneal-tune-history-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    let spec = """
      name: h
      trials: 4
      sampler: grid
      parameters:
        x: {type: int, low: 0, high: 3}
      command: |-
        if [ {x} = 0 ]; then exit 1; fi; echo "score: {x}"
      metric: score
      """
    let path = try CLI.temporaryFile("history.yaml", spec)
    let r = try CLI.run(["tune", path, "--report", base + "/a"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let history = try String(contentsOfFile: base + "/a/history.svg", encoding: .utf8)
    #expect(history.contains(">score</text>"), "the value axis is labelled with the metric")
    #expect(history.contains("failed (at the edge)"))
    #expect(!history.contains("no data"))
    let none = try CLI.temporaryFile(
      "history-none.yaml", spec.replacingOccurrences(of: "trials: 4", with: "trials: 1")
        .replacingOccurrences(of: "if [ {x} = 0 ]; then exit 1; fi; ", with: "exit 1; "))
    let n = try CLI.run(["tune", none, "--report", base + "/b"])
    #expect(n.status == 1)
    let empty = try String(contentsOfFile: base + "/b/history.svg", encoding: .utf8)
    #expect(empty.contains("no data"))
    #expect(!empty.contains(">-1</text>"), "one trial: the x axis starts at 0")
  }

  @Test func aCommandGivenAsAListRunsWithoutAShell() throws {
    let spec = """
      name: argv
      trials: 3
      sampler: grid
      parameters:
        v: {type: categorical, values: ["1", "2", "$(exit 7)"]}
      command: [sh, -c, 'case "$1" in [0-9]) echo "loss: $1";; *) echo "loss: 9";; esac', sh, "{v}"]
      metric: loss
      """
    let path = try CLI.temporaryFile("argv.yaml", spec)
    let r = try CLI.run(["tune", path, "--json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let trials = try #require(try jsonObject(r.stdout)["trials"] as? [[String: Any]])
    let values = Set(trials.compactMap { $0["value"] as? Double })
    #expect(values == [1, 2, 9], "\(trials)")
    let command = (trials.first?["user_attrs"] as? [String: Any])?["command"]
    #expect((command as? [Any])?.count == 5)
  }
}

