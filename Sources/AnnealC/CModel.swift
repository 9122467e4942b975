import Annealing
import QUBOModel

/// What an `anneal_model *` points to: a model and its frozen spin form,
/// made once and never changed, so any number of threads may sample it.
final class ModelBox: Sendable {
  let model: BinaryQuadraticModel
  let problem: IsingProblem

  init(_ model: BinaryQuadraticModel) {
    self.model = model
    problem = IsingProblem(model)
  }
}

/// Kernels index spins with `Int32`.
let maxVariables = Int(Int32.max) - 1

/// `anneal_model_create`: a model from a linear array and COO triplets.
///
/// The input arrays are read once into the model (dimod's
/// `to_numpy_vectors()` form); every index is checked and every bias must
/// be finite, so nothing past this point can trap on the caller's data.
@_cdecl("anneal_model_create")
public func anneal_model_create(
  _ numVariables: Int64, _ linear: UnsafePointer<Double>?, _ numInteractions: Int64,
  _ rows: UnsafePointer<Int64>?, _ cols: UnsafePointer<Int64>?,
  _ quadratic: UnsafePointer<Double>?, _ offset: Double, _ vartype: Int32,
  _ out: UnsafeMutablePointer<OpaquePointer?>?,
  _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  reportingErrors(error) {
    guard let out else { throw CError.invalid("the model out-pointer is NULL") }
    out.pointee = nil
    let type: Vartype
    switch vartype {
    case 0: type = .spin
    case 1: type = .binary
    default: throw CError.invalid("vartype must be 0 (SPIN) or 1 (BINARY), got \(vartype)")
    }
    guard numVariables >= 0, numVariables <= maxVariables else {
      throw CError.invalid("num_variables must be in 0...\(maxVariables), got \(numVariables)")
    }
    guard numInteractions >= 0 else {
      throw CError.invalid("num_interactions must be non-negative, got \(numInteractions)")
    }
    let n = Int(numVariables)
    let m = Int(numInteractions)
    guard n == 0 || linear != nil else { throw CError.invalid("linear is NULL") }
    guard m == 0 || (rows != nil && cols != nil && quadratic != nil) else {
      throw CError.invalid("rows, cols or quadratic is NULL")
    }
    guard offset.isFinite else { throw CError.invalid("the offset is \(offset), not finite") }
    var model = BinaryQuadraticModel(vartype: type, count: n)
    model.offset = offset
    if let linear {
      for i in 0..<n {
        let a = linear[i]
        guard a.isFinite else {
          throw CError.invalid("the linear bias of variable \(i) is \(a), not finite")
        }
        model.addLinear(index: i, a)
      }
    }
    if let rows, let cols, let quadratic {
      for k in 0..<m {
        let (i, j, b) = (rows[k], cols[k], quadratic[k])
        guard i >= 0, i < numVariables, j >= 0, j < numVariables else {
          throw CError.invalid(
            "interaction \(k) joins \(i) and \(j), outside the variables 0..<\(n)")
        }
        guard b.isFinite else {
          throw CError.invalid("the bias of interaction \(k) (\(i), \(j)) is \(b), not finite")
        }
        model.addQuadratic(index: Int(i), Int(j), b)
      }
    }
    guard model.offset.isFinite, model.linear.allSatisfy(\.isFinite),
      model.quadratic.values.allSatisfy(\.isFinite)
    else { throw CError.invalid("repeated entries sum past a Double's range") }
    out.pointee = OpaquePointer(Unmanaged.passRetained(ModelBox(model)).toOpaque())
  }
}

/// `anneal_model_free`: releases a model (NULL is fine).
@_cdecl("anneal_model_free")
public func anneal_model_free(_ model: OpaquePointer?) {
  guard let model else { return }
  Unmanaged<ModelBox>.fromOpaque(UnsafeRawPointer(model)).release()
}

/// The box behind a model pointer, without taking ownership.
func modelBox(_ model: OpaquePointer?) throws -> ModelBox {
  guard let model else { throw CError.invalid("the model is NULL") }
  return Unmanaged<ModelBox>.fromOpaque(UnsafeRawPointer(model)).takeUnretainedValue()
}

/// `anneal_model_num_variables` (0 for NULL).
@_cdecl("anneal_model_num_variables")
public func anneal_model_num_variables(_ model: OpaquePointer?) -> Int64 {
  (try? modelBox(model)).map { Int64($0.model.numVariables) } ?? 0
}

/// `anneal_model_num_interactions`: distinct pairs (0 for NULL).
@_cdecl("anneal_model_num_interactions")
public func anneal_model_num_interactions(_ model: OpaquePointer?) -> Int64 {
  (try? modelBox(model)).map { Int64($0.model.numInteractions) } ?? 0
}
