import Dispatch

/// Runs blocking work (a database call, a sampler run) on a Dispatch
/// thread, so that it never holds one of the few threads of Swift's
/// cooperative pool, which serve every request.
func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    DispatchQueue.global().async {
      continuation.resume(with: Result { try body() })
    }
  }
}
