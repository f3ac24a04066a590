import Dispatch
import Foundation
import ListingParser

/// How many findings a run reported, by severity and area: what the summary line, the JSON `run` object and the exit
/// code need, without keeping every finding.
public struct FindingCounts: Sendable, Equatable {
  public private(set) var total = 0
  public private(set) var bySeverity: [Severity: Int] = [:]
  public private(set) var byArea: [Area: Int] = [:]

  public init(_ findings: [Finding] = []) { add(findings) }

  public mutating func add(_ findings: [Finding]) {
    for finding in findings {
      total += 1
      bySeverity[finding.severity, default: 0] += 1
      byArea[finding.area, default: 0] += 1
    }
  }

  public func count(atOrAbove severity: Severity) -> Int {
    bySeverity.filter { $0.key >= severity }.values.reduce(0, +)
  }
}

/// What a whole run produced, in feed order whatever the number of jobs.
///
/// `findings` holds every reported finding only when the run was asked to keep them (`AuditRun.keepFindings`);
/// streamed reports write findings as batches finish and keep only `counts`, so memory does not grow with the
/// catalogue.
public struct AuditSummary: Sendable {
  public var runID: Int64?
  public var feeds: [String]
  public var startedAt: Date
  public var finishedAt: Date
  public var listingsChecked: Int
  public var listingsSkipped: Int
  public var findings: [Finding]
  /// Every reported finding counted, kept or not.
  public var counts: FindingCounts
  public var issues: [InputIssue]
  /// Ids of the listings checked, in feed order (clean ones included); kept with `findings`.
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

  public init(
    runID: Int64?, feeds: [String], startedAt: Date, finishedAt: Date, listingsChecked: Int, listingsSkipped: Int,
    findings: [Finding], issues: [InputIssue], checkedListings: [String] = [], toolVersion: String = ""
  ) {
    self.runID = runID
    self.feeds = feeds
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.listingsChecked = listingsChecked
    self.listingsSkipped = listingsSkipped
    self.findings = findings
    self.counts = FindingCounts(findings)
    self.issues = issues
    self.checkedListings = checkedListings
    self.toolVersion = toolVersion
  }

  public func count(atOrAbove severity: Severity) -> Int { counts.count(atOrAbove: severity) }
}

/// Streams feeds through the checker on `jobs` threads and one SQLite writer.
///
/// Listings are read in batches; a batch is checked in parallel, then its results are stored and handed on in feed
/// order, so output is deterministic and memory stays bounded by the batch, not the catalogue.
public struct AuditRun {
  public let checker: ListingChecker
  public let store: (any AuditStore)?
  public let jobs: Int
  /// Skip listings whose feed record and page hash as when the database last checked them; their findings carry
  /// forward from that run.
  public let incremental: Bool
  /// Keep every reported finding in the summary (for reports that need them all at the end); otherwise only counts.
  public var keepFindings = true
  /// What the report leaves out (reviews, baseline): applied to each batch after it is checked and stored.
  public var policy = ReportPolicy()
  public var batchSize = defaultBatchSize
  /// Listings read and checked together: enough to keep every core busy between two hand-overs, few enough that
  /// what is left to store and report when the checking ends is little.
  public static let defaultBatchSize = 256
  /// Pages above this many bytes are a `too_large` input issue and are not read (`--max-page-bytes`).
  public var maxPageBytes = HTMLReader.defaultMaxPageBytes
  /// Called with the run's id as soon as the store has it, before any listing is read: `auditor serve` answers an
  /// upload with the id while the run goes on.
  public var onRunStarted: (Int64) -> Void = { _ in }

  public init(checker: ListingChecker, store: (any AuditStore)?, jobs: Int, incremental: Bool = false) {
    self.checker = checker
    self.store = store
    self.jobs = max(1, jobs)
    self.incremental = incremental && store != nil
  }

  /// Runs over already opened feeds (opening them is where a missing feed fails, before any work): reads, checks,
  /// stores every finding, applies `policy` and hands each listing to `observer` in feed order as its batch
  /// finishes, so a report can be written as the run goes.
  public func run<Observer: RunObserver>(
    _ feeds: [FeedReader], paths: [String], options: [String: String], toolVersion: String,
    observer: inout Observer
  ) throws -> AuditSummary {
    HTMLReader.initializeLibrary()
    let startedAt = Date()
    let runID = try store?.beginRun(toolVersion: toolVersion, feeds: paths, options: options)
    if let runID { onRunStarted(runID) }
    var summary = AuditSummary(
      runID: runID, feeds: paths, startedAt: startedAt, finishedAt: startedAt, listingsChecked: 0, listingsSkipped: 0,
      findings: [], issues: [])
    summary.toolVersion = toolVersion
    let previousHashes = incremental ? try store?.previousContentHashes() ?? [:] : [:]
    let today = Self.today()
    var seen: Set<String> = []
    let writer = store.map { StoreWriter(store: $0) }
    // Stores and reports one checked batch, in feed order. Runs on this thread while the next batch is checked; the
    // rows are written by the store's own thread.
    func finish(_ checked: InFlightBatch) throws {
      summary.issues += checked.feedIssues
      var results = checked.results()
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
      }
      try writer?.enqueue { [results, feedIssues = checked.feedIssues, runID = runID ?? 0] store in
        if !feedIssues.isEmpty { try store.record(runID: runID, issues: feedIssues) }
        for result in results {
          try store.record(
            runID: runID, listingID: result.listing.id, contentHash: result.contentHash,
            source: "\(result.listing.source.file):\(result.listing.source.line)",
            detailPage: result.listing.detailPage, findings: result.findings, issues: result.issues)
        }
      }
      for var result in results {
        if policy.needsSeenFingerprints { seen.formUnion(result.findings.map(\.fingerprint)) }
        let (shown, reviewed, baselined) = policy.apply(result.findings)
        summary.reviewed += reviewed
        summary.baselined += baselined
        result.findings = shown
        summary.counts.add(shown)
        summary.suppressed += result.suppressed
        summary.issues += result.issues
        if keepFindings {
          summary.findings += shown
          summary.checkedListings.append(result.listing.id)
        }
        try observer.listingFinished(result)
      }
    }
    // A pipeline one batch deep: while the workers check batch k, this thread reads batch k + 1 from the feed, and
    // while they check k + 1 it stores and reports k, so reading, parsing JSON and writing SQLite leave no core idle.
    var inFlight: InFlightBatch?
    for feed in feeds {
      var exhausted = false
      while !exhausted {
        var batch: [Listing] = []
        var feedIssues: [InputIssue] = []
        batch.reserveCapacity(batchSize)
        while batch.count < batchSize {
          guard let event = feed.next() else {
            exhausted = true
            break
          }
          switch event {
          case .listing(let listing): batch.append(listing)
          case .issue(let issue): feedIssues.append(issue)
          }
        }
        if batch.isEmpty && feedIssues.isEmpty { break }
        // One batch on the workers at a time, so `jobs` is the number of checking threads.
        let previous = inFlight
        previous?.wait()
        inFlight = InFlightBatch(
          batch, issues: feedIssues, checker: checker, jobs: jobs, maxPageBytes: maxPageBytes,
          previousHashes: previousHashes)
        if let previous { try finish(previous) }
      }
    }
    if let last = inFlight { try finish(last) }
    try writer?.drain()
    if let store, let runID {
      // Review decisions carry over by fingerprint; fixed and expired ones change state here.
      try store.updateStatuses(runID: runID, today: today)
    }
    summary.staleBaselineEntries = policy.staleBaselineEntries(seen: seen)
    summary.finishedAt = Date()
    return summary
  }

  /// Today's date in UTC, `2026-11-23`, for waiver expiry.
  public static func today() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    return formatter.string(from: Date())
  }
}

/// A batch being checked on `jobs` worker threads. Workers take the next unchecked listing as they finish one, so a
/// slow page does not hold up a thread's whole share; results come back in feed order.
final class InFlightBatch: @unchecked Sendable {
  let feedIssues: [InputIssue]
  private var slots: [ListingResult?]
  private var next = 0
  private let lock = NSLock()
  private let done = DispatchGroup()

  init(
    _ listings: [Listing], issues: [InputIssue], checker: ListingChecker, jobs: Int, maxPageBytes: Int,
    previousHashes: [String: String]
  ) {
    feedIssues = issues
    slots = Array(repeating: nil, count: listings.count)
    guard !listings.isEmpty else { return }
    let workers = min(jobs, listings.count)
    DispatchQueue.global().async(group: done) {
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let index = self.claim() {
          let input = ListingInput.reading(listings[index], maxPageBytes: maxPageBytes)
          // A listing whose page cannot be read is always re-checked, so its input issue is reported on every run.
          let unchanged = input.pageIssue == nil && previousHashes[input.listing.id] == input.contentHash
          self.store(unchanged ? .skipped(input) : checker.check(input), at: index)
        }
      }
    }
  }

  private func claim() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard next < slots.count else { return nil }
    next += 1
    return next - 1
  }

  private func store(_ result: ListingResult, at index: Int) {
    lock.lock()
    slots[index] = result
    lock.unlock()
  }

  /// Waits for every listing of the batch to be checked.
  func wait() { done.wait() }

  /// The results in feed order, once every listing is checked.
  func results() -> [ListingResult] {
    done.wait()
    lock.lock()
    defer { lock.unlock() }
    return slots.compactMap { $0 }
  }
}
