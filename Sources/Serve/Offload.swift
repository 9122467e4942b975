import Dispatch
import Foundation

// Blocking work (a database call, a sampler run) must never hold one of the
// few threads of Swift's cooperative pool, which serve every request, nor
// wait behind a sampler for one of Dispatch's global (non-overcommitting)
// threads, which are as many as the cores: a heartbeat stuck there would
// let the job go stale and be taken over. So database calls go to a
// private concurrent queue (such queues get a thread when they need one),
// and each sampler run gets a thread of its own.

private let blocking = DispatchQueue(label: "anneal.serve.blocking", attributes: .concurrent)

/// Runs a short blocking call (storage) off the cooperative pool.
func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    blocking.async { continuation.resume(with: Result { try body() }) }
  }
}

/// Runs a long blocking call (a sampler) on a thread of its own.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread { continuation.resume(with: Result { try body() }) }
    thread.name = "anneal.serve.job"
    thread.start()
  }
}
