import ComplianceRules
import Foundation
import ListingParser
import PostgresNIO

/// Leases: claim, renew, finish (fenced by the lease token), release, rescue. The protocol follows the queues that
/// got it right after getting it wrong (River, Solid Queue): claim in a short transaction, work outside any, and
/// finish with a compare-and-set on the lease token in the transaction that writes the results.
extension PostgresQueue {
  public func claim(worker: String, limit: Int, lease: Duration) async throws -> ClaimedBatch? {
    let token = UUID()
    let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
    let jobs = try await transaction { db in
      // Fresh jobs a batch at a time; a job retried after its lease expired alone (it may be what killed the last
      // worker that took it).
      var claimed = try await claim(db, token: token, worker: worker, seconds: seconds, limit: limit, retried: false)
      if claimed.isEmpty {
        claimed = try await claim(db, token: token, worker: worker, seconds: seconds, limit: 1, retried: true)
      }
      return claimed
    }
    guard !jobs.isEmpty else { return nil }
    return ClaimedBatch(worker: worker, token: token, jobs: jobs.sorted { $0.id < $1.id })
  }

  private func claim(
    _ db: PostgresConnection, token: UUID, worker: String, seconds: Double, limit: Int, retried: Bool
  ) async throws -> [ClaimedJob] {
    let rows = try await db.query(
      """
      WITH c AS (
        SELECT id FROM job WHERE state = 'pending' AND (attempts > 0) = \(retried) ORDER BY id LIMIT \(limit)
        FOR UPDATE SKIP LOCKED)
      UPDATE job SET state = 'leased', attempts = attempts + 1, lease_owner = \(worker), lease_token = \(token),
        lease_expires_at = now() + make_interval(secs => \(seconds))
      FROM c WHERE job.id = c.id
      RETURNING job.id, job.run_id, job.listing_id, job.record_file, job.record_line, job.record, job.record_column,
        job.record_format, job.page_path, job.page, job.page_issues, job.attempts
      """, logger: logger)
    var jobs: [ClaimedJob] = []
    typealias Row = (Int64, Int64, String, String, Int, ByteBuffer, Int, String, String, ByteBuffer?, String, Int)
    for try await (id, runID, listingID, file, line, record, column, format, path, page, issues, attempt)
      in rows.decode(Row.self)
    {
      let pageIssues = (try? JSONDecoder().decode([InputIssue].self, from: Data(issues.utf8))) ?? []
      jobs.append(
        ClaimedJob(
          id: id, runID: runID, listingID: listingID, file: file, line: line,
          record: RawRecord(
            bytes: Array(record.readableBytesView), column: column,
            format: RawRecord.Format(rawValue: format) ?? .json),
          pagePath: path, page: page.map { Array($0.readableBytesView) }, pageIssues: pageIssues, attempt: attempt))
    }
    return jobs
  }

  public func renew(_ batch: ClaimedBatch, lease: Duration) async throws -> Bool {
    let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
    return try await transaction { db in
      try await db.query("UPDATE worker SET heartbeat_at = now() WHERE id = \(batch.worker)", logger: logger)
      var renewed = 0
      for try await count in try await db.query(
        """
        WITH r AS (UPDATE job SET lease_expires_at = now() + make_interval(secs => \(seconds))
          WHERE lease_token = \(batch.token) AND state = 'leased' RETURNING 1)
        SELECT count(*) FROM r
        """, logger: logger
      ).decode(Int.self) {
        renewed = count
      }
      return renewed > 0
    }
  }

  public func finish(_ batch: ClaimedBatch, results: [Int64: ListingResult]) async throws -> [Int64] {
    let ids = results.keys.sorted()
    let runs = Dictionary(uniqueKeysWithValues: batch.jobs.map { ($0.id, $0.runID) })
    let accepted = try await transaction { db in
      // The fence: only jobs still leased under this batch's token become done; the rest were taken back.
      var accepted: [Int64] = []
      for try await id in try await db.query(
        """
        UPDATE job SET state = 'done', finished_at = now(), lease_token = NULL, lease_expires_at = NULL,
          last_error = NULL, suppressed = t.suppressed
        FROM unnest(\(ids)::int8[], \(ids.map { results[$0]!.suppressed })::int8[]) AS t(id, suppressed)
        WHERE job.id = t.id AND job.state = 'leased' AND job.lease_token = \(batch.token)
        RETURNING job.id
        """, logger: logger
      ).decode(Int64.self) {
        accepted.append(id)
      }
      let kept = accepted.sorted().map { ($0, runs[$0]!, results[$0]!) }
      try await writeFindings(kept, db)
      let issues = kept.flatMap { job in job.2.issues.map { (job.1, $0) } }
      try await Self.insert(issues: issues.map(\.1), runIDs: issues.map(\.0), db, logger)
      try await upsertListings(kept, db)
      return accepted
    }
    try await completeRuns(Array(Set(accepted.compactMap { runs[$0] })))
    return ids.filter { !accepted.contains($0) }
  }

  private func writeFindings(_ jobs: [(Int64, Int64, ListingResult)], _ db: PostgresConnection) async throws {
    let rows = jobs.flatMap { job in job.2.findings.map { (job.0, job.1, $0) } }
    guard !rows.isEmpty else { return }
    let findings = rows.map(\.2)
    try await db.query(
      """
      INSERT INTO finding (job_id, run_id, listing_id, rule_id, area, severity, message, evidence, file, line,
        "column", scope, citation, fingerprint)
      SELECT * FROM unnest(\(rows.map(\.0))::int8[], \(rows.map(\.1))::int8[], \(findings.map(\.listingID))::text[],
        \(findings.map(\.ruleID))::text[], \(findings.map(\.area.rawValue))::text[],
        \(findings.map(\.severity.rawValue))::text[], \(findings.map(\.message))::text[],
        \(findings.map(\.evidence))::text[], \(findings.map(\.location.file))::text[],
        \(findings.map(\.location.line))::int8[], \(findings.map(\.location.column))::int8[],
        \(findings.map(\.location.scope.rawValue))::text[], \(findings.map(\.citation))::text[],
        \(findings.map(\.fingerprint))::text[])
      """, logger: logger)
  }

  /// The `listing` rows, as the SQLite store keeps them. Sorted by listing id, so two workers upserting the same
  /// listings (two runs of one feed) lock them in the same order and cannot deadlock.
  private func upsertListings(_ jobs: [(Int64, Int64, ListingResult)], _ db: PostgresConnection) async throws {
    // One row per listing: a batch may hold the same listing from two runs of one feed (the newer run's wins), and
    // an upsert cannot touch a row twice.
    let newest = Dictionary(jobs.map { ($0.2.listing.id, $0) }) { $0.1 >= $1.1 ? $0 : $1 }
    let rows = newest.values.sorted { $0.2.listing.id < $1.2.listing.id }
    guard !rows.isEmpty else { return }
    let listings = rows.map(\.2.listing)
    try await db.query(
      """
      INSERT INTO listing (listing_id, content_hash, source, detail_page, first_seen_run, last_seen_run,
        last_checked_run)
      SELECT l, h, s, NULLIF(d, ''), r, r, r FROM unnest(\(listings.map(\.id))::text[],
        \(rows.map(\.2.contentHash))::text[], \(listings.map { "\($0.source.file):\($0.source.line)" })::text[],
        \(listings.map { $0.detailPage ?? "" })::text[], \(rows.map(\.1))::int8[]) AS t(l, h, s, d, r)
      ON CONFLICT (listing_id) DO UPDATE SET content_hash = EXCLUDED.content_hash, source = EXCLUDED.source,
        detail_page = EXCLUDED.detail_page, last_seen_run = GREATEST(listing.last_seen_run, EXCLUDED.last_seen_run),
        last_checked_run = GREATEST(listing.last_checked_run, EXCLUDED.last_checked_run)
      """, logger: logger)
  }

  public func release(_ batch: ClaimedBatch, jobIDs: [Int64]) async throws {
    guard !jobIDs.isEmpty else { return }
    try await transaction { db in
      try await db.query(
        """
        UPDATE job SET state = 'pending', attempts = attempts - 1, lease_owner = NULL, lease_token = NULL,
          lease_expires_at = NULL
        WHERE id = ANY(\(jobIDs)::int8[]) AND state = 'leased' AND lease_token = \(batch.token)
        """, logger: logger)
      try await db.query("SELECT pg_notify(\(Self.channel), '')", logger: logger)
    }
  }

  public func rescueExpired() async throws -> Int {
    let (count, runs) = try await transaction { db in
      // One statement: the WHERE is checked again on each locked row, so a job its worker finished meanwhile is
      // left alone (River's rescuer overwrote such jobs when it fetched first and updated after).
      let rows = try await db.query(
        """
        WITH expired AS (
          UPDATE job SET state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
            finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
            last_error = 'the lease of worker ' || lease_owner || ' expired on attempt ' || attempts
              || ' (the worker stopped, crashed or stalled while checking)',
            lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
          WHERE state = 'leased' AND lease_expires_at < now()
          RETURNING id, run_id, state, listing_id, record_file, record_line, attempts, last_error),
        failed AS (
          INSERT INTO input_issue (run_id, kind, file, line, listing_id, message)
          SELECT run_id, 'job_failed', record_file, record_line, listing_id,
            'checking the listing failed ' || attempts || ' times, the last: ' || last_error
              || ' — the listing is given up; its page may crash or hang the checker'
          FROM expired WHERE state = 'failed' ORDER BY id)
        SELECT run_id, state FROM expired
        """, logger: logger)
      var count = 0
      var runs: Set<Int64> = []
      for try await (runID, state) in rows.decode((Int64, String).self) {
        count += 1
        if state == "failed" { runs.insert(runID) }
      }
      if count > 0 { try await db.query("SELECT pg_notify(\(Self.channel), '')", logger: logger) }
      return (count, runs)
    }
    try await completeRuns(Array(runs))
    return count
  }

  public func hasUnfinishedJobs() async throws -> Bool {
    for try await unfinished in try await connection.query(
      "SELECT EXISTS (SELECT 1 FROM job WHERE state IN ('pending', 'leased'))", logger: logger
    ).decode(Bool.self) {
      return unfinished
    }
    return false
  }
}
