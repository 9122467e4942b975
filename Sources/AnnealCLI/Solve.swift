import Anneal
import ArgumentParser
import Foundation

/// `anneal solve FILE`: read a model, sample it, report the best states.
struct Solve: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Sample low-energy states of a QUBO / Ising model file.",
    discussion: """
      Examples:
        anneal solve problems/G11.gset --sampler sa --reads 20
        anneal solve problems/G1.gset --sampler sa --json
        anneal solve problems/G1.gset --sampler tabu --time-limit 5 --trace t.jsonl
        anneal solve model.json --sampler exact --reads 5 --output samples.json

      With --json, stdout is one JSON object: sampler, num_variables, \
      num_interactions, best_energy, energies (one per read), best_sample (in \
      variable order), spin_updates, timing {parse_seconds, sample_seconds, \
      total_seconds}, and for Gset and OR-Library inputs objective {name, best}.
      Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.
      """)

  @Argument(help: "The model file.")
  var file: String

  @Option(help: "The file's format; auto picks by content and extension.")
  var format: ModelFormat = .auto

  @OptionGroup var options: SamplerOptions

  @Flag(help: "Print one JSON object on stdout instead of a table.")
  var json = false

  @Option(help: "Also write the samples as dimod SampleSet JSON to this file.")
  var output: String?

  @Option(
    help: ArgumentHelp(
      "Write a best-so-far trace to this file as reads finish (JSON lines).",
      discussion: """
        Each line: seconds (since sampling started), read, energy, stored, best_energy, \
        and for Gset and OR-Library inputs objective and best_objective. stored is false \
        for a best-so-far report from inside a long tabu or pt read.
        """,
      valueName: "file"))
  var trace: String?

  @Flag(
    name: .shortAndLong,
    help: "Say which format was detected and why, and other details, on stderr.")
  var verbose = false

  func run() throws {
    let t0 = Date()
    let loaded: LoadedModel
    do {
      loaded = try ModelFile.read(path: file, format: format)
    } catch let error as ModelFileError {
      throw CLIError.badInput(error.description)
    }
    let problem = IsingProblem(loaded.model)
    let parseSeconds = Date().timeIntervalSince(t0)
    if verbose {
      note("format \(loaded.format.rawValue): \(loaded.formatReason)")
      for line in loaded.notes { note(line) }
      note("\(loaded.model.numVariables) variables, \(problem.numInteractions) interactions")
    }
    for flag in options.ignoredFlags {
      note("warning: \(flag) has no effect with --sampler \(options.sampler.rawValue)")
    }
    let progress = ProgressDisplay(label: options.sampler.rawValue)
    var configuration = try options.configuration()
    let budgetCap = options.applyBudget(to: &configuration, numSpins: problem.numSpins)
    configuration.readOptions.control.progress = progress.counter
    let tracer = try trace.map { try TraceWriter(path: $0, objective: loaded.objective) }
    configuration.readOptions.control.observer = tracer?.observer
    let sampler = configuration.sampler
    let seed = options.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
    var rng = SplitMix64(seed: seed)
    let t1 = Date()
    progress.begin()
    var samples: SampleSet
    do {
      samples = try sampler.sample(problem, of: loaded.model, using: &rng)
    } catch let error as SamplerError {
      progress.end()
      throw CLIError.badInput(error.description)
    }
    progress.end()
    try tracer?.finish()
    let sampleSeconds = Date().timeIntervalSince(t1)
    if let budgetCap {
      // The user asked for no read count: the reads filled the time given,
      // up to a cap that is the budget's, not a request.
      samples.info["num_reads_requested"] = .null
      samples.info["num_reads_cap"] = .int(budgetCap)
    }
    if case .array(let warnings)? = samples.info["warnings"] {
      for case .string(let w) in warnings { note("warning: \(w)") }
    }
    guard samples.count > 0 else {
      throw CLIError.failure("the sampler returned no samples (time limit too short?)")
    }

    if let output {
      do {
        try samples.dimodJSON().write(toFile: output, atomically: true, encoding: .utf8)
      } catch {
        throw CLIError.failure("cannot write \(output): \(error.localizedDescription)")
      }
    }
    let report = SolveReport(
      file: file, loaded: loaded, problem: problem, samples: samples,
      configuration: configuration, seed: seed,
      parseSeconds: parseSeconds, sampleSeconds: sampleSeconds,
      totalSeconds: Date().timeIntervalSince(t0))
    if json {
      print(report.json.serialized())
    } else {
      print(report.table)
    }
  }

  private func note(_ text: String) {
    FileHandle.standardError.write(Data("anneal: \(text)\n".utf8))
  }
}

extension ModelFormat: ExpressibleByArgument {}
