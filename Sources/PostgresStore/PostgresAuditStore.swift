import ComplianceRules
import Foundation
import ListingParser
import PostgresNIO

/// The store interface (`AuditStore`) on PostgreSQL: what `auditor check`, `findings`, `diff`, `baseline` and
/// `runs` read and write with `--db postgres://…`. Same tables as the queue (`PostgresMigrations`), same semantics
/// as the SQLite store (`FindingsStore`), held to them by the same suite (`StoreContractTests`).
///
/// `record` buffers and writes whole listings in batched transactions, each batch a few array-bound statements
/// (one round trip per table, not per row). A run is `running` while the session that began it holds the advisory
/// lock (`ownerLockClass`, run id); when the process dies the server drops its session and the lock, and readers
/// see the run `incomplete` (the next store to open the database marks it so).
public final class PostgresAuditStore: AuditStore {
  let session: PostgresSession
  private let limits: FindingsStore.BatchLimits
  private let pending = PendingBuffer()

  /// The first key of a run's advisory lock (the second is the run id); the migration lock is 7365021.
  static let ownerLockClass: Int32 = 7_365_022

  /// The state a reader should see for `run`: a `running` run written by one process whose lock nobody holds
  /// is `incomplete`. Advisory locks are per database, so ids of other databases on the server do not collide.
  static let visibleState = """
    CASE WHEN run.state = 'running' AND run.owner_lock AND NOT EXISTS (
      SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = \(ownerLockClass)
        AND objsubid = 2 AND objid::int8 = run.id
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
    THEN 'incomplete' ELSE run.state END
    """

  private init(session: PostgresSession, limits: FindingsStore.BatchLimits) {
    self.session = session
    self.limits = limits
  }

  /// Connects, applies the migrations the database lacks and marks incomplete the runs whose process is gone.
  public static func open(_ url: PostgresURL, batchLimits: FindingsStore.BatchLimits = .default) throws
    -> PostgresAuditStore
  {
    let store = PostgresAuditStore(session: try PostgresSession.connect(url), limits: batchLimits)
    try store.session.migrate()
    try store.session.query(
      PostgresQuery(unsafeSQL: "UPDATE run SET state = \(visibleState) WHERE state = 'running' AND owner_lock"))
    return store
  }

  /// The database, without its password.
  public var url: PostgresURL { session.url }

  /// Ends the session; a run it began and did not finish is then abandoned (`incomplete`).
  public func close() {
    session.close()
  }

  deinit {
    session.close()
  }

  // MARK: Runs

  public func beginRun(toolVersion: String, feeds: [String], options: [String: String]) throws -> Int64 {
    try flush()
    let (feeds, options) = (try PostgresQueue.json(feeds), try PostgresQueue.json(options))
    return try session.transaction { query in
      let rows = try query(
        """
        INSERT INTO run (started_at, tool_version, feeds, options, state, owner_lock)
        VALUES (\(PostgresQueue.now()), \(toolVersion), \(feeds), \(options), 'running', true) RETURNING id
        """)
      guard let runID = try rows.first?.decode(Int64.self) else { throw PostgresStoreError("the new run has no id") }
      // Taken before the commit: whoever sees the row sees the lock held.
      try query("SELECT pg_advisory_lock(\(Self.ownerLockClass), \(Int32(truncatingIfNeeded: runID)))")
      return runID
    }
  }

  public func finishRun(
    _ runID: Int64, listingsChecked: Int, listingsSkipped: Int, findingsCount: Int, inputIssuesCount: Int,
    exitCode: Int32
  ) throws {
    try flush()
    let updated = try session.query(
      """
      UPDATE run SET finished_at = \(PostgresQueue.now()), listings_checked = \(listingsChecked),
        listings_skipped = \(listingsSkipped), findings_count = \(findingsCount),
        input_issues_count = \(inputIssuesCount), exit_code = \(Int(exitCode)), state = 'complete'
      WHERE id = \(runID) RETURNING id
      """)
    guard !updated.isEmpty else { throw FindingsStoreError.unknownRun(runID) }
    // After the commit: until then a reader that found the lock free would take the run for abandoned.
    try session.query("SELECT pg_advisory_unlock(\(Self.ownerLockClass), \(Int32(truncatingIfNeeded: runID)))")
  }

  // MARK: Recording

  public func record(
    runID: Int64, listingID: String, contentHash: String, source: String, detailPage: String?,
    findings: [Finding], issues: [InputIssue]
  ) throws {
    let listing = PendingBatch.CheckedListing(
      runID: runID, listingID: listingID, contentHash: contentHash, source: source, detailPage: detailPage,
      findings: findings, issues: issues)
    try buffer(.checked(listing))
  }

  public func record(runID: Int64, issues: [InputIssue]) throws {
    try buffer(.issues(runID: runID, issues))
  }

  public func flush() throws {
    try pending.withLock { batch in try write(&batch) }
  }

  private func buffer(_ entry: PendingBatch.Entry) throws {
    try pending.withLock { batch in
      batch.append(entry)
      if batch.isFull(limits) { try write(&batch) }
    }
  }

  /// Empties the buffer before writing, so a failed batch is not retried by every later call. Called under the
  /// buffer's lock, so batches reach the database in recording order.
  private func write(_ batch: inout PendingBatch) throws {
    guard !batch.isEmpty else { return }
    let full = batch
    batch = PendingBatch()
    try write(full)
    if let pause = Self.testPauseAfterBatch { Thread.sleep(forTimeInterval: pause) }
  }

  /// Seconds to sleep after each batch is committed, read from `AUDITOR_TEST_PAUSE_AFTER_BATCH` as the SQLite
  /// store does: lets the end-to-end tests kill a run while it is `running` with rows stored. Unset in normal use.
  private static let testPauseAfterBatch = ProcessInfo.processInfo.environment["AUDITOR_TEST_PAUSE_AFTER_BATCH"]
    .flatMap(TimeInterval.init)

  /// Writes a batch in one transaction: listings, findings, then input issues, each one statement over arrays,
  /// in recording order (`WITH ORDINALITY`), so ids keep that order as SQLite's do.
  private func write(_ batch: PendingBatch) throws {
    var listings: [String: PendingBatch.CheckedListing] = [:]
    var listingOrder: [String] = []
    var findings: [(Int64, Finding)] = []
    var issues: [(Int64, InputIssue)] = []
    for entry in batch.entries {
      switch entry {
      case .checked(let listing):
        // An upsert touches a row once per statement: the last record of a listing wins, as it would row by row.
        if listings.updateValue(listing, forKey: listing.listingID) == nil { listingOrder.append(listing.listingID) }
        findings += listing.findings.map { (listing.runID, $0) }
        issues += listing.issues.map { (listing.runID, $0) }
      case .issues(let runID, let loose):
        issues += loose.map { (runID, $0) }
      }
    }
    let rows = listingOrder.compactMap { listings[$0] }
    try session.transaction { query in
      if !rows.isEmpty {
        try query(
          """
          INSERT INTO listing (listing_id, content_hash, source, detail_page, first_seen_run, last_seen_run,
            last_checked_run)
          SELECT l, h, s, NULLIF(d, ''), r, r, r FROM unnest(\(rows.map(\.listingID))::text[],
            \(rows.map(\.contentHash))::text[], \(rows.map(\.source))::text[],
            \(rows.map { $0.detailPage ?? "" })::text[], \(rows.map(\.runID))::int8[])
            WITH ORDINALITY AS t(l, h, s, d, r, n) ORDER BY n
          ON CONFLICT (listing_id) DO UPDATE SET content_hash = EXCLUDED.content_hash, source = EXCLUDED.source,
            detail_page = EXCLUDED.detail_page, last_seen_run = EXCLUDED.last_seen_run,
            last_checked_run = EXCLUDED.last_checked_run
          """)
      }
      if !findings.isEmpty {
        let values = findings.map(\.1)
        try query(
          """
          INSERT INTO finding (run_id, listing_id, rule_id, area, severity, message, evidence, file, line, "column",
            scope, citation, fingerprint)
          SELECT r, l, ru, a, sv, m, e, f, li, c, sc, ci, fp FROM unnest(\(findings.map(\.0))::int8[],
            \(values.map(\.listingID))::text[], \(values.map(\.ruleID))::text[], \(values.map(\.area.rawValue))::text[],
            \(values.map(\.severity.rawValue))::text[], \(values.map(\.message))::text[],
            \(values.map(\.evidence))::text[], \(values.map(\.location.file))::text[],
            \(values.map(\.location.line))::int8[], \(values.map(\.location.column))::int8[],
            \(values.map(\.location.scope.rawValue))::text[], \(values.map(\.citation))::text[],
            \(values.map(\.fingerprint))::text[])
            WITH ORDINALITY AS t(r, l, ru, a, sv, m, e, f, li, c, sc, ci, fp, n) ORDER BY n
          """)
      }
      if !issues.isEmpty {
        let values = issues.map(\.1)
        try query(
          """
          INSERT INTO input_issue (run_id, kind, file, line, listing_id, message)
          SELECT r, k, f, l, NULLIF(i, ''), m FROM unnest(\(issues.map(\.0))::int8[],
            \(values.map(\.kind.rawValue))::text[], \(values.map(\.file))::text[], \(values.map(\.line))::int8[],
            \(values.map { $0.listingID ?? "" })::text[],
            \(values.map(\.message))::text[]) WITH ORDINALITY AS t(r, k, f, l, i, m, n) ORDER BY n
          """)
      }
    }
  }
}

/// What `record` has accepted and not yet written, behind a lock: any thread may record.
private final class PendingBuffer: @unchecked Sendable {
  private let lock = NSLock()
  private var batch = PendingBatch()

  func withLock<T>(_ body: (inout PendingBatch) throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body(&batch)
  }
}
