// `swift run Examples [manifest.json | --timing]`: builds every problem of the
// manifest with the DSL, solves it (ExactSolver up to 20 variables, else
// simulated annealing with a fixed seed under the automatic penalty loop),
// and prints the decoded value beside the known optimum and an independent
// oracle's. Exit code 1 when any instance misses its optimum.

import Annealing
import Dispatch
import Foundation
import QUBOEncoding
import QUBOModel

@main
enum ExamplesMain {
  static func main() {
    let path = CommandLine.arguments.dropFirst().first
    do {
      if path == "--timing" {
        try CompileTiming.run()
        return
      }
      let manifest = try Manifest.load(path: path)
      var failures = 0
      print("instance              vars  optimum  oracle  found  rounds   strength  seconds")
      for instance in manifest.instances {
        guard let example = Examples.make(instance) else {
          print("\(instance.name): unknown kind or missing data")
          failures += 1
          continue
        }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let (compiled, report) = try solve(example, exact: instance.solver == "exact")
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let found = report.solution.flatMap(example.score)
        if found != instance.optimum { failures += 1 }
        let strengths = report.penalties.values.max().map { String(format: "%.3g", $0) } ?? "-"
        let columns: [(String, Int)] = [
          (instance.name, -20), (String(compiled.numVariables), 5), (String(instance.optimum), 8),
          (String(example.oracle()), 7), (found.map(String.init) ?? "none", 6),
          (String(report.rounds.count), 7), (strengths, 10), (String(format: "%.3f", seconds), 8),
        ]
        print(columns.map { pad($0.0, $0.1) }.joined(separator: " "))
      }
      exit(failures == 0 ? 0 : 1)
    } catch {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      exit(2)
    }
  }

  /// `text` padded to `width` characters (left-aligned when negative).
  static func pad(_ text: String, _ width: Int) -> String {
    let fill = String(repeating: " ", count: max(0, abs(width) - text.count))
    return width < 0 ? text + fill : fill + text
  }

  /// Solves `example` exactly or by annealing, under the penalty loop.
  static func solve(_ example: Example, exact: Bool) throws -> (CompiledModel, SolveReport) {
    let compiled = try example.model.compile()
    var p = SimulatedAnnealing.Parameters()
    p.reads = 100
    p.sweeps = 10_000
    let report = try compiled.solve { bqm in
      if exact { return try ExactSolver().sample(bqm, seed: 1) }
      return try SimulatedAnnealing(p).sample(bqm, seed: 2026)
    }
    return (compiled, report)
  }
}
