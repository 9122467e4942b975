import CGSL

// Owning wrappers of GSL objects. Each class frees its handle in deinit and
// never hands the pointer out of this module. Allocation failures (GSL
// returns NULL, with the error handler off) become thrown `GSLError`s.

/// An owned `gsl_vector`.
final class GSLVector {
  let pointer: UnsafeMutablePointer<gsl_vector>

  init(count: Int) throws {
    prepareGSL()
    guard count > 0, let p = gsl_vector_calloc(count) else {
      throw GSLError(code: GSL_EINVAL, context: "allocating a vector of length \(count)")
    }
    pointer = p
  }

  convenience init(_ values: [Double]) throws {
    try self.init(count: values.count)
    copy(from: values)
  }

  deinit { gsl_vector_free(pointer) }

  var count: Int { pointer.pointee.size }

  func copy(from values: [Double]) {
    GSLVector.write(values, to: pointer)
  }

  var array: [Double] { GSLVector.read(pointer) }

  /// Reads any GSL vector (strided) into an array.
  static func read(_ v: UnsafePointer<gsl_vector>) -> [Double] {
    let n = v.pointee.size
    let stride = v.pointee.stride
    guard let data = v.pointee.data else { return [] }
    return (0..<n).map { data[$0 * stride] }
  }

  /// Reads a GSL vector into `out` (resized to fit) without allocating when
  /// the size already matches.
  static func read(_ v: UnsafePointer<gsl_vector>, into out: inout [Double]) {
    let n = v.pointee.size
    let stride = v.pointee.stride
    if out.count != n { out = [Double](repeating: 0, count: n) }
    guard let data = v.pointee.data else { return }
    for i in 0..<n { out[i] = data[i * stride] }
  }

  /// Writes `values` into a GSL vector of the same size.
  static func write(_ values: [Double], to v: UnsafeMutablePointer<gsl_vector>) {
    let stride = v.pointee.stride
    guard let data = v.pointee.data else { return }
    for i in 0..<min(values.count, v.pointee.size) { data[i * stride] = values[i] }
  }
}

/// An owned `gsl_matrix`.
final class GSLMatrix {
  let pointer: UnsafeMutablePointer<gsl_matrix>

  init(rows: Int, columns: Int) throws {
    prepareGSL()
    guard rows > 0, columns > 0, let p = gsl_matrix_calloc(rows, columns) else {
      throw GSLError(
        code: GSL_EINVAL, context: "allocating a \(rows)×\(columns) matrix")
    }
    pointer = p
  }

  convenience init(_ m: Matrix) throws {
    try self.init(rows: m.rows, columns: m.columns)
    let tda = pointer.pointee.tda
    guard let data = pointer.pointee.data else { return }
    for i in 0..<m.rows {
      for j in 0..<m.columns { data[i * tda + j] = m.storage[i * m.columns + j] }
    }
  }

  deinit { gsl_matrix_free(pointer) }

  var matrix: Matrix {
    let r = pointer.pointee.size1
    let c = pointer.pointee.size2
    let tda = pointer.pointee.tda
    var m = Matrix(rows: r, columns: c)
    guard let data = pointer.pointee.data else { return m }
    for i in 0..<r {
      for j in 0..<c { m.storage[i * c + j] = data[i * tda + j] }
    }
    return m
  }
}

/// An owned `gsl_eigen_symmv_workspace`.
final class SymmetricEigenWorkspace {
  let pointer: UnsafeMutablePointer<gsl_eigen_symmv_workspace>

  init(size: Int) throws {
    prepareGSL()
    guard size > 0, let p = gsl_eigen_symmv_alloc(size) else {
      throw GSLError(code: GSL_EINVAL, context: "allocating an eigen workspace of size \(size)")
    }
    pointer = p
  }

  deinit { gsl_eigen_symmv_free(pointer) }
}
