// The `sweepspec` target: the bytes as a sweep spec file, YAML or JSON
// (`SpecText.parse`, then `SweepSpec(json:)` with every sampler configuration
// checked). The spec must be read or refused with a `SweepSpecError` that
// names a reason; a spec that is read must have cells to lay out (samplers
// with grid points, seeds, instance sources) and must read the same again
// from its own JSON. Instances are not loaded: that would read files and
// generate graphs, which the planted and file tests cover.

import Anneal

func readSweepSpec(_ bytes: [UInt8]) {
  let text = String(decoding: bytes, as: UTF8.self)
  let spec: SweepSpec
  let document: JSONValue
  do {
    document = try SpecText.parse(text)
    spec = try SweepSpec(json: document)
  } catch let error as SweepSpecError {
    check(!error.reason.isEmpty, "an error without a reason: \(error)")
    return
  } catch {
    fatalError("the sweep spec reader threw a \(type(of: error)): \(error)")
  }
  check(!spec.samplers.isEmpty && !spec.seeds.isEmpty, "a spec with nothing to run")
  check(!spec.instances.isEmpty, "a spec without instances")
  for grid in spec.samplers {
    check(!grid.points.isEmpty, "sampler \(grid.label) without grid points")
    check(grid.points.count == grid.configurations.count, "points and configurations differ")
  }
  let again: SweepSpec
  do {
    again = try SweepSpec(json: try SpecText.parse(document.serialized()))
  } catch {
    fatalError("an accepted spec does not read back from its JSON: \(error)")
  }
  check(
    again.samplers.map(\.points) == spec.samplers.map(\.points) && again.seeds == spec.seeds,
    "the spec changed when read back from its JSON")
}
