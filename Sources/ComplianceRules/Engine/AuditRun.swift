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
  /// Findings silenced by inline or feed suppressions.
  public var suppressed = 0
  /// Findings hidden because the baseline already records them.
  public var baselined = 0
  /// Findings hidden because a reviewer marked them accepted, waived (until a date) or false positive.
  public var reviewed = 0
  /// Baseline entries no finding matched any more (`listing rule: evidence`): fixed, so the baseline can shrink.
  public var staleBaselineEntries: [String] = []

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
  /// Skip listings whose feed record and page hash as when the database last checked them; their findings carry
  /// forward from that run.
  public let incremental: Bool
  public var batchSize = 256

  public init(checker: ListingChecker, store: FindingsStore?, jobs: Int, incremental: Bool = false) {
    self.checker = checker
    self.store = store
    self.jobs = max(1, jobs)
    self.incremental = incremental && store != nil
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
    summary.toolVersion = toolVersion
    let previousHashes = incremental ? try store?.previousContentHashes() ?? [:] : [:]
    for feed in feeds {
      var batch: [Listing] = []
      var feedIssues: [InputIssue] = []
      func flush() throws {
        if !feedIssues.isEmpty {
          try store?.record(runID: runID ?? 0, issues: feedIssues)
          summary.issues += feedIssues
          feedIssues.removeAll()
        }
        var results = check(batch, previousHashes: previousHashes)
        // Unchanged listings carry the findings of the run that last checked them into this run, so every run's
        // findings are complete (diff, review and reports read one run).
        let skipped = results.filter(\.skipped).map(\.listing.id)
        if let store, !skipped.isEmpty {
          let carried = try store.lastCheckedFindings(listingIDs: skipped)
          for index in results.indices where results[index].skipped {
            results[index].findings = carried[results[index].listing.id] ?? []
          }
        }
        for result in results {
          if result.skipped { summary.listingsSkipped += 1 } else { summary.listingsChecked += 1 }
          try store?.record(
            runID: runID ?? 0, listingID: result.listing.id, contentHash: result.contentHash,
            source: "\(result.listing.source.file):\(result.listing.source.line)", detailPage: result.listing.detailPage,
            findings: result.findings, issues: result.issues)
          summary.checkedListings.append(result.listing.id)
          summary.suppressed += result.suppressed
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
    if let store, let runID {
      // Review decisions carry over by fingerprint: only open findings are reported and gate the run.
      let hidden = try store.updateStatuses(runID: runID, today: Self.today())
      let open = hidden.isEmpty ? summary.findings : summary.findings.filter { hidden[$0.fingerprint] == nil }
      summary.reviewed = summary.findings.count - open.count
      summary.findings = open
    }
    summary.finishedAt = Date()
    return summary
  }

  /// Today's date in UTC, `2026-11-23`, for waiver expiry.
  static func today() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    return formatter.string(from: Date())
  }

  /// Checks a batch on `jobs` threads; results come back in input order.
  func check(_ batch: [Listing], previousHashes: [String: String]) -> [ListingResult] {
    let checker = self.checker
    guard jobs > 1, batch.count > 1 else { return batch.map { checker.check($0, unchangedHash: previousHashes[$0.id]) } }
    let results = ResultSlots(count: batch.count)
    let workers = min(jobs, batch.count)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var index = worker
      while index < batch.count {
        results.set(index, checker.check(batch[index], unchangedHash: previousHashes[batch[index].id]))
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
