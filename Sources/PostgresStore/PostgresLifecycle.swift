import PostgresNIO

/// The review lifecycle's statements on PostgreSQL, the SQLite store's (`FindingsStore+Lifecycle.swift`) in
/// PostgreSQL's dialect: what `PostgresAuditStore.updateStatuses` runs after `auditor check`, and what the queue
/// runs in the transaction that marks a fleet run complete, so `findings` shows fixed and re-opened findings after
/// either.
enum PostgresLifecycle {
  /// Serialises the writers of `finding_status` (the lifecycle of two runs finishing together, a reviewer's
  /// `setStatus`): each locks many rows, and two of them locking overlapping rows in different orders deadlock.
  static let lock: PostgresQuery = "SELECT pg_advisory_xact_lock(7365023)"

  /// The statements that apply run `runID`'s findings to the lifecycle, in order, for one transaction. `today` is
  /// an ISO date (waivers whose `until` is before it re-open), `now` the ISO time of the decisions.
  static func updateStatuses(runID: Int64, today: String, now: String) -> [PostgresQuery] {
    // `$2` is `today` in the upsert.
    let lapsed = "(finding_status.status = 'waived' AND COALESCE(finding_status.until, '9999-12-31') < $2)"
    // Recorded as decisions by `auditor` first, while `finding_status` still says where each comes from.
    let reopened: PostgresQuery = """
      INSERT INTO decision (fingerprint, run_id, from_status, to_status, reason, until, decided_by, decided_at)
      SELECT fingerprint, \(runID), status, 'open',
        CASE WHEN status = 'fixed' THEN 'reported again' ELSE 'waiver expired ' || until END, NULL, 'auditor', \(now)
      FROM finding_status
      WHERE fingerprint IN (SELECT fingerprint FROM finding WHERE run_id = \(runID))
        AND (status = 'fixed' OR (status = 'waived' AND COALESCE(until, '9999-12-31') < \(today)))
      ORDER BY fingerprint
      """
    // New fingerprints open; known ones move their last run on, and re-open when they were fixed or their waiver
    // lapsed. `GREATEST`: runs may finish in another order than they started. SET sees the row as it was.
    let upserted = PostgresQuery(
      unsafeSQL: """
        INSERT INTO finding_status (fingerprint, status, first_run, last_run)
        SELECT DISTINCT fingerprint, 'open', $1::int8, $1::int8 FROM finding WHERE run_id = $1 ORDER BY fingerprint
        ON CONFLICT (fingerprint) DO UPDATE SET
          last_run = GREATEST(finding_status.last_run, $1::int8),
          reason = CASE WHEN finding_status.status = 'fixed' THEN 'reported again'
            WHEN \(lapsed) THEN 'waiver expired ' || finding_status.until ELSE finding_status.reason END,
          changed_by = CASE WHEN finding_status.status = 'fixed' OR \(lapsed) THEN 'auditor'
            ELSE finding_status.changed_by END,
          changed_at = CASE WHEN finding_status.status = 'fixed' OR \(lapsed) THEN $3
            ELSE finding_status.changed_at END,
          until = CASE WHEN \(lapsed) THEN NULL ELSE finding_status.until END,
          status = CASE WHEN finding_status.status = 'fixed' OR \(lapsed) THEN 'open' ELSE finding_status.status END
        """, binds: binds(runID, today, now))
    // Fingerprints of listings this run checked that it did not report again are fixed.
    let noLongerReported = """
      status != 'fixed' AND last_run < $1 AND fingerprint IN (
        SELECT finding.fingerprint FROM finding
        JOIN listing ON listing.listing_id = finding.listing_id
        WHERE listing.last_checked_run = $1)
      """
    let fixedDecisions = PostgresQuery(
      unsafeSQL: """
        INSERT INTO decision (fingerprint, run_id, from_status, to_status, reason, until, decided_by, decided_at)
        SELECT fingerprint, $1, status, 'fixed', 'no longer reported', NULL, 'auditor', $2
        FROM finding_status WHERE \(noLongerReported) ORDER BY fingerprint
        """, binds: binds(runID, now))
    let fixed = PostgresQuery(
      unsafeSQL: """
        UPDATE finding_status
        SET status = 'fixed', changed_by = 'auditor', changed_at = $2, reason = 'no longer reported', until = NULL
        WHERE \(noLongerReported)
        """, binds: binds(runID, now))
    return [lock, reopened, upserted, fixedDecisions, fixed]
  }

  private static func binds(_ runID: Int64, _ texts: String...) -> PostgresBindings {
    var binds = PostgresBindings()
    binds.append(runID)
    for text in texts { binds.append(text) }
    return binds
  }
}
