// The `tunespec` target: bytes → `SpecDocument` (YAML or JSON, what
// `anneal tune` reads) → `TuningSpec`.
//
// Refusals must be `SpecDocument.ReadError` (text that is not YAML/JSON,
// or a repeated key) or `TuningError` (a spec that is not valid). A spec that is accepted must
// build its sampler, and every parameter's distribution must survive its
// JSON form; a configuration at the edges of the space must map to
// parameters and back, and render into the command.

import Anneal
import QUBOModel

func readTuneSpec(_ bytes: [UInt8]) {
  guard let text = String(bytes: bytes, encoding: .utf8) else { return }
  let document: SpecDocument
  do {
    document = try SpecDocument(text: text)
  } catch let error as SpecDocument.ReadError {
    check(!error.reason.isEmpty, "an empty ReadError")
    return
  } catch {
    fatalError("the spec reader threw a \(type(of: error)): \(error)")
  }
  let spec: TuningSpec
  do {
    spec = try TuningSpec(json: document.value, parameterOrder: document.order["parameters"] ?? [])
  } catch let error as TuningError {
    check(!error.description.isEmpty, "an empty TuningError")
    return
  } catch {
    fatalError("TuningSpec threw a \(type(of: error)), not a TuningError: \(error)")
  }
  do {
    _ = try spec.makeSampler()
  } catch {
    fatalError("an accepted spec does not build its sampler: \(error)")
  }
  let space = spec.space
  for (name, d) in zip(space.names, space.ordered) {
    do {
      let again = try Distribution(json: d.json, key: name)
      check(again == d, "\(name): \(d) became \(again) through JSON")
    } catch {
      fatalError("\(name): the JSON form of \(d) is refused: \(error)")
    }
  }
  for pick in [{ (_: Int) in 0 }, { (radix: Int) in radix - 1 }, { (radix: Int) in radix / 2 }] {
    let configuration = space.radices.map(pick)
    let parameters = space.parameters(of: configuration)
    check(
      space.indices(of: parameters) == configuration,
      "configuration \(configuration) does not round-trip through \(parameters)")
    let objective = ProgramObjective(
      command: spec.command, metric: spec.metric, timeout: spec.timeout, space: space)
    _ = objective.render(parameters, trial: 0)
  }
}
