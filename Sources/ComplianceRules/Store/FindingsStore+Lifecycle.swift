import Foundation
import GRDB
import ListingParser

/// The review lifecycle: a status per fingerprint that outlives the run that prompted it.
///
/// After each run, `updateStatuses` opens new fingerprints, re-opens ones that were fixed and came back or whose
/// waiver lapsed, and marks fixed those of listings the run checked that it no longer reported. Reviewers change
/// statuses with `setStatus`.
///
/// Every change is a row of `decision`, which is only ever appended to: who, when, from what to what, why, until
/// when, on which run. `finding_status` is kept as a table, updated in the same transaction as each decision, rather
/// than derived by a view over `decision`: every run reads the hidden statuses before it starts and the lifecycle
/// updates hundreds of thousands of fingerprints in two set-based statements, which a "latest decision per
/// fingerprint" query would make a scan of the history each time; it also holds `first_run`/`last_run`, which are
/// not decisions.
/// A fingerprint without decisions is `open` (being reported is not a decision, so a new run adds no history).
extension FindingsStore {
  /// Applies the run's findings to the lifecycle. `today` is an ISO date (`2026-11-23`); waivers whose `until` is
  /// before it re-open.
  ///
  /// Set-based statements rather than a read and a write per fingerprint: a run can have hundreds of thousands.
  /// Each automatic change is recorded as a decision by `auditor` first, while `finding_status` still says where
  /// the fingerprint comes from.
  public func updateStatuses(runID: Int64, today: String) throws {
    try flush()
    let now = ISO8601DateFormatter().string(from: Date())
    try writer.write { db in
      try db.execute(
        sql: """
          INSERT INTO decision (fingerprint, run_id, from_status, to_status, reason, until, decided_by, decided_at)
          SELECT fingerprint, ?1, status, 'open',
            CASE WHEN status = 'fixed' THEN 'reported again' ELSE 'waiver expired ' || until END, NULL, 'auditor', ?3
          FROM finding_status
          WHERE fingerprint IN (SELECT fingerprint FROM finding WHERE run_id = ?1)
            AND (status = 'fixed' OR (status = 'waived' AND IFNULL(until, '9999-12-31') < ?2))
          ORDER BY fingerprint
          """, arguments: [runID, today, now])
      // New fingerprints open; known ones move their last run on, and re-open when they were fixed (reported
      // again) or their waiver lapsed. `WHERE true` resolves SQLite's INSERT … SELECT … ON CONFLICT ambiguity.
      // `MAX`: runs on one database may finish in another order than they started.
      try db.execute(
        sql: """
          INSERT INTO finding_status (fingerprint, status, first_run, last_run)
          SELECT DISTINCT fingerprint, 'open', ?1, ?1 FROM finding WHERE run_id = ?1 AND true
          ON CONFLICT (fingerprint) DO UPDATE SET
            last_run = MAX(last_run, ?1),
            reason = CASE
              WHEN status = 'fixed' THEN 'reported again'
              WHEN status = 'waived' AND IFNULL(until, '9999-12-31') < ?2 THEN 'waiver expired ' || until
              ELSE reason END,
            changed_by = CASE WHEN status = 'fixed' OR (status = 'waived' AND IFNULL(until, '9999-12-31') < ?2)
              THEN 'auditor' ELSE changed_by END,
            changed_at = CASE WHEN status = 'fixed' OR (status = 'waived' AND IFNULL(until, '9999-12-31') < ?2)
              THEN ?3 ELSE changed_at END,
            until = CASE WHEN status = 'waived' AND IFNULL(until, '9999-12-31') < ?2 THEN NULL ELSE until END,
            status = CASE WHEN status = 'fixed' OR (status = 'waived' AND IFNULL(until, '9999-12-31') < ?2)
              THEN 'open' ELSE status END
          """, arguments: [runID, today, now])
      // Fingerprints of listings this run checked that it did not report again are fixed.
      let noLongerReported = """
        status != 'fixed' AND last_run < ?2 AND fingerprint IN (
          SELECT finding.fingerprint FROM finding
          JOIN listing ON listing.listing_id = finding.listing_id
          WHERE listing.last_checked_run = ?2)
        """
      try db.execute(
        sql: """
          INSERT INTO decision (fingerprint, run_id, from_status, to_status, reason, until, decided_by, decided_at)
          SELECT fingerprint, ?2, status, 'fixed', 'no longer reported', NULL, 'auditor', ?1
          FROM finding_status WHERE \(noLongerReported) ORDER BY fingerprint
          """, arguments: [now, runID])
      try db.execute(
        sql: """
          UPDATE finding_status
          SET status = 'fixed', changed_by = 'auditor', changed_at = ?1, reason = 'no longer reported', until = NULL
          WHERE \(noLongerReported)
          """, arguments: [now, runID])
    }
  }

  /// Every fingerprint a reviewer has taken out of the report: accepted, false positive, or waived until a date not
  /// yet passed.
  public func hiddenStatuses(today: String) throws -> [String: FindingStatus] {
    try writer.read { db in
      var hidden: [String: FindingStatus] = [:]
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT fingerprint, status FROM finding_status
          WHERE status IN ('accepted', 'false_positive') OR (status = 'waived' AND IFNULL(until, '9999-12-31') >= ?)
          """, arguments: [today])
      while let row = try rows.next() {
        if let status = FindingStatus(rawValue: row[1]) { hidden[row[0]] = status }
      }
      return hidden
    }
  }

  /// Sets the status of the fingerprints that start with each of `prefixes` (at least 8 characters, as
  /// `auditor findings` prints them), recording each change as a decision on the last run that reported the
  /// fingerprint. Returns the fingerprints changed; throws when a prefix matches none or several.
  public func setStatus(
    _ prefixes: [String], to status: FindingStatus, reason: String?, until: String?, by user: String
  ) throws -> [String] {
    let now = ISO8601DateFormatter().string(from: Date())
    return try writer.write { db in
      var changed: [String] = []
      for prefix in prefixes {
        let current = try Self.statusRecord(prefix, db)
        try db.execute(
          sql: """
            INSERT INTO decision (fingerprint, run_id, from_status, to_status, reason, until, decided_by, decided_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [current.fingerprint, current.lastRun, current.status, status, reason, until, user, now])
        try db.execute(
          sql: "UPDATE finding_status SET status = ?, reason = ?, until = ?, changed_by = ?, changed_at = ? WHERE fingerprint = ?",
          arguments: [status.rawValue, reason, until, user, now, current.fingerprint])
        changed.append(current.fingerprint)
      }
      return changed
    }
  }

  /// The review history of the fingerprint that starts with `prefix` (8+ characters), newest first.
  public func history(of prefix: String) throws -> (fingerprint: String, decisions: [DecisionRecord]) {
    try writer.read { db in
      let fingerprint = try Self.statusRecord(prefix, db).fingerprint
      let decisions = try DecisionRecord
        .filter(DecisionRecord.Columns.fingerprint == fingerprint)
        .order(DecisionRecord.Columns.id.desc)
        .fetchAll(db)
      return (fingerprint, decisions)
    }
  }

  /// The status row of the one fingerprint that starts with `prefix`.
  private static func statusRecord(_ prefix: String, _ db: Database) throws -> FindingStatusRecord {
    let request = FindingStatusRecord.filter(sql: "fingerprint LIKE ? || '%'", arguments: [prefix.lowercased()])
    let matches = try request.limit(2).fetchAll(db)
    guard matches.count == 1, prefix.count >= 8 else {
      throw LifecycleError.ambiguousOrUnknown(prefix, matches: try request.fetchCount(db))
    }
    return matches[0]
  }

  /// Checks a waiver's `until` (`YYYY-MM-DD`) before it is stored: a real calendar date, not before `today`.
  public static func validateWaiverDate(_ until: String, today: String) throws {
    let parts = until.split(separator: "-", omittingEmptySubsequences: false)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    guard until.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil,
      DateComponents(year: Int(parts[0]), month: Int(parts[1]), day: Int(parts[2])).isValidDate(in: calendar)
    else { throw LifecycleError.invalidDate(until) }
    // ISO dates of the same shape order as text.
    guard until >= today else { throw LifecycleError.pastDate(until, today: today) }
  }

  /// The findings of a run with their review state.
  public func reviewedFindings(runID: Int64) throws -> [ReviewedFinding] {
    let findings = try findings(runID: runID)
    return try writer.read { db in
      try findings.map { finding in
        let record = try FindingStatusRecord.fetchOne(db, key: finding.fingerprint)
        return ReviewedFinding(
          finding: finding, status: record?.status ?? .open, reason: record?.reason, until: record?.until,
          changedBy: record?.changedBy, changedAt: record?.changedAt)
      }
    }
  }

  /// Fingerprints that are fixed: reported once, no longer reported by a run that checked their listing.
  public func fixedFindings() throws -> [FindingStatusRecord] {
    try writer.read { db in
      try FindingStatusRecord.filter(FindingStatusRecord.Columns.status == FindingStatus.fixed.rawValue).fetchAll(db)
    }
  }
}

public enum LifecycleError: Error, CustomStringConvertible {
  case ambiguousOrUnknown(String, matches: Int)
  /// Not a date of the calendar (`2027-02-31`) or not `YYYY-MM-DD`.
  case invalidDate(String)
  /// A waiver that would have lapsed already.
  case pastDate(String, today: String)

  public var description: String {
    switch self {
    case .ambiguousOrUnknown(let prefix, let matches):
      matches == 0
        ? "no finding has an id starting with '\(prefix)' (see `auditor findings`)"
        : "'\(prefix)' matches \(matches) findings: give at least 8 characters of the id"
    case .invalidDate(let date):
      "--until '\(date)' is not a date: give YYYY-MM-DD, e.g. 2026-12-31"
    case .pastDate(let date, let today):
      "--until \(date) is in the past (today is \(today)): a waiver must end today or later"
    }
  }
}
