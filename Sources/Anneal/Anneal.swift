@_exported import Annealing
@_exported import GSLSupport
@_exported import QUBOEncoding
@_exported import QUBOModel
