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
}
