import Learning

/// One dense layer as the file stores it: the node, its weight and bias
/// initializers and how they map onto `W` (`out × in`) and `b`.
public struct DenseLayer: Sendable, Equatable {
  /// The index of the `Gemm` or `MatMul` node in the graph.
  public var node: Int
  /// The node's name (may be empty).
  public var nodeName: String
  /// The weight initializer.
  public var weightName: String
  /// True when the initializer is stored `out × in` (`Gemm` with
  /// `transB = 1`, torch's form); false for `in × out` (`MatMul`, `Gemm`
  /// with `transB = 0`).
  public var outByIn: Bool
  /// `Gemm`'s `alpha` (1 for `MatMul`): `W = alpha · op(B)`.
  public var alpha: Double
  /// The bias initializer (`Gemm`'s `C` or the `Add` after `MatMul`), if any.
  public var biasName: String?
  /// `Gemm`'s `beta` (1 for `Add`): `b = beta · C`.
  public var beta: Double
  /// Input and output widths.
  public var fanIn: Int
  /// The output width.
  public var fanOut: Int
  /// The activation after the layer (nil: none).
  public var activation: Activation?
  /// `LeakyRelu`'s `alpha` when `activation` is `.leakyRelu`.
  public var slope: Double
}

/// The dense chain of an ONNX graph: its data input, layers and whether the
/// chain ends in a `Softmax`.
public struct DenseGraph: Sendable {
  /// The data input's name.
  public var inputName: String
  /// The layers, input first.
  public var layers: [DenseLayer] = []
  /// Whether the last layer is followed by `Softmax`.
  public var softmax = false
  /// The default domain's opset version.
  public var opset: Int64

  /// Operators of the default domain that touch no weight and may read the
  /// chain (they are kept as they are).
  static let harmless: Set<String> = [
    "Cast", "ArgMax", "Identity", "Reshape", "Flatten", "Constant",
  ]
  /// Operators of `ai.onnx.ml` that are kept as they are.
  static let harmlessML: Set<String> = ["ArrayFeatureExtractor", "ZipMap"]

  init(_ model: Onnx_ModelProto, file: String) throws {
    func fail(_ reason: String) -> ONNXError { ONNXError(file: file, reason: reason) }
    guard model.hasGraph else { throw fail("the model has no graph") }
    let g = model.graph
    guard
      let opset = model.opsetImport.first(where: { $0.domain == "" || $0.domain == "ai.onnx" })?
        .version
    else { throw fail("the model imports no default-domain opset") }
    guard opset >= 13 else {
      throw fail("opset \(opset) of the default domain; 13 or later is supported")
    }
    self.opset = opset
    var initializers = [String: Int]()
    for (k, t) in g.initializer.enumerated() {
      guard initializers[t.name] == nil else {
        throw fail("initializer '\(t.name)' is defined twice")
      }
      initializers[t.name] = k
    }
    let dataInputs = g.input.filter { initializers[$0.name] == nil }
    guard dataInputs.count == 1 else {
      throw fail("the graph has \(dataInputs.count) data inputs; one is supported")
    }
    inputName = dataInputs[0].name
    var uses = [String: Int]()
    for n in g.node { for i in n.input where !i.isEmpty { uses[i, default: 0] += 1 } }
    for o in g.output { uses[o.name, default: 0] += 1 }
    var constants = [String: Onnx_TensorProto]()
    for (name, k) in initializers { constants[name] = g.initializer[k] }

    var current = inputName
    var pendingMatMul = false
    var prefixWidths = [Int64]()
    for (index, node) in g.node.enumerated() {
      let label = "\(node.name.isEmpty ? "#\(index)" : "'\(node.name)'") (\(node.opType))"
      func bad(_ reason: String) -> ONNXError { ONNXError(file: file, node: label, reason: reason) }
      let domain = node.domain
      let onChain = node.input.first == current
      if domain == "ai.onnx.ml" {
        guard Self.harmlessML.contains(node.opType) else {
          throw bad("unsupported operator '\(node.opType)' of ai.onnx.ml")
        }
        continue
      }
      guard domain == "" || domain == "ai.onnx" else {
        throw bad("unsupported operator '\(node.opType)' of domain '\(domain)'")
      }
      let addOnChain = node.opType == "Add" && node.input.count == 2 && node.input[1] == current
      guard onChain || addOnChain else {
        switch node.opType {
        case "Constant":
          if let out = node.output.first,
            let value = node.attribute.first(where: { $0.name == "value" }), value.hasT
          {
            constants[out] = value.t
          }
          continue
        case let op where Self.harmless.contains(op):
          continue
        case "Gemm", "MatMul":
          throw bad("its first input is not the network's running value '\(current)'")
        default:
          throw bad("unsupported operator '\(node.opType)'")
        }
      }
      if node.opType != "Add" { pendingMatMul = false }
      switch node.opType {
      case "Gemm", "MatMul":
        guard !softmax else { throw bad("a dense layer after Softmax is not supported") }
        guard node.input.count >= 2, node.output.count >= 1 else {
          throw bad("a dense layer needs two inputs and an output")
        }
        let weightName = node.input[1]
        guard let w = constants[weightName], initializers[weightName] != nil else {
          throw bad("its weights '\(weightName)' are not an initializer")
        }
        guard uses[weightName] == 1 else {
          throw bad("its weights '\(weightName)' are used elsewhere too")
        }
        guard w.dims.count == 2, w.dims.allSatisfy({ $0 > 0 && $0 <= 1 << 24 }) else {
          throw bad("its weights '\(weightName)' have dimensions \(w.dims); a matrix is needed")
        }
        var layer = DenseLayer(
          node: index, nodeName: node.name, weightName: weightName, outByIn: false, alpha: 1,
          biasName: nil, beta: 1, fanIn: Int(w.dims[0]), fanOut: Int(w.dims[1]), activation: nil,
          slope: 0.01)
        if node.opType == "Gemm" {
          guard node.int("transA", default: 0) == 0 else {
            throw bad("transA = 1 on the activations is not supported")
          }
          if node.int("transB", default: 0) != 0 {
            layer.outByIn = true
            (layer.fanIn, layer.fanOut) = (Int(w.dims[1]), Int(w.dims[0]))
          }
          layer.alpha = Double(node.float("alpha", default: 1))
          layer.beta = Double(node.float("beta", default: 1))
          guard layer.alpha != 0, layer.alpha.isFinite, layer.beta.isFinite else {
            throw bad("alpha must be finite and non-zero, beta finite")
          }
          if node.input.count >= 3, !node.input[2].isEmpty {
            let c = node.input[2]
            guard initializers[c] != nil, let t = constants[c] else {
              throw bad("its bias '\(c)' is not an initializer")
            }
            guard uses[c] == 1 else { throw bad("its bias '\(c)' is used elsewhere too") }
            guard t.declaredCount == layer.fanOut, layer.beta != 0 else {
              throw bad("its bias '\(c)' must hold \(layer.fanOut) values (one per output), with beta ≠ 0")
            }
            layer.biasName = c
          }
        } else {
          pendingMatMul = true
        }
        if let previous = layers.last {
          guard previous.fanOut == layer.fanIn else {
            throw bad("its input width \(layer.fanIn) differs from the previous layer's \(previous.fanOut)")
          }
        } else {
          for width in prefixWidths where width != -1 && Int(width) != layer.fanIn {
            throw bad("a Reshape before it gives width \(width), its weights expect \(layer.fanIn)")
          }
        }
        layers.append(layer)
        current = node.output[0]
      case "Add":
        guard pendingMatMul, node.input.count == 2, node.output.count >= 1,
          var layer = layers.last
        else { throw bad("an Add on the network's value that is not a MatMul's bias") }
        let c = node.input[0] == current ? node.input[1] : node.input[0]
        guard initializers[c] != nil, let t = constants[c] else {
          throw bad("its bias '\(c)' is not an initializer")
        }
        guard uses[c] == 1 else { throw bad("its bias '\(c)' is used elsewhere too") }
        guard t.declaredCount == layer.fanOut else {
          throw bad("its bias '\(c)' must hold \(layer.fanOut) values (one per output)")
        }
        layer.biasName = c
        layers[layers.count - 1] = layer
        pendingMatMul = false
        current = node.output[0]
      case "Relu", "Tanh", "Sigmoid", "LeakyRelu":
        guard !softmax, var layer = layers.last, node.output.count >= 1 else {
          throw bad("an activation before the first dense layer or after Softmax is not supported")
        }
        guard layer.activation == nil else {
          throw bad("two activations in a row are not supported")
        }
        switch node.opType {
        case "Relu": layer.activation = .relu
        case "Tanh": layer.activation = .tanh
        case "Sigmoid": layer.activation = .sigmoid
        default:
          let a = Double(node.float("alpha", default: 0.01))
          guard a > 0, a.isFinite else { throw bad("alpha \(a) must be positive") }
          layer.activation = .leakyRelu
          layer.slope = a
        }
        layers[layers.count - 1] = layer
        current = node.output[0]
      case "Softmax":
        guard !layers.isEmpty, !softmax, node.output.count >= 1 else {
          throw bad("Softmax must follow the last dense layer")
        }
        let axis = node.int("axis", default: -1)
        guard axis == -1 || axis == 1 else { throw bad("Softmax over axis \(axis) is not supported") }
        softmax = true
        current = node.output[0]
      case "Identity":
        current = node.output.first ?? current
      case "Cast":
        // A cast to float32 keeps the chain; any other (labels) is a side node.
        if node.int("to", default: 0) == Int64(ElementType.float) {
          current = node.output.first ?? current
        }
      case "ArgMax":
        continue
      case "Flatten":
        guard node.int("axis", default: 1) == 1 else {
          throw bad("Flatten must keep the batch axis (axis = 1)")
        }
        current = node.output.first ?? current
      case "Reshape":
        guard node.input.count >= 2, let t = constants[node.input[1]] else {
          throw bad("the shape of a Reshape on the network's value must be a constant")
        }
        let shape: [Int64]
        do { shape = try t.int64Values() } catch { throw bad("its shape: \(error.text)") }
        guard shape.count == 2, shape[0] == 0 || shape[0] == -1 else {
          throw bad("Reshape to \(shape): only [batch, width] with batch 0 or -1 is supported")
        }
        if let last = layers.last {
          guard shape[1] == -1 || Int(shape[1]) == last.fanOut else {
            throw bad("Reshape to width \(shape[1]) of a \(last.fanOut)-wide value")
          }
        } else {
          prefixWidths.append(shape[1])
        }
        current = node.output.first ?? current
      default:
        throw bad("unsupported operator '\(node.opType)'")
      }
    }
    guard let last = layers.last else { throw fail("the graph has no dense layer (Gemm or MatMul)") }
    guard last.activation == nil else {
      throw fail("an activation after the last dense layer is not supported (only Softmax)")
    }
    guard last.fanOut >= 2 else {
      throw fail("the last layer has one output; two or more classes are supported")
    }
    let hidden = layers.dropLast().map { $0.activation ?? .identity }
    guard Set(hidden).count <= 1, Set(layers.dropLast().filter { $0.activation == .leakyRelu }.map(\.slope)).count <= 1 else {
      throw fail("the hidden layers use different activations; one for all is supported")
    }
  }

  /// The hidden activation (identity when there is no hidden layer).
  public var hiddenActivation: Activation { layers.first.flatMap { $0.activation } ?? .identity }

  /// The float network of the layers' weights and biases.
  func network(_ model: Onnx_ModelProto, file: String) throws -> MLP {
    let initializers = Dictionary(
      model.graph.initializer.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    var parts = [(weights: [Double], biases: [Double])]()
    for layer in layers {
      func bad(_ reason: String) -> ONNXError {
        ONNXError(file: file, node: "'\(layer.nodeName)' (#\(layer.node))", reason: reason)
      }
      guard let w = initializers[layer.weightName] else { throw bad("no weights") }
      let stored: [Float]
      do { stored = try w.floatValues() } catch {
        throw bad("weights '\(layer.weightName)': \(error.text)")
      }
      let (fanIn, fanOut) = (layer.fanIn, layer.fanOut)
      var weights = [Double](repeating: 0, count: fanIn * fanOut)
      for j in 0..<fanOut {
        for i in 0..<fanIn {
          let v = layer.outByIn ? stored[j * fanIn + i] : stored[i * fanOut + j]
          weights[j * fanIn + i] = layer.alpha * Double(v)
        }
      }
      var biases = [Double](repeating: 0, count: fanOut)
      if let name = layer.biasName, let c = initializers[name] {
        let values: [Float]
        do { values = try c.floatValues() } catch { throw bad("bias '\(name)': \(error.text)") }
        biases = values.map { layer.beta * Double($0) }
      }
      guard weights.allSatisfy(\.isFinite), biases.allSatisfy(\.isFinite) else {
        throw bad("a weight or bias is not finite")
      }
      parts.append((weights, biases))
    }
    let slope = layers.first(where: { $0.activation == .leakyRelu })?.slope ?? 0.01
    do {
      return try MLP(
        inputWidth: layers[0].fanIn, layers: parts, activation: hiddenActivation, leakySlope: slope)
    } catch {
      throw ONNXError(file: file, reason: "\(error)")
    }
  }
}

extension Onnx_NodeProto {
  /// The integer attribute `name`, or `fallback` when absent.
  func int(_ name: String, default fallback: Int64) -> Int64 {
    attribute.first { $0.name == name }.map(\.i) ?? fallback
  }

  /// The float attribute `name`, or `fallback` when absent.
  func float(_ name: String, default fallback: Float) -> Float {
    attribute.first { $0.name == name }.map(\.f) ?? fallback
  }
}
