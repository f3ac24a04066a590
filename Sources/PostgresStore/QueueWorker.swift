import ComplianceRules
import Dispatch
import Foundation
import ListingParser
import PostgresNIO

/// `auditor worker`: claims batches of jobs, checks them on `jobs` threads, and finishes them under their lease,
/// until told to stop (SIGTERM, SIGINT) or, with `exitWhenIdle`, until no job of any run is pending or leased.
///
/// Idle, it waits for a notification on `PostgresQueue.channel` (its own connection: a LISTEN must not share a
/// connection with transactions) or for `pollInterval`, whichever comes first: a notification is only a hint,
/// the poll is the truth (a notification sent while the listener reconnects is lost).
public struct QueueWorker: Sendable {
  public var checker: ListingChecker
  public var jobs: Int
  public var batchSize: Int
  public var lease: Duration
  public var exitWhenIdle: Bool
  public var pollInterval: Duration = .seconds(1)
  /// Set by the signal handlers: finish the batch in hand, give back what it has not started, exit.
  public let stop: StopFlag
  /// Where the worker says what it does (stale writes refused, jobs taken back); standard error in the CLI.
  public var log: @Sendable (String) -> Void

  public init(
    checker: ListingChecker, jobs: Int, batchSize: Int, lease: Duration, exitWhenIdle: Bool, stop: StopFlag,
    log: @escaping @Sendable (String) -> Void
  ) {
    self.checker = checker
    self.jobs = max(1, jobs)
    self.batchSize = max(1, batchSize)
    self.lease = lease
    self.exitWhenIdle = exitWhenIdle
    self.stop = stop
    self.log = log
  }

  /// What a worker did, for its last line.
  public struct Totals: Sendable {
    public var checked = 0
    public var refused = 0
    public var released = 0
    public var batches = 0
  }

  public func run(_ queue: PostgresQueue) async throws -> Totals {
    let me = WorkerIdentity.current()
    try await queue.register(worker: me)
    let wake = WakeSignal()
    let listener = Task { await listen(queue.url, wake: wake) }
    defer { listener.cancel() }
    stop.onStop { wake.signal() }
    var totals = Totals()
    while !stop.isSet {
      _ = try await queue.rescueExpired()
      guard let batch = try await queue.claim(worker: me.id, limit: batchSize, lease: lease) else {
        if exitWhenIdle, try await !queue.hasUnfinishedJobs() { break }
        await wake.wait(upTo: pollInterval)
        continue
      }
      totals.batches += 1
      let renewal = Task { await renew(batch, queue) }
      if let pause = Self.testPauseAfterClaim { try? await Task.sleep(for: .seconds(pause)) }
      let results = await check(batch)
      renewal.cancel()
      _ = await renewal.value
      let started = Set(results.keys)
      let unstarted = batch.jobs.map(\.id).filter { !started.contains($0) }
      let refused: [Int64]
      do {
        refused = try await queue.finish(batch, results: results)
        try await queue.release(batch, jobIDs: unstarted)
      } catch {
        // Nothing of the batch was written (one transaction); its jobs go back to the queue when the lease expires.
        log("worker \(me.id): the results of jobs \(Self.ranges(batch.jobs.map(\.id))) were not written: \(error)")
        continue
      }
      if !refused.isEmpty {
        log("worker \(me.id): lease lost, \(refused.count) stale results refused (jobs \(Self.ranges(refused)))")
      }
      totals.checked += results.count - refused.count
      totals.refused += refused.count
      totals.released += unstarted.count
    }
    try? await queue.unregister(worker: me)
    return totals
  }

  /// Renews the batch's lease every third of its length until cancelled.
  private func renew(_ batch: ClaimedBatch, _ queue: PostgresQueue) async {
    while !Task.isCancelled {
      do {
        try await Task.sleep(for: lease / 3)
        if try await !queue.renew(batch, lease: lease) { return }
      } catch {
        return
      }
    }
  }

  /// Checks the batch's jobs on `jobs` threads, off the async executor (checking is CPU work). Once the stop flag is
  /// set no further job is started; the results of those started are returned.
  private func check(_ batch: ClaimedBatch) async -> [Int64: ListingResult] {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        let collected = Collected(batch.jobs.count)
        DispatchQueue.concurrentPerform(iterations: min(jobs, batch.jobs.count)) { _ in
          while !stop.isSet, let index = collected.next() {
            let job = batch.jobs[index]
            if job.listingID == Self.testCrashOnListing { abort() }
            if let result = check(job) { collected.store(result, for: job.id) }
          }
        }
        continuation.resume(returning: collected.results)
      }
    }
  }

  /// Reads the stored record again exactly as the feed reader read it, then checks it with the stored page bytes.
  func check(_ job: ClaimedJob) -> ListingResult? {
    // The record's field issues were recorded when `queue add` read the feed; only the listing is wanted here.
    let listing = ListingRecordDecoder.events(stored: job.record, file: job.file, line: job.line).lazy
      .compactMap { event -> Listing? in
        if case .listing(let listing) = event { return listing }
        return nil
      }.first
    guard let listing else { return nil }
    return checker.check(listing, pageBytes: job.page, pagePath: job.pagePath, pageIssues: job.pageIssues)
  }

  /// Waits on LISTEN until cancelled, reconnecting after a lost connection; each notification wakes the worker.
  private func listen(_ url: PostgresURL, wake: WakeSignal) async {
    let logger = Logger(label: "auditor.listen")
    while !Task.isCancelled {
      do {
        let connection = try await PostgresQueue.connect(url, logger: logger)
        defer { Task { try? await connection.close() } }
        try await connection.listen(on: PostgresQueue.channel) { notifications in
          for try await _ in notifications { wake.signal() }
        }
      } catch {
        try? await Task.sleep(for: .seconds(1))
      }
    }
  }

  /// `1-3, 7` for log lines.
  static func ranges(_ ids: [Int64]) -> String {
    var spans: [(first: Int64, last: Int64)] = []
    for id in ids.sorted() {
      if let span = spans.last, id == span.last + 1 { spans[spans.count - 1].last = id } else { spans.append((id, id)) }
    }
    return spans.map { $0.first == $0.last ? "\($0.first)" : "\($0.first)-\($0.last)" }.joined(separator: ", ")
  }

  /// Seconds to sleep after each claim, lease renewal running (`AUDITOR_TEST_PAUSE_AFTER_CLAIM`): a slow batch, the
  /// window in which the fault test kills or stops a worker holding leases. Unset in normal use.
  static let testPauseAfterClaim = ProcessInfo.processInfo.environment["AUDITOR_TEST_PAUSE_AFTER_CLAIM"]
    .flatMap(Double.init)
  /// A listing id whose checking aborts the process (`AUDITOR_TEST_CRASH_ON_LISTING`): the fault test's stand-in for
  /// a page that crashes the parser. Unset in normal use.
  static let testCrashOnListing = ProcessInfo.processInfo.environment["AUDITOR_TEST_CRASH_ON_LISTING"]
}

/// The results of one batch as the checking threads store them.
private final class Collected: @unchecked Sendable {
  private let lock = NSLock()
  private var nextIndex = 0
  private let count: Int
  private(set) var results: [Int64: ListingResult] = [:]

  init(_ count: Int) { self.count = count }

  func next() -> Int? {
    lock.withLock {
      guard nextIndex < count else { return nil }
      nextIndex += 1
      return nextIndex - 1
    }
  }

  func store(_ result: ListingResult, for id: Int64) {
    lock.withLock { results[id] = result }
  }
}

/// A stop request from a signal handler, readable from any thread.
public final class StopFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var set = false
  private var handlers: [@Sendable () -> Void] = []

  public init() {}

  public var isSet: Bool { lock.withLock { set } }

  public func request() {
    let handlers = lock.withLock {
      set = true
      return self.handlers
    }
    for handler in handlers { handler() }
  }

  func onStop(_ handler: @escaping @Sendable () -> Void) {
    lock.withLock { handlers.append(handler) }
  }
}

/// Wakes an idle worker: a notification arrived, or it was told to stop.
final class WakeSignal: @unchecked Sendable {
  private let lock = NSLock()
  private var pending = false

  func signal() { lock.withLock { pending = true } }

  /// Returns once signalled or after `limit`, checking every 50 ms (cheaper to reason about than a continuation
  /// racing a timeout, and an idle worker has nothing better to do).
  func wait(upTo limit: Duration) async {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while clock.now < deadline {
      let signalled = lock.withLock {
        defer { pending = false }
        return pending
      }
      if signalled { return }
      try? await Task.sleep(for: .milliseconds(50))
    }
  }
}
