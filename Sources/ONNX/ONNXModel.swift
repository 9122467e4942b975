import Foundation
import Learning
import SwiftProtobuf

/// An ONNX model of the dense family, read from a file: the protobuf model
/// itself (kept, to be written back with quantized weights) and the dense
/// network it computes.
///
/// The network is found by walking the graph from its one data input along
/// a single chain of values (see `DenseGraph`): `Gemm` or `MatMul` (+ `Add`)
/// over weight initializers, the activations `Relu`, `Tanh`, `Sigmoid`,
/// `LeakyRelu`, a final `Softmax`, and the shape-only `Flatten`, `Identity`,
/// `Cast` (to float) and `Reshape` of a constant shape. Nodes that read the
/// chain but touch no weight — `Cast`, `ArgMax`, `ArrayFeatureExtractor`,
/// `ZipMap`, `Identity`, `Reshape`, `Flatten`, `Constant`, as
/// skl2onnx's `MLPClassifier` export has them — are kept as they are. Any
/// other operator is an `ONNXError` naming it and its node.
public struct ONNXModel: Sendable {
  /// The largest file read (protobuf's own limit is 2 GiB).
  public static let maximumFileSize = 1 << 30

  /// The file name used in errors.
  public let file: String
  var proto: Onnx_ModelProto
  /// The dense layers found in the graph, in order.
  public let graph: DenseGraph
  /// The float network the graph computes (up to its last `Softmax`).
  public let network: MLP

  /// Reads the model at `path`.
  ///
  /// - Throws: `ONNXError` for an unreadable, malformed or unsupported file.
  public init(contentsOf path: String) throws {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let size = attributes[.size] as? Int
    else { throw ONNXError(file: path, reason: "cannot read the file") }
    guard size <= Self.maximumFileSize else {
      throw ONNXError(file: path, reason: "the file is larger than 1 GiB")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ONNXError(file: path, reason: "cannot read the file")
    }
    try self.init(serialized: data, file: path)
  }

  /// Parses a serialized `ModelProto`; `file` names it in errors.
  ///
  /// - Throws: `ONNXError` for malformed protobuf or an unsupported graph.
  public init(serialized data: Data, file: String) throws {
    guard data.count <= Self.maximumFileSize else {
      throw ONNXError(file: file, reason: "the model is larger than 1 GiB")
    }
    var options = BinaryDecodingOptions()
    options.messageDepthLimit = 64
    do {
      proto = try Onnx_ModelProto(serializedBytes: data, options: options)
    } catch {
      throw ONNXError(file: file, reason: "not an ONNX model (protobuf: \(error))")
    }
    self.file = file
    graph = try DenseGraph(proto, file: file)
    network = try graph.network(proto, file: file)
  }

  /// The name of the graph's data input.
  public var inputName: String { graph.inputName }

  /// The names of the graph's outputs, in order.
  public var outputNames: [String] { proto.graph.output.map(\.name) }

  /// The opset version of the default domain.
  public var opsetVersion: Int64 { graph.opset }
}

extension ONNXModel {
  /// The layers whose file has no bias input: their biases stay 0 when a
  /// quantized copy is fine-tuned (`QuantizedNetwork.fineTune(…frozenBiases:)`).
  public var layersWithoutBias: Set<Int> {
    Set(graph.layers.indices.filter { graph.layers[$0].biasName == nil })
  }
}
