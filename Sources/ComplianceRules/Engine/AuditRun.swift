import Dispatch
import Foundation
import ListingParser

/// What a whole run produced, in feed order whatever the number of jobs.
public struct AuditSummary: Sendable {
  public var runID: Int64?
  public var feeds: [String]
  public var startedAt: Date
  public var finishedAt: Date
  public var listingsChecked: Int
  public var listingsSkipped: Int
  public var findings: [Finding]
  public var issues: [InputIssue]
  /// Ids of the listings checked, in feed order (clean ones included).
  public var checkedListings: [String] = []
  public var toolVersion = ""

  public func count(atOrAbove severity: Severity) -> Int { findings.filter { $0.severity >= severity }.count }
}

/// Streams feeds through the checker on `jobs` threads and one SQLite writer.
///
/// Listings are read in batches; a batch is checked in parallel, then its results are stored and handed on in feed
/// order, so output is deterministic and memory stays bounded by the batch, not the catalogue.
public struct AuditRun {
  public let checker: ListingChecker
  public let store: FindingsStore?
  public let jobs: Int
  public var batchSize = 256

  public init(checker: ListingChecker, store: FindingsStore?, jobs: Int) {
    self.checker = checker
    self.store = store
    self.jobs = max(1, jobs)
  }

  /// Runs over already opened feeds (opening them is where a missing feed fails, before any work).
  public func run(
    _ feeds: [FeedReader], paths: [String], options: [String: String], toolVersion: String,
    onResult: (ListingResult) -> Void = { _ in }
  ) throws -> AuditSummary {
    HTMLReader.initializeLibrary()
    let startedAt = Date()
    let runID = try store?.beginRun(toolVersion: toolVersion, feeds: paths, options: options)
    var summary = AuditSummary(
      runID: runID, feeds: paths, startedAt: startedAt, finishedAt: startedAt, listingsChecked: 0, listingsSkipped: 0,
      findings: [], issues: [])
    for feed in feeds {
      var batch: [Listing] = []
      var feedIssues: [InputIssue] = []
      func flush() throws {
        if !feedIssues.isEmpty {
          try store?.record(runID: runID ?? 0, issues: feedIssues)
          summary.issues += feedIssues
          feedIssues.removeAll()
        }
        for result in check(batch) {
          try store?.record(
            runID: runID ?? 0, listingID: result.listing.id, contentHash: result.contentHash,
            source: "\(result.listing.source.file):\(result.listing.source.line)", detailPage: result.listing.detailPage,
            findings: result.findings, issues: result.issues)
          summary.listingsChecked += 1
          summary.findings += result.findings
          summary.issues += result.issues
          onResult(result)
        }
        batch.removeAll(keepingCapacity: true)
      }
      while let event = feed.next() {
        switch event {
        case .listing(let listing): batch.append(listing)
        case .issue(let issue): feedIssues.append(issue)
        }
        if batch.count >= batchSize { try flush() }
      }
      try flush()
    }
    summary.finishedAt = Date()
    return summary
  }

  /// Checks a batch on `jobs` threads; results come back in input order.
  func check(_ batch: [Listing]) -> [ListingResult] {
    guard jobs > 1, batch.count > 1 else { return batch.map(checker.check) }
    let results = ResultSlots(count: batch.count)
    let checker = self.checker
    let workers = min(jobs, batch.count)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var index = worker
      while index < batch.count {
        results.set(index, checker.check(batch[index]))
        index += workers
      }
    }
    return results.values()
  }
}

/// One slot per listing of a batch; each worker writes only its own slots, so no two threads touch the same one.
private final class ResultSlots: @unchecked Sendable {
  private var slots: [ListingResult?]
  private let lock = NSLock()
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ result: ListingResult) {
    lock.lock()
    slots[index] = result
    lock.unlock()
  }
  func values() -> [ListingResult] { slots.compactMap { $0 } }
}
