// Status codes and messages across the C boundary (include/anneal.h).
//
// Every exported function runs its body through `reportingErrors`, which
// turns any thrown error into a code and a malloc'ed message. Traps cannot
// be caught, so the functions validate every argument before it reaches a
// `precondition` in the library.

import Annealing
import Tuning

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The codes of `anneal.h`.
enum CStatus: Int32 {
  case ok = 0
  case invalidArgument = 1
  case runtimeError = 2
}

/// An error with its status code, thrown inside the C entry points.
struct CError: Error, CustomStringConvertible {
  var status: CStatus
  var description: String

  /// A bad argument (`ANNEAL_INVALID_ARGUMENT`).
  static func invalid(_ message: String) -> CError {
    CError(status: .invalidArgument, description: message)
  }
}

/// A copy of `text` on the C heap, for the caller to free with
/// `anneal_string_free`.
func mallocString(_ text: String) -> UnsafeMutablePointer<CChar>? {
  strdup(text)
}

/// Runs `body` and maps a thrown error to a status code.
///
/// The error's text goes to `message` (when not `nil`). The library's errors about what it was given
/// (a sampler configuration, sampler parameters, a tuning request) are
/// invalid arguments; anything else is a runtime error.
func reportingErrors(
  _ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ body: () throws -> Void
) -> Int32 {
  message?.pointee = nil
  do {
    try body()
    return CStatus.ok.rawValue
  } catch {
    let status: CStatus
    let text: String
    switch error {
    case let e as CError: (status, text) = (e.status, e.description)
    case let e as SamplerConfigurationError:
      (status, text) = (.invalidArgument, "configuration: \(e)")
    case let e as SamplerError: (status, text) = (.invalidArgument, e.description)
    case let e as TuningError: (status, text) = (.invalidArgument, "\(e)")
    default: (status, text) = (.runtimeError, "\(error)")
    }
    message?.pointee = mallocString(text)
    return status.rawValue
  }
}

/// `anneal_string_free`: frees a string this library returned.
@_cdecl("anneal_string_free")
public func anneal_string_free(_ string: UnsafeMutablePointer<CChar>?) {
  free(string)
}

/// `anneal_version`: the library's version, a static string.
@_cdecl("anneal_version")
public func anneal_version() -> UnsafePointer<CChar> {
  let text: StaticString = "anneal 0.1 (C interface 1)"
  return UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}
