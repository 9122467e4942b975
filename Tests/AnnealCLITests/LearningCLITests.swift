import Foundation
import Testing

@Suite("anneal train / quantize, as a process")
struct LearningCLITests {
  @Test func trainPrintsTheContractedJSON() throws {
    let r = try CLI.run(["train", "--dataset", "iris", "--hidden", "8", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    #expect(o["dataset"] as? String == "iris")
    #expect(o["sizes"] as? [Int] == [4, 8, 3])
    let acc = try #require(o["test_accuracy"] as? Double)
    #expect(acc > 0.8 && acc <= 1)
    let testLoss = try #require(o["test_loss"] as? Double)
    #expect(testLoss > 0 && testLoss < log(3))
  }

  @Test func quantizePrintsEveryMethodPerSeedAndEnergiesPerLayer() throws {
    let r = try CLI.run([
      "quantize", "--dataset", "iris", "--bits", "2", "--hidden", "6", "--seeds", "3,4",
      "--sampler", "sa", "--sweeps", "200", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    #expect(o["dataset"] as? String == "iris")
    #expect(o["bits"] as? Int == 2)
    #expect(o["sampler"] as? String == "sa")
    #expect(o["seeds"] as? [Int] == [3, 4])
    #expect(o["seconds"] is Double)
    let acc = try #require(o["test_accuracy"] as? [String: [Double]])
    for m in [
      "float", "rtn", "rtn+finetune", "greedy", "greedy+finetune", "gptq", "gptq+finetune",
      "anneal", "anneal+finetune",
    ] {
      let v = try #require(acc[m], "missing \(m)")
      #expect(v.count == 2 && v.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
    let energy = try #require(o["qubo_energy"] as? [String: [[Double]]])
    for m in ["rtn", "greedy", "gptq", "anneal"] {
      let v = try #require(energy[m])
      #expect(v.count == 2 && v.allSatisfy { $0.count == 2 })
    }
    // Greedy descends from the round-to-nearest bits: never worse.
    for (g, t) in zip(try #require(energy["greedy"]).joined(), try #require(energy["rtn"]).joined()) {
      #expect(g <= t + 1e-9)
    }
    #expect(r.stderr.contains("seed 3 (1/2)"))
  }

  /// The controls run beside annealing on the same QUBOs, at 1 bit
  /// (binary ±1) too; each carries log-loss and McNemar's test per seed.
  @Test func quantizeRunsTheControlsWithStatistics() throws {
    let r = try CLI.run([
      "quantize", "--dataset", "iris", "--bits", "1", "--hidden", "6", "--seeds", "3,4",
      "--sampler", "sa", "--sweeps", "100", "--methods", "all", "--adaround-iterations", "200",
      "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    let acc = try #require(o["test_accuracy"] as? [String: [Double]])
    let loss = try #require(o["test_log_loss"] as? [String: [Double]])
    for m in ["gptq-greedy", "adaround", "tabu"] {
      for name in [m, m + "+finetune"] {
        #expect(acc[name]?.count == 2, "missing \(name)")
        #expect(loss[name]?.allSatisfy { $0 > 0 && $0.isFinite } == true, "\(name)")
      }
    }
    let energy = try #require(o["qubo_energy"] as? [String: [[Double]]])
    // Greedy passes start at GPTQ's codes: never worse.
    for (g, t) in zip(
      try #require(energy["gptq-greedy"]).joined(), try #require(energy["gptq"]).joined())
    {
      #expect(g <= t + 1e-9)
    }
    let pairs = try #require(o["paired_difference"] as? [String: [String: Any]])
    let tabu = try #require(pairs["anneal+finetune - tabu+finetune"])
    #expect((tabu["mcnemar_p"] as? [Double])?.count == 2)
    #expect(pairs["anneal - adaround"] != nil)
  }

  /// `--methods block` rounds both layers against the logits, `block-ft`
  /// against what fine-tuning leaves: both are annealing methods (compared
  /// with every other, `block-ft-greedy` among them), reproducible per seed.
  @Test func quantizeRunsTheBlockObjective() throws {
    let args = [
      "quantize", "--dataset", "iris", "--bits", "2", "--hidden", "5", "--seeds", "3,4",
      "--methods", "adaround,coupled,block,block-greedy,block-ft,block-ft-greedy,anneal-ft,greedy-ft", "--adaround-iterations",
      "200", "--json",
    ]
    let r = try CLI.run(args)
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    let acc = try #require(o["test_accuracy"] as? [String: [Double]])
    #expect(acc["block+finetune"]?.count == 2)
    let pairs = try #require(o["paired_difference"] as? [String: [String: Any]])
    #expect(pairs["block+finetune - adaround+finetune"] != nil)
    #expect(pairs["block+finetune - coupled+finetune"] != nil)
    #expect(pairs["block-ft+finetune - block-ft-greedy+finetune"] != nil)
    #expect(pairs["block-ft - block"] != nil)
    #expect(pairs["block+finetune - block-greedy+finetune"] != nil)
    #expect(pairs["anneal-ft+finetune - greedy-ft+finetune"] != nil)
    let again = try jsonObject(try CLI.run(args).stdout)
    #expect(try #require(again["test_accuracy"] as? [String: [Double]]) == acc)
  }

  @Test func quantizeIsReproducible() throws {
    let args = [
      "quantize", "--dataset", "iris", "--bits", "3", "--hidden", "5", "--seed", "9",
      "--sweeps", "100", "--json",
    ]
    let a = try jsonObject(try CLI.run(args).stdout)
    let b = try jsonObject(try CLI.run(args).stdout)
    let accuracy = try #require(a["test_accuracy"] as? [String: [Double]])
    #expect(accuracy.count >= 9)
    #expect(try #require(b["test_accuracy"] as? [String: [Double]]) == accuracy)
    let energy = try #require(a["qubo_energy"] as? [String: [[Double]]])
    #expect(energy.count == 4)
    #expect(try #require(b["qubo_energy"] as? [String: [[Double]]]) == energy)
  }

  @Test func samplerGreedyIsDescentFromTheRTNBits() throws {
    let r = try CLI.run([
      "quantize", "--dataset", "iris", "--bits", "2", "--hidden", "6", "--seeds", "1,2",
      "--sampler", "greedy", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    let energy = try #require(o["qubo_energy"] as? [String: [[Double]]])
    let annealed = try #require(energy["anneal"])
    #expect(annealed.count == 2 && annealed == energy["greedy"])
    let acc = try #require(o["test_accuracy"] as? [String: [Double]])
    let tuned = try #require(acc["anneal+finetune"])
    #expect(tuned.count == 2 && tuned == acc["greedy+finetune"])
  }

  @Test func resultsDoNotDependOnJobs() throws {
    func run(_ jobs: String) throws -> [String: Any] {
      let r = try CLI.run([
        "quantize", "--dataset", "iris", "--bits", "2", "--hidden", "4", "--seeds", "1-3",
        "--sweeps", "50", "--jobs", jobs, "--json",
      ])
      #expect(r.status == 0, "\(r.stderr)")
      return try jsonObject(r.stdout)
    }
    let (a, b) = (try run("1"), try run("3"))
    #expect(a["seeds"] as? [Int] == [1, 2, 3] && b["seeds"] as? [Int] == [1, 2, 3])
    let accuracy = try #require(a["test_accuracy"] as? [String: [Double]])
    #expect(accuracy["anneal+finetune"]?.count == 3)
    #expect(try #require(b["test_accuracy"] as? [String: [Double]]) == accuracy)
    let energy = try #require(a["qubo_energy"] as? [String: [[Double]]])
    #expect(energy["anneal"]?.count == 3)
    #expect(try #require(b["qubo_energy"] as? [String: [[Double]]]) == energy)
  }

  @Test func hybridLoopKeepsOnlyRoundsThatLowerTheTrainingLoss() throws {
    let r = try CLI.run([
      "quantize", "--dataset", "wine", "--bits", "2", "--hidden", "6", "--seed", "2",
      "--rounds", "4", "--sampler", "sa", "--sweeps", "200", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    let perSeed = try #require(o["hybrid"] as? [[[String: Any]]])
    let rounds = try #require(perSeed.first)
    #expect(rounds.count >= 2 && rounds.count <= 4)
    #expect(rounds.first?["kept"] as? Bool == true)
    var last = Double.infinity
    for (k, round) in rounds.enumerated() {
      #expect(round["round"] as? Int == k + 1)
      let loss = try #require(round["training_loss"] as? Double)
      let kept = try #require(round["kept"] as? Bool)
      #expect(kept == (loss < last - 1e-9))
      if !kept { #expect(k == rounds.count - 1, "the loop stops at the first round not kept") }
      if kept { last = loss }
    }
    let acc = try #require(o["test_accuracy"] as? [String: [Double]])
    #expect(acc["hybrid"]?.count == 1)
  }

  @Test func selectFeaturesKeepsKAndWritesAQUBOThatSolveReads() throws {
    let out = try CLI.temporaryFile("wine-k3.json", "")
    let r = try CLI.run([
      "select-features", "--dataset", "wine", "--k", "3", "--splits", "2", "--output", out,
      "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    #expect(o["k"] as? Int == 3)
    let features = try #require(o["features"] as? [String: [[Int]]])
    for m in ["bisection", "penalty", "encoded", "top-k"] {
      let perSplit = try #require(features[m])
      #expect(perSplit.count == 2)
      for f in perSplit {
        #expect(Set(f).count == f.count && f.allSatisfy { (0..<13).contains($0) })
      }
    }
    // Bisection keeps exactly k, padding or trimming by relevance when no α
    // gave k; whether it had to is reported per split.
    let bisected = try #require(features["bisection"])
    #expect(bisected.count == 2 && bisected.allSatisfy { $0.count == 3 })
    #expect((o["bisection_exact"] as? [Bool])?.count == 2)
    let solved = try CLI.run(["solve", out, "--sampler", "sa", "--reads", "8", "--json"])
    #expect(solved.status == 0, "\(solved.stderr)")
    let best = try #require(try jsonObject(solved.stdout)["best_sample"] as? [Int])
    #expect(best.count == 13 && best.filter { $0 == 1 }.count == 3)
  }

  @Test func badCSVGetsFileLineReasonAndExitTwo() throws {
    let path = try CLI.temporaryFile("ragged.csv", "3,2,a,b\n1,2,0\n3,1\n5,6,1\n")
    for command in ["train", "quantize"] {
      var args = [command, "--dataset", path]
      if command == "quantize" { args += ["--bits", "2"] }
      let r = try CLI.run(args)
      #expect(r.status == 2)
      #expect(r.stderr.contains("\(path):3: expected 3 fields (features then label), found 2"))
    }
  }

  @Test(arguments: [
    ["quantize", "--dataset", "iris", "--bits", "9"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--rounds", "0"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--seeds", "x"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--calibration", "0"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--sampler", "pt"],
    ["train", "--dataset", "no-such-dataset"],
    ["train", "--dataset", "iris", "--hidden", "0"],
    ["train", "--dataset", "iris", "--hidden", "4,,4"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--seeds", "1-"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--seeds=-3"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--seeds", "1--3"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--seeds", "1,,2"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--calibration", "113"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--iterations", "0"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--data", "x.csv"],
    ["quantize", "model.onnx", "--bits", "2"],
    ["quantize", "model.onnx", "--data", "x.csv", "--bits", "2", "--hidden", "4"],
    ["select-features", "--dataset", "iris", "--k", "2", "--sampler", "exact"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--methods", "rtn,magic"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--methods", "rtn,rtn"],
    ["quantize", "--dataset", "iris", "--bits", "0"],
    ["quantize", "--dataset", "iris", "--bits", "2", "--adaround-iterations", "0"],
    ["quantize", "model.onnx", "--data", "x.csv", "--bits", "2", "--methods", "rtn"],
  ])
  func badUsageExitsTwo(arguments: [String]) throws {
    let r = try CLI.run(arguments)
    #expect(r.status == 2, "\(arguments): \(r.stderr)")
    #expect(!r.stderr.isEmpty)
  }

  /// The CSV defects a new user met: each is exit 2 with file, line and
  /// reason, or has a documented meaning.
  @Test(arguments: [
    ("huge.csv", "1,2,0\n3,4,100000000\n5,6,1\n", ":2: label 100000000 with no header"),
    ("one.csv", "1,2,0\n3,4,0\n5,6,0\n1,1,0\n", "every row has label 0"),
    ("tiny.csv", "1,2,0\n3,4,1\n", "the split leaves the test set empty"),
  ])
  func csvDefectsExitTwo(name: String, text: String, message: String) throws {
    let path = try CLI.temporaryFile(name, text)
    for command in ["train", "quantize"] {
      var args = [command, "--dataset", path]
      if command == "quantize" { args += ["--bits", "2", "--hidden", "2", "--sweeps", "10"] }
      let r = try CLI.run(args)
      #expect(r.status == 2, "\(command) \(name): \(r.stderr)")
      #expect(r.stderr.contains(message), "\(command) \(name): \(r.stderr)")
      #expect(r.stderr.contains(path) || message.contains("split"), "\(r.stderr)")
    }
  }

  @Test func numericAndPandasHeadersAreRead() throws {
    var rows = ""
    for i in 0..<12 { rows += "\(Double(i) / 3),\(Double(i % 4) - 1),\(i % 2)\n" }
    let numeric = try CLI.temporaryFile("numeric.csv", "12,2,0,1\n" + rows)
    let pandas = try CLI.temporaryFile("pandas.csv", "f0,f1,label\n" + rows)
    for path in [numeric, pandas] {
      let r = try CLI.run(["train", "--dataset", path, "--hidden", "3", "--json"])
      #expect(r.status == 0, "\(path): \(r.stderr)")
      let o = try jsonObject(r.stdout)
      #expect(o["sizes"] as? [Int] == [2, 3, 2], "\(path)")
    }
  }

  @Test func iterationsCapsFineTuning() throws {
    let r = try CLI.run([
      "quantize", "--dataset", "iris", "--bits", "2", "--hidden", "4", "--seed", "1",
      "--sampler", "greedy", "--iterations", "3", "-v",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let notes = r.stderr.split(separator: "\n").filter { $0.contains("+finetune: loss") }
    #expect(notes.count == 4, "\(r.stderr)")
    #expect(notes.allSatisfy { $0.contains(" 3 iterations") || $0.contains(" 2 iterations") || $0.contains(" 1 iterations") }, "\(notes)")
  }

  @Test func stageTimesArePerSeedSumsNotAboveTheirTotal() throws {
    let r = try CLI.run([
      "quantize", "--dataset", "iris", "--bits", "2", "--hidden", "4", "--seeds", "1-4",
      "--sampler", "greedy", "--jobs", "2", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    let timing = try #require(o["timing"] as? [String: Any])
    #expect(timing["jobs"] as? Int == 2)
    let total = try #require(timing["seeds_total"] as? Double)
    let solving = try #require(timing["solving"] as? [String: Double])
    let stages = try ["training", "qubo_construction", "finetune"].map {
      try #require(timing[$0] as? Double)
    }
    #expect(stages.reduce(0, +) + solving.values.reduce(0, +) <= total + 0.01)
    #expect(try #require(o["cpu_seconds"] as? Double) > 0)
    #expect(try #require(o["seconds"] as? Double) > 0)
  }

  @Test func selectFeaturesHelpListsOnlyTheSamplersItAccepts() throws {
    let r = try CLI.run(["select-features", "--help"])
    #expect(r.status == 0)
    let words = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(words.contains("(values: sqa, sa, tabu; default: sa)"), "\(r.stdout)")
  }

  @Test func quantizeHelpDocumentsTheCSVLayouts() throws {
    let r = try CLI.run(["quantize", "--help"])
    #expect(r.stdout.contains("samples,features,class names"))
    #expect(r.stdout.contains("f0,…,label") || r.stdout.contains("f0,f1,…,label"))
  }
}
