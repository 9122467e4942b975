import Anneal
import ArgumentParser

@main
struct AnnealCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "anneal",
    abstract: "QUBO / Ising optimization by simulated (quantum) annealing.")
}
