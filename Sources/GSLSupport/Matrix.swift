/// A dense real matrix stored row-major in a `[Double]`.
public struct Matrix: Sendable, Equatable {
  /// The number of rows.
  public let rows: Int
  /// The number of columns.
  public let columns: Int
  /// The entries, row-major: entry (i, j) is `storage[i * columns + j]`.
  public var storage: [Double]

  /// A `rows × columns` matrix filled with `value`.
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
    self.rows = rows
    self.columns = columns
    storage = Array(repeating: value, count: rows * columns)
  }

  /// A matrix from row-major entries; `nil` when the count does not match.
  public init?(rows: Int, columns: Int, storage: [Double]) {
    guard rows >= 0, columns >= 0, storage.count == rows * columns else { return nil }
    self.rows = rows
    self.columns = columns
    self.storage = storage
  }

  /// A matrix from an array of equally long rows; `nil` when ragged.
  public init?(_ rowArrays: [[Double]]) {
    let c = rowArrays.first?.count ?? 0
    guard rowArrays.allSatisfy({ $0.count == c }) else { return nil }
    self.init(rows: rowArrays.count, columns: c, storage: rowArrays.flatMap { $0 })
  }

  /// The `n × n` identity.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m[i, i] = 1 }
    return m
  }

  /// Entry (i, j).
  @inlinable
  public subscript(i: Int, j: Int) -> Double {
    get { storage[i * columns + j] }
    set { storage[i * columns + j] = newValue }
  }

  /// Column `j` as an array.
  public func column(_ j: Int) -> [Double] { (0..<rows).map { self[$0, j] } }

  /// The product `A x`.
  public func multiplied(by x: [Double]) -> [Double] {
    precondition(x.count == columns, "vector length must equal the column count")
    var y = [Double](repeating: 0, count: rows)
    for i in 0..<rows {
      var s = 0.0
      for j in 0..<columns { s += storage[i * columns + j] * x[j] }
      y[i] = s
    }
    return y
  }

  /// Whether the matrix equals its transpose within `tolerance`.
  public func isSymmetric(tolerance: Double = 0) -> Bool {
    guard rows == columns else { return false }
    for i in 0..<rows {
      for j in (i + 1)..<max(i + 1, columns) where abs(self[i, j] - self[j, i]) > tolerance {
        return false
      }
    }
    return true
  }
}
