import CGSL

// GSL's default error handler prints a message and calls abort(). A library
// must never abort its host, so the first use of any wrapper in this module
// switches that handler off (once, through a lazily initialised global, which
// Swift guarantees to run exactly once even under concurrent first use) and
// every status code GSL returns is turned into a thrown `GSLError`.

/// An error reported by GSL: its status code and `gsl_strerror` text.
public struct GSLError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The GSL status code (`GSL_EDOM`, `GSL_ENOTSQR`, …).
  public var code: Int32
  /// GSL's description of `code` (`gsl_strerror`).
  public var reason: String
  /// What this module was doing when GSL failed.
  public var context: String

  /// An error for status `code` raised while doing `context`.
  public init<Code: BinaryInteger>(code: Code, context: String) {
    self.code = Int32(truncatingIfNeeded: code)
    self.reason = gsl_strerror(self.code).map { String(cString: $0) } ?? "unknown GSL error"
    self.context = context
  }

  public var description: String { "GSL error \(code) in \(context): \(reason)" }

  /// Throws when `status` is not `GSL_SUCCESS`.
  static func check(_ status: Int32, _ context: @autoclosure () -> String) throws {
    if status != GSL_SUCCESS { throw GSLError(code: status, context: context()) }
  }
}

/// Switches GSL's aborting error handler off; evaluated once per process.
private let errorHandlerOff: Void = {
  _ = gsl_set_error_handler_off()
}()

/// Makes sure GSL returns status codes instead of aborting.
@usableFromInline
func prepareGSL() { errorHandlerOff }
