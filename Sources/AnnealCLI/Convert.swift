import Anneal
import ArgumentParser
import Foundation

/// `anneal convert IN OUT`: translate a model between file formats.
struct Convert: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Convert a model between file formats (json, coo, qubo).",
    discussion: """
      Example: anneal convert problems/G1.gset g1.json --to json
      Gset and OR-Library files are read as the minimisation models anneal \
      solves; their objective convention is not carried into the output.
      """)

  @Argument(help: "The model file to read.")
  var input: String

  @Argument(help: "The file to write ('-' for stdout).")
  var output: String

  @Option(help: "The input's format.")
  var format: ModelFormat = .auto

  @Option(help: "The output format: json, coo or qubo (default: from the extension).")
  var to: ModelFormat?

  @Option(help: "Convert the model to this vartype first (BINARY or SPIN).")
  var vartype: String?

  func run() throws {
    let loaded: LoadedModel
    do {
      loaded = try ModelFile.read(path: input, format: format)
    } catch let error as ModelFileError {
      throw CLIError.badInput(error.description)
    }
    var model = loaded.model
    if let vartype {
      guard let v = Vartype(parsing: vartype) else {
        throw CLIError.badInput("--vartype must be BINARY or SPIN (got \(vartype))")
      }
      model = model.changingVartype(to: v)
    }
    let target = to ?? ModelFormat.fromName(output)?.format ?? .json
    let text: String
    do {
      text = try ModelFile.serialize(model, format: target, path: output)
    } catch let error as ModelFileError {
      throw CLIError.badInput(error.description)
    }
    if output == "-" {
      print(text, terminator: "")
    } else {
      do {
        try text.write(toFile: output, atomically: true, encoding: .utf8)
      } catch {
        throw CLIError.failure("cannot write \(output): \(error.localizedDescription)")
      }
    }
  }
}
