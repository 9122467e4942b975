import CGSL

// BFGS minimisation through GSL's multimin (vector_bfgs2: Fletcher's
// implementation of BFGS with a line search satisfying the Wolfe
// conditions; R. Fletcher, "Practical Methods of Optimization", 1987, §2.6).
//
// The Swift closures reach GSL's C callbacks through the `params` pointer: a
// `MinimizationContext` object passed unretained for the duration of the call
// (the `withExtendedLifetime` below keeps it alive). The callbacks copy the
// GSL vector into reusable Swift arrays, so a function evaluation allocates
// nothing once the arrays have their size.

/// The outcome of a minimisation.
public struct MinimizationResult: Sendable, Equatable {
  /// The best point found.
  public var point: [Double]
  /// The function value at `point`.
  public var value: Double
  /// The gradient at `point`.
  public var gradient: [Double]
  /// Iterations performed.
  public var iterations: Int
  /// Whether the gradient norm fell below the tolerance.
  public var converged: Bool
  /// Why the iteration stopped, in words.
  public var stopReason: String
}

/// The objective and gradient closures of one minimisation, plus scratch
/// arrays, reached from C through an unmanaged pointer.
final class MinimizationContext {
  let function: ([Double]) -> Double
  let gradient: ([Double], inout [Double]) -> Void
  var x: [Double]
  var g: [Double]

  init(
    dimension: Int, function: @escaping ([Double]) -> Double,
    gradient: @escaping ([Double], inout [Double]) -> Void
  ) {
    self.function = function
    self.gradient = gradient
    x = [Double](repeating: 0, count: dimension)
    g = [Double](repeating: 0, count: dimension)
  }

  static func from(_ params: UnsafeMutableRawPointer?) -> MinimizationContext? {
    params.map { Unmanaged<MinimizationContext>.fromOpaque($0).takeUnretainedValue() }
  }

  func value(at v: UnsafePointer<gsl_vector>) -> Double {
    GSLVector.read(v, into: &x)
    return function(x)
  }

  func gradient(at v: UnsafePointer<gsl_vector>, into out: UnsafeMutablePointer<gsl_vector>) {
    GSLVector.read(v, into: &x)
    for i in g.indices { g[i] = 0 }
    gradient(x, &g)
    GSLVector.write(g, to: out)
  }
}

private let callbackF:
  @convention(c) (
    UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?
  ) -> Double = { v, params in
    guard let v, let ctx = MinimizationContext.from(params) else { return .nan }
    return ctx.value(at: v)
  }

private let callbackDF:
  @convention(c) (
    UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<gsl_vector>?
  ) -> Void = { v, params, g in
    guard let v, let g, let ctx = MinimizationContext.from(params) else { return }
    ctx.gradient(at: v, into: g)
  }

private let callbackFDF:
  @convention(c) (
    UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Double>?,
    UnsafeMutablePointer<gsl_vector>?
  ) -> Void = { v, params, f, g in
    guard let v, let ctx = MinimizationContext.from(params) else { return }
    f?.pointee = ctx.value(at: v)
    if let g { ctx.gradient(at: v, into: g) }
  }

/// An owned `gsl_multimin_fdfminimizer` of type vector_bfgs2.
final class BFGSMinimizer {
  let pointer: UnsafeMutablePointer<gsl_multimin_fdfminimizer>

  init(dimension: Int) throws {
    prepareGSL()
    guard dimension > 0,
      let p = gsl_multimin_fdfminimizer_alloc(anneal_multimin_bfgs2(), dimension)
    else {
      throw GSLError(
        code: GSL_EINVAL, context: "allocating a BFGS minimizer of dimension \(dimension)")
    }
    pointer = p
  }

  deinit { gsl_multimin_fdfminimizer_free(pointer) }
}

extension GSL {
  /// Minimises a smooth function from `start` by BFGS
  /// (`gsl_multimin_fdfminimizer_vector_bfgs2`).
  ///
  /// Iterates until `‖∇f‖ < tolerance` (`gsl_multimin_test_gradient`), the
  /// line search can make no more progress, or `maxIterations` is reached;
  /// the result says which.
  ///
  /// - Parameters:
  ///   - start: The starting point (its length is the dimension).
  ///   - tolerance: The gradient-norm tolerance for convergence.
  ///   - maxIterations: The iteration cap.
  ///   - stepSize: The size of the first trial step.
  ///   - lineSearchTolerance: The line-search accuracy (GSL's `tol`).
  ///   - function: f(x).
  ///   - gradient: writes ∇f(x) into its second argument (zeroed, of the
  ///     right length).
  /// - Throws: `GSLError` for an empty or non-finite start, a non-finite
  ///   function value or gradient at the start, or any GSL failure.
  public static func minimize(
    start: [Double], tolerance: Double = 1e-8, maxIterations: Int = 1000,
    stepSize: Double = 0.01, lineSearchTolerance: Double = 0.1,
    function: @escaping ([Double]) -> Double,
    gradient: @escaping ([Double], inout [Double]) -> Void
  ) throws -> MinimizationResult {
    prepareGSL()
    let n = start.count
    guard n > 0 else {
      throw GSLError(code: GSL_EBADLEN, context: "minimize: the start point is empty")
    }
    guard start.allSatisfy(\.isFinite) else {
      throw GSLError(code: GSL_EDOM, context: "minimize: the start point is not finite")
    }
    let ctx = MinimizationContext(dimension: n, function: function, gradient: gradient)
    let x0 = try GSLVector(start)
    let minimizer = try BFGSMinimizer(dimension: n)
    return try withExtendedLifetime(ctx) {
      var fdf = gsl_multimin_function_fdf(
        f: callbackF, df: callbackDF, fdf: callbackFDF, n: n,
        params: Unmanaged.passUnretained(ctx).toOpaque())
      try GSLError.check(
        gsl_multimin_fdfminimizer_set(
          minimizer.pointer, &fdf, x0.pointer, stepSize, lineSearchTolerance),
        "gsl_multimin_fdfminimizer_set")
      let m = minimizer.pointer
      guard m.pointee.f.isFinite,
        GSLVector.read(m.pointee.gradient).allSatisfy(\.isFinite)
      else {
        throw GSLError(code: GSL_EDOM, context: "minimize: f or ∇f is not finite at the start")
      }
      var iterations = 0
      var converged = false
      var reason = "reached the iteration limit"
      while iterations < maxIterations {
        if gsl_multimin_test_gradient(m.pointee.gradient, tolerance) == GSL_SUCCESS {
          converged = true
          reason = "gradient norm below tolerance"
          break
        }
        iterations += 1
        let status = gsl_multimin_fdfminimizer_iterate(m)
        if status == GSL_ENOPROG {
          converged = gsl_multimin_test_gradient(m.pointee.gradient, tolerance) == GSL_SUCCESS
          reason = "line search made no progress"
          break
        }
        try GSLError.check(status, "gsl_multimin_fdfminimizer_iterate (iteration \(iterations))")
        if !m.pointee.f.isFinite {
          throw GSLError(code: GSL_EDOM, context: "minimize: f became non-finite")
        }
      }
      if !converged,
        gsl_multimin_test_gradient(m.pointee.gradient, tolerance) == GSL_SUCCESS
      {
        converged = true
        reason = "gradient norm below tolerance"
      }
      return MinimizationResult(
        point: GSLVector.read(m.pointee.x), value: m.pointee.f,
        gradient: GSLVector.read(m.pointee.gradient), iterations: iterations,
        converged: converged, stopReason: reason)
    }
  }
}
