import ComplianceRules
import Foundation
import ListingParser
import PostgresNIO

/// What `auditor runs` and `auditor report` read.
extension PostgresQueue {
  public func queueRuns() async throws -> [QueueRunStatus] {
    let rows = try await connection.query(
      """
      SELECT run.id, \(unescaped: PostgresAuditStore.visibleState), run.started_at, run.finished_at, run.feeds,
        count(job.id) FILTER (WHERE job.state = 'pending'), count(job.id) FILTER (WHERE job.state = 'leased'),
        count(job.id) FILTER (WHERE job.state = 'done'), count(job.id) FILTER (WHERE job.state = 'failed'),
        (SELECT count(*) FROM finding WHERE finding.run_id = run.id),
        (SELECT count(*) FROM input_issue WHERE input_issue.run_id = run.id),
        COALESCE(string_agg(DISTINCT job.lease_owner, ' '), '')
      FROM run LEFT JOIN job ON job.run_id = run.id GROUP BY run.id ORDER BY run.id
      """, logger: logger)
    var runs: [QueueRunStatus] = []
    for try await row in rows.decode(
      (Int64, String, String, String?, String, Int, Int, Int, Int, Int, Int, String).self)
    {
      let feeds = (try? JSONDecoder().decode([String].self, from: Data(row.4.utf8))) ?? []
      runs.append(
        QueueRunStatus(
          id: row.0, state: row.1, startedAt: row.2, finishedAt: row.3, feeds: feeds, pending: row.5, leased: row.6,
          done: row.7, failed: row.8, findings: row.9, inputIssues: row.10,
          workers: row.11.split(separator: " ").map(String.init)))
    }
    return runs
  }

  public func storedRun(_ requested: Int64?) async throws -> StoredRun {
    var runID = requested
    if runID == nil {
      for try await id in try await connection.query(
        "SELECT MAX(id) FROM run WHERE state = 'complete'", logger: logger
      ).decode(Int64?.self) {
        runID = id
      }
    }
    guard let runID else { throw PostgresStoreError("no complete run in \(url)") }
    var found: (String, String?, String, String, String, Bool, Int, Int)?
    for try await row in try await connection.query(
      """
      SELECT started_at, finished_at, tool_version, feeds, options, owner_lock, listings_checked, listings_skipped
      FROM run WHERE id = \(runID)
      """, logger: logger
    ).decode((String, String?, String, String, String, Bool, Int, Int).self) {
      found = row
    }
    // A run `auditor check` wrote (one process, no jobs) is read as the SQLite store reads its runs.
    guard let (started, finished, toolVersion, feedsJSON, optionsJSON, singleProcess, checkedCount, skipped) = found
    else {
      throw PostgresStoreError("no run \(runID) in \(url)")
    }
    let dates = ISO8601DateFormatter()
    let feeds = (try? JSONDecoder().decode([String].self, from: Data(feedsJSON.utf8))) ?? []
    let options = (try? JSONDecoder().decode([String: String].self, from: Data(optionsJSON.utf8))) ?? [:]
    // Findings in feed order (the job's place in its feed), then in the order the checker reported them.
    var findings: [Finding] = []
    for try await row in try await connection.query(
      """
      SELECT f.listing_id, f.rule_id, f.area, f.severity, f.message, f.evidence, f.file, f.line, f."column", f.scope,
        f.citation, f.fingerprint
      FROM finding f LEFT JOIN job j ON j.id = f.job_id WHERE f.run_id = \(runID) ORDER BY j.seq, f.id
      """, logger: logger
    ).decode((String, String, String, String, String, String, String, Int, Int, String, String, String).self) {
      guard let area = Area(rawValue: row.2), let severity = Severity(rawValue: row.3) else {
        throw PostgresStoreError("run \(runID) holds a finding of area \(row.2), severity \(row.3): a newer auditor?")
      }
      findings.append(
        Finding(
          listingID: row.0, ruleID: row.1, area: area, severity: severity, message: row.4, evidence: row.5,
          location: SourceLocation(file: row.6, line: row.7, column: row.8, scope: Scope(row.9)), citation: row.10,
          fingerprint: row.11))
    }
    let hidden = try await hiddenFingerprints(findings.map(\.fingerprint))
    let shown = findings.filter { !hidden.contains($0.fingerprint) }
    var issues: [InputIssue] = []
    // Issues by their place in the feeds (feed issues and listing issues interleave as the feed has them).
    for try await row in try await connection.query(
      """
      SELECT kind, file, line, listing_id, message FROM input_issue WHERE run_id = \(runID)
      ORDER BY CASE WHEN \(singleProcess) THEN 0 ELSE array_position(\(feeds)::text[], file) END,
        CASE WHEN \(singleProcess) THEN 0 ELSE line END, id
      """, logger: logger
    ).decode((String, String, Int, String?, String).self) {
      issues.append(
        InputIssue(
          kind: InputIssue.Kind(rawValue: row.0) ?? .malformedRecord, file: row.1, line: row.2, listingID: row.3,
          message: row.4))
    }
    var checked: [String] = []
    var suppressed = 0
    for try await (listingID, count) in try await connection.query(
      singleProcess
        ? "SELECT listing_id, 0 FROM listing WHERE last_checked_run = \(runID) ORDER BY seq"
        : "SELECT listing_id, suppressed FROM job WHERE run_id = \(runID) AND state = 'done' ORDER BY seq",
      logger: logger
    ).decode((String, Int).self) {
      checked.append(listingID)
      suppressed += count
    }
    let startedAt = dates.date(from: started) ?? Date()
    var summary = AuditSummary(
      runID: runID, feeds: feeds, startedAt: startedAt, finishedAt: finished.flatMap(dates.date(from:)) ?? startedAt,
      listingsChecked: singleProcess ? checkedCount : checked.count, listingsSkipped: skipped, findings: shown,
      issues: issues, checkedListings: checked, toolVersion: toolVersion)
    summary.suppressed = suppressed
    summary.reviewed = findings.count - shown.count
    return StoredRun(summary: summary, options: options)
  }

  /// Of `fingerprints`, those a reviewer took out of reports (accepted, false positive, a waiver not yet lapsed),
  /// as the SQLite store's `hiddenStatuses` says.
  private func hiddenFingerprints(_ fingerprints: [String]) async throws -> Set<String> {
    guard !fingerprints.isEmpty else { return [] }
    var hidden: Set<String> = []
    for try await fingerprint in try await connection.query(
      """
      SELECT fingerprint FROM finding_status WHERE fingerprint = ANY(\(fingerprints)::text[])
        AND (status IN ('accepted', 'false_positive') OR (status = 'waived' AND COALESCE(until, '9999-12-31') >= \(
          AuditRun.today())))
      """, logger: logger
    ).decode(String.self) {
      hidden.insert(fingerprint)
    }
    return hidden
  }
}
