import Foundation

/// Runs async work (the PostgreSQL client is async) from a synchronous command and waits for it: the commands are
/// `ParsableCommand`s, run from `Auditor.main` without an async context.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
  let outcome = BlockingOutcome<T>()
  let done = DispatchSemaphore(value: 0)
  Task.detached {
    do { outcome.result = .success(try await body()) } catch { outcome.result = .failure(error) }
    done.signal()
  }
  done.wait()
  return try outcome.result!.get()
}

/// The result, handed from the task to the waiting thread (the semaphore orders the write before the read).
private final class BlockingOutcome<T: Sendable>: @unchecked Sendable {
  var result: Result<T, any Error>?
}
