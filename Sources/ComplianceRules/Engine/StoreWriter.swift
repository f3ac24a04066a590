import Dispatch

/// Hands a run's rows to its store on a thread of their own, in the order given.
///
/// The store writes in large transactions (`FindingsStore.BatchLimits`): the `record` call that fills one holds
/// its caller for as long as SQLite takes to write it. Made on the run's calling thread, that call held up reporting
/// and reading the next batch, so the workers ran dry: the SQLite path kept 156 % of 2 cores busy where the JSON path
/// kept 186 %. Here the calling thread only queues the rows and goes on.
///
/// At most `depth` batches wait, so memory stays bounded when the disk is slower than the checking. After a failed
/// write nothing more is written, and the error is thrown by the next call (as the store's own batching did).
final class StoreWriter: @unchecked Sendable {
  let store: any AuditStore
  private let queue = DispatchQueue(label: "auditor.store-writer")
  private let slots: DispatchSemaphore
  private let failure = Locked<(any Error)?>(nil)

  init(store: any AuditStore, depth: Int = 2) {
    self.store = store
    slots = DispatchSemaphore(value: depth)
  }

  /// Queues `work` behind what is already queued; waits while `depth` batches are waiting.
  func enqueue(_ work: @escaping @Sendable (any AuditStore) throws -> Void) throws {
    try rethrowFailure()
    slots.wait()
    queue.async { [self] in
      defer { slots.signal() }
      guard failure.withLock({ $0 == nil }) else { return }
      do {
        try work(store)
      } catch {
        failure.withLock { $0 = error }
      }
    }
  }

  /// Waits until everything queued is written; throws the first error a write met.
  func drain() throws {
    queue.sync {}
    try rethrowFailure()
  }

  private func rethrowFailure() throws {
    if let error = failure.withLock({ $0 }) { throw error }
  }
}
