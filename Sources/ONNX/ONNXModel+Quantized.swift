import Foundation
import Learning

/// How quantized weights are stored in the written model.
public enum QuantizedForm: String, Sendable, CaseIterable {
  /// Float initializers holding `scale × code`: every runtime runs them.
  case floats
  /// ONNX's QDQ form: `DequantizeLinear` over int8 codes with one scale per
  /// output channel (zero points 0), so quantization-aware runtimes see the
  /// low-bit weights.
  case qdq
}

extension ONNXModel {
  /// `q` as the file will store it: each layer's scales become the float32
  /// per-channel scales written (`scale / alpha`, rounded to float32, times
  /// `alpha`) and its biases the float32 biases written. Run and report
  /// this network, not `q`, so that what is reported is what a runtime
  /// computes from the file.
  public func storable(_ q: QuantizedNetwork) -> QuantizedNetwork {
    var out = q
    for (l, layer) in graph.layers.enumerated() where l < q.scales.count {
      out.scales[l] = q.scales[l].map { layer.alpha * Double(Float($0 / layer.alpha)) }
      if layer.biasName != nil {
        out.biases[l] = q.biases[l].map { layer.beta * Double(Float($0 / layer.beta)) }
      }
    }
    return out
  }

  /// The model with every dense layer's weights replaced by `q`'s codes and
  /// scales, and its biases by `q`'s; the graph, names, inputs and outputs
  /// are otherwise the file's own.
  ///
  /// - Throws: `ONNXError` when `q` does not have this model's shape, or
  ///   (for `.qdq`) a code does not fit in int8.
  public func serialized(_ q: QuantizedNetwork, form: QuantizedForm) throws -> Data {
    guard q.sizes == network.sizes else {
      throw ONNXError(
        file: file, reason: "the quantized network's sizes \(q.sizes) differ from \(network.sizes)")
    }
    var model = proto
    var g = model.graph
    var index = [String: Int]()
    for (k, t) in g.initializer.enumerated() { index[t.name] = k }
    var used = Set(g.initializer.map(\.name))
    for n in g.node {
      used.formUnion(n.input)
      used.formUnion(n.output)
      used.insert(n.name)
    }
    used.formUnion(g.input.map(\.name))
    used.formUnion(g.output.map(\.name))
    func fresh(_ base: String) -> String {
      var name = base
      var k = 1
      while used.contains(name) {
        name = "\(base)_\(k)"
        k += 1
      }
      used.insert(name)
      return name
    }
    var dequantize = [Onnx_NodeProto]()
    var removed = Set<String>()
    var added = [Onnx_TensorProto]()
    for (l, layer) in graph.layers.enumerated() {
      let (fanIn, fanOut) = (layer.fanIn, layer.fanOut)
      let codes = q.codes[l]
      let scales = q.scales[l].map { Float($0 / layer.alpha) }
      func stored(_ j: Int, _ i: Int) -> Int { layer.outByIn ? j * fanIn + i : i * fanOut + j }
      guard let k = index[layer.weightName] else {
        throw ONNXError(file: file, reason: "initializer '\(layer.weightName)' is missing")
      }
      let dims = g.initializer[k].dims
      switch form {
      case .floats:
        var values = [Float](repeating: 0, count: fanIn * fanOut)
        for j in 0..<fanOut {
          for i in 0..<fanIn { values[stored(j, i)] = scales[j] * Float(codes[j * fanIn + i]) }
        }
        var t = Onnx_TensorProto.float32(name: layer.weightName, dims: dims, values: values)
        t.docString = g.initializer[k].docString
        g.initializer[k] = t
      case .qdq:
        var int8 = [Int8](repeating: 0, count: fanIn * fanOut)
        for j in 0..<fanOut {
          let sign = scales[j] < 0 ? -1 : 1
          for i in 0..<fanIn {
            let c = sign * codes[j * fanIn + i]
            guard let v = Int8(exactly: c), v != -128 else {
              throw ONNXError(file: file, reason: "code \(c) of layer \(l + 1) does not fit in int8")
            }
            int8[stored(j, i)] = v
          }
        }
        let base = layer.weightName
        let (qName, sName, zName) = (
          fresh("\(base)_quantized"), fresh("\(base)_scale"), fresh("\(base)_zero_point")
        )
        added.append(.int8(name: qName, dims: dims, values: int8))
        added.append(.float32(name: sName, dims: [Int64(fanOut)], values: scales.map { abs($0) }))
        added.append(
          .int8(name: zName, dims: [Int64(fanOut)], values: [Int8](repeating: 0, count: fanOut)))
        removed.insert(base)
        var node = Onnx_NodeProto()
        node.name = fresh("\(base)_DequantizeLinear")
        node.opType = "DequantizeLinear"
        node.input = [qName, sName, zName]
        node.output = [base]
        var axis = Onnx_AttributeProto()
        axis.name = "axis"
        axis.type = .int
        axis.i = layer.outByIn ? 0 : 1
        node.attribute = [axis]
        dequantize.append(node)
      }
      if let name = layer.biasName, let b = index[name] {
        let values = q.biases[l].map { Float($0 / layer.beta) }
        var t = Onnx_TensorProto.float32(name: name, dims: g.initializer[b].dims, values: values)
        t.docString = g.initializer[b].docString
        g.initializer[b] = t
      }
    }
    if !removed.isEmpty {
      g.initializer.removeAll { removed.contains($0.name) }
      g.input.removeAll { removed.contains($0.name) }
      g.initializer += added
      g.node = dequantize + g.node
    }
    model.graph = g
    do {
      return try model.serializedBytes()
    } catch {
      throw ONNXError(file: file, reason: "cannot serialize the model: \(error)")
    }
  }
}
