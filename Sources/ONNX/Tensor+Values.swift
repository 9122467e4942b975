import Foundation

// Reading tensor values out of initializers, for the two element types a
// dense network needs: float32 weights and biases, int64 shapes. The element
// count is the product of the dimensions, checked for overflow and against
// the data actually present before anything is allocated, so a hostile file
// cannot make the reader allocate more than its own size.

/// ONNX element types used here (`TensorProto.DataType`).
enum ElementType {
  static let float: Int32 = 1
  static let int8: Int32 = 3
  static let int64: Int32 = 7
  static let double: Int32 = 11
}

extension Onnx_TensorProto {
  /// The number of elements its dimensions declare, or nil when a dimension
  /// is negative or the product overflows.
  var declaredCount: Int? {
    var count = 1
    for d in dims {
      guard d >= 0, d <= Int64(Int.max) else { return nil }
      let (p, overflow) = count.multipliedReportingOverflow(by: Int(d))
      guard !overflow else { return nil }
      count = p
    }
    return count
  }

  /// The float32 values, from `raw_data` (little-endian) or `float_data`.
  func floatValues() throws(TensorProblem) -> [Float] {
    guard dataLocation == 0 else { throw .message("its data is in an external file") }
    guard dataType == ElementType.float else {
      throw .message("element type \(dataType) is not float32 (1)")
    }
    guard let count = declaredCount else { throw .message("its dimensions \(dims) are invalid") }
    if hasRawData {
      guard rawData.count / 4 == count, rawData.count % 4 == 0 else {
        throw .message("raw_data holds \(rawData.count) bytes for \(count) float32 values")
      }
      return rawData.withUnsafeBytes { raw in
        (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
      }
    }
    guard floatData.count == count else {
      throw .message("float_data holds \(floatData.count) values for \(count)")
    }
    return floatData
  }

  /// The int64 values, from `raw_data` (little-endian) or `int64_data`.
  func int64Values() throws(TensorProblem) -> [Int64] {
    guard dataLocation == 0 else { throw .message("its data is in an external file") }
    guard dataType == ElementType.int64 else {
      throw .message("element type \(dataType) is not int64 (7)")
    }
    guard let count = declaredCount else { throw .message("its dimensions \(dims) are invalid") }
    if hasRawData {
      guard rawData.count / 8 == count, rawData.count % 8 == 0 else {
        throw .message("raw_data holds \(rawData.count) bytes for \(count) int64 values")
      }
      return rawData.withUnsafeBytes { raw in
        (0..<count).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self)) }
      }
    }
    guard int64Data.count == count else {
      throw .message("int64_data holds \(int64Data.count) values for \(count)")
    }
    return int64Data
  }

  /// A float32 tensor with the given dimensions and values in `raw_data`.
  static func float32(name: String, dims: [Int64], values: [Float]) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dims = dims
    t.dataType = ElementType.float
    var bytes = Data(capacity: 4 * values.count)
    for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    t.rawData = bytes
    return t
  }

  /// An int8 tensor with the given dimensions and values in `raw_data`.
  static func int8(name: String, dims: [Int64], values: [Int8]) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dims = dims
    t.dataType = ElementType.int8
    t.rawData = Data(values.map { UInt8(bitPattern: $0) })
    return t
  }
}

/// Why a tensor's values cannot be read.
enum TensorProblem: Error {
  case message(String)

  var text: String {
    switch self {
    case .message(let m): return m
    }
  }
}
