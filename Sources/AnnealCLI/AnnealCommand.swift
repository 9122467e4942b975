import Anneal
import ArgumentParser
import Foundation

/// The `anneal` command: one root, subcommands as nested types.
@main
struct AnnealCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "anneal",
    abstract: "QUBO / Ising optimization by simulated (quantum) annealing.",
    discussion: """
      Anneal reads QUBO and Ising models (dimod JSON, COO and binary files, \
      qbsolv, Gset, OR-Library bqp) and samples low-energy states with \
      simulated annealing, path-integral simulated quantum annealing, \
      parallel tempering, tabu search, steepest descent or exhaustive \
      enumeration. It also quantizes networks (ONNX in and out), trains SVMs \
      as QUBOs, tunes hyperparameters and runs time-to-solution sweeps. It \
      is a classical simulation throughout.
      """,
    version: "0.1.0",
    subcommands: [
      Solve.self, Convert.self, Tune.self, Sweep.self, Train.self, Quantize.self,
      SelectFeatures.self, SVM.self, RoundingGap.self, ServeCommand.self,
    ])

  /// Runs the command line with the project's exit codes: 0 success,
  /// 1 runtime failure, 2 bad usage or bad input (message on stderr).
  static func main() {
    main(Array(CommandLine.arguments.dropFirst()))
  }

  static func main(_ arguments: [String]) {
    let code = run(arguments)
    Foundation.exit(code)
  }

  /// Parses and runs `arguments`; returns the process exit code.
  static func run(_ arguments: [String]) -> Int32 {
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
      return 0
    } catch let error as CLIError {
      FileHandle.standardError.write(Data("anneal: \(error.message)\n".utf8))
      return error.exitCode
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        return 0
      }
      let text = fullMessage(for: error)
      FileHandle.standardError.write(Data((text.isEmpty ? "" : text + "\n").utf8))
      // Usage errors (argument parser's 64) and bad input map to 2.
      return code == .validationFailure ? 2 : code.rawValue == 2 ? 2 : 1
    }
  }
}

/// An error the CLI reports with its own exit code.
struct CLIError: Error {
  var message: String
  var exitCode: Int32

  /// Bad usage or bad input: exit code 2.
  static func badInput(_ message: String) -> CLIError {
    CLIError(message: message, exitCode: 2)
  }

  /// A failure while running: exit code 1.
  static func failure(_ message: String) -> CLIError {
    CLIError(message: message, exitCode: 1)
  }
}
