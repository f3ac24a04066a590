import ListingParser

/// Where runs, listings, findings, input issues and review decisions are kept: what the run loop writes and
/// `findings`, `runs`, `diff`, `baseline` and the review server read.
///
/// `FindingsStore` (SQLite through GRDB) is the first implementation. Another one (PostgreSQL) conforms by keeping
/// the semantics written on each requirement; `StoreContractTests` in the test target holds any implementation to
/// them — subclass it and override `makeStore()`.
///
/// A run is `beginRun`, then `record` once per listing (and for loose input issues), then `finishRun`. Any thread
/// may call any requirement. Writes may be buffered, but every read sees everything recorded before it on the same
/// store. A run whose writer dies before `finishRun` must in the end read as `incomplete`, never `complete`.
public protocol AuditStore: AnyObject, Sendable {
  // MARK: Runs

  /// Starts a run and returns its id, larger than the id of every run begun before on this store. The run is
  /// `running` until `finishRun`. `options` are the settings that change results.
  func beginRun(toolVersion: String, feeds: [String], options: [String: String]) throws -> Int64

  /// Writes what is buffered, then closes the run: its counts, exit code and finish time, state `complete`.
  /// Throws `FindingsStoreError.unknownRun` for an id `beginRun` did not return.
  func finishRun(
    _ runID: Int64, listingsChecked: Int, listingsSkipped: Int, findingsCount: Int, inputIssuesCount: Int,
    exitCode: Int32
  ) throws

  /// Every run, oldest first, with the state a reader should see (a `running` run whose process is gone reads as
  /// `incomplete`).
  func runs() throws -> [RunRecord]

  /// The ids of the complete runs, oldest first.
  func completeRunIDs() throws -> [Int64]

  /// The newest complete run; nil when there is none.
  func lastCompleteRunID() throws -> Int64?

  /// Writes whatever `record` has buffered, so that another process reading the store sees it.
  func flush() throws

  // MARK: Listings and their findings

  /// Records one checked (or carried-forward) listing with its findings and input issues, and upserts the listing:
  /// content hash, source, detail page and `lastSeenRun`/`lastCheckedRun` become this run; `firstSeenRun` is kept.
  func record(
    runID: Int64, listingID: String, contentHash: String, source: String, detailPage: String?,
    findings: [Finding], issues: [InputIssue]
  ) throws

  /// The listing as last recorded; nil when no run recorded it.
  func listing(id: String) throws -> ListingRecord?

  /// listing id → content hash, for the listings whose last check was by a complete run: an incremental run skips
  /// a listing whose hash is still the same. Listings last checked by a running or incomplete run are left out.
  func previousContentHashes() throws -> [String: String]

  /// listing id → the findings the complete run that last checked it recorded for it, for each of `listingIDs`
  /// that has any (in recording order): what an incremental run carries forward for an unchanged listing.
  func lastCheckedFindings(listingIDs: [String]) throws -> [String: [Finding]]

  /// The findings a run recorded, ordered by listing id, file, line, column and rule id (recording order breaks
  /// ties).
  func findings(runID: Int64) throws -> [Finding]

  // MARK: Input issues

  /// Records input issues not tied to a checked listing (malformed feed lines, missing files…).
  func record(runID: Int64, issues: [InputIssue]) throws

  /// The input issues a run recorded, loose and per listing, in the order they were recorded.
  func inputIssues(runID: Int64) throws -> [InputIssue]

  // MARK: Review decisions

  /// Applies a finished run's findings to the review lifecycle: new fingerprints open; fixed ones reported again,
  /// and waived ones whose `until` is before `today` (an ISO date), re-open; fingerprints of listings the run
  /// checked that it no longer reports become fixed. Each automatic change is a decision by `auditor`.
  func updateStatuses(runID: Int64, today: String) throws

  /// Every fingerprint a reviewer has taken out of the report as of `today`: accepted, false positive, or waived
  /// until `today` or later. Read once before a run, for its `ReportPolicy`.
  func hiddenStatuses(today: String) throws -> [String: FindingStatus]

  /// Sets the status of the one fingerprint each of `prefixes` (8+ characters, any case) starts, recording a
  /// decision on the last run that reported it; returns the fingerprints changed. Throws
  /// `LifecycleError.ambiguousOrUnknown` when a prefix names none or several, and then changes nothing.
  func setStatus(
    _ prefixes: [String], to status: FindingStatus, reason: String?, until: String?, by user: String
  ) throws -> [String]

  /// The decisions on the one fingerprint `prefix` starts (as `setStatus`), newest first.
  func history(of prefix: String) throws -> (fingerprint: String, decisions: [DecisionRecord])

  /// The review state of a fingerprint; nil when no finished run has reported it.
  func findingStatus(fingerprint: String) throws -> FindingStatusRecord?

  /// The findings of a run (ordered as `findings(runID:)`) with their review state (`open` when none).
  func reviewedFindings(runID: Int64) throws -> [ReviewedFinding]

  /// The status rows of the fingerprints that are fixed.
  func fixedFindings() throws -> [FindingStatusRecord]
}

/// A finding with its review state, for `auditor findings`.
public struct ReviewedFinding: Sendable {
  public var finding: Finding
  public var status: FindingStatus
  public var reason: String?
  public var until: String?
  public var changedBy: String?
  public var changedAt: String?

  public init(
    finding: Finding, status: FindingStatus, reason: String? = nil, until: String? = nil, changedBy: String? = nil,
    changedAt: String? = nil
  ) {
    self.finding = finding
    self.status = status
    self.reason = reason
    self.until = until
    self.changedBy = changedBy
    self.changedAt = changedAt
  }
}

extension FindingsStore: AuditStore {
  /// The name it had before `AuditStore`.
  public typealias ReviewedFinding = ComplianceRules.ReviewedFinding
}
