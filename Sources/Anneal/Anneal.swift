// The umbrella module: re-exports the public modules that need no GSL, so a
// user who never fits anything does not link libgsl. `GSLSupport` is
// imported directly where it is used.
@_exported import Annealing
@_exported import QUBOEncoding
@_exported import QUBOModel
@_exported import Plots
@_exported import Sweeps
@_exported import Tuning
