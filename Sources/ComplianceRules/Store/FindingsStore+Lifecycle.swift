import Foundation
import GRDB
import ListingParser

/// The review lifecycle: a status per fingerprint that outlives the run that prompted it.
///
/// After each run, `updateStatuses` opens new fingerprints, re-opens ones that were fixed and came back or whose
/// waiver lapsed, and marks fixed those of listings the run checked that it no longer reported. Reviewers change
/// statuses with `setStatus`; who and when are recorded.
extension FindingsStore {
  /// A finding with its review state, for `auditor findings`.
  public struct ReviewedFinding: Sendable {
    public var finding: Finding
    public var status: FindingStatus
    public var reason: String?
    public var until: String?
    public var changedBy: String?
    public var changedAt: String?
  }

  /// Applies the run's findings to the lifecycle. `today` is an ISO date (`2026-11-23`); waivers whose `until` is
  /// before it re-open.
  ///
  /// Two set-based statements rather than a read and a write per fingerprint: a run can have hundreds of thousands.
  public func updateStatuses(runID: Int64, today: String) throws {
    try flush()
    let now = ISO8601DateFormatter().string(from: Date())
    try writer.write { db in
      // New fingerprints open; known ones move their last run on, and re-open when they were fixed (reported
      // again) or their waiver lapsed. `WHERE true` resolves SQLite's INSERT … SELECT … ON CONFLICT ambiguity.
      try db.execute(
        sql: """
          INSERT INTO finding_status (fingerprint, status, first_run, last_run)
          SELECT DISTINCT fingerprint, 'open', ?1, ?1 FROM finding WHERE run_id = ?1 AND true
          ON CONFLICT (fingerprint) DO UPDATE SET
            last_run = ?1,
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
      try db.execute(
        sql: """
          UPDATE finding_status SET status = 'fixed', changed_by = 'auditor', changed_at = ?, reason = 'no longer reported'
          WHERE status != 'fixed' AND last_run < ? AND fingerprint IN (
            SELECT finding.fingerprint FROM finding
            JOIN listing ON listing.listing_id = finding.listing_id
            WHERE listing.last_checked_run = ?)
          """, arguments: [now, runID, runID])
    }
  }

  /// Of `fingerprints`, those a reviewer has taken out of the report: accepted, false positive, or waived until a
  /// date not yet passed. Asked per batch, so a run can report as it goes.
  public func hiddenStatuses(fingerprints: [String], today: String) throws -> [String: FindingStatus] {
    guard !fingerprints.isEmpty else { return [:] }
    let list = String(decoding: try JSONEncoder().encode(fingerprints), as: UTF8.self)
    return try writer.read { db in
      var hidden: [String: FindingStatus] = [:]
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT fingerprint, status FROM finding_status
          WHERE fingerprint IN (SELECT value FROM json_each(?))
            AND (status IN ('accepted', 'false_positive') OR (status = 'waived' AND IFNULL(until, '9999-12-31') >= ?))
          """, arguments: [list, today])
      while let row = try rows.next() {
        if let status = FindingStatus(rawValue: row[1]) { hidden[row[0]] = status }
      }
      return hidden
    }
  }

  /// Sets the status of the fingerprints that start with each of `prefixes` (at least 8 characters, as
  /// `auditor findings` prints them). Returns the fingerprints changed; throws when a prefix matches none or several.
  public func setStatus(
    _ prefixes: [String], to status: FindingStatus, reason: String?, until: String?, by user: String
  ) throws -> [String] {
    let now = ISO8601DateFormatter().string(from: Date())
    return try writer.write { db in
      var changed: [String] = []
      for prefix in prefixes {
        let matches = try String.fetchAll(
          db, sql: "SELECT fingerprint FROM finding_status WHERE fingerprint LIKE ? || '%'", arguments: [prefix.lowercased()])
        guard matches.count == 1, prefix.count >= 8 else {
          throw LifecycleError.ambiguousOrUnknown(prefix, matches: matches.count)
        }
        try db.execute(
          sql: "UPDATE finding_status SET status = ?, reason = ?, until = ?, changed_by = ?, changed_at = ? WHERE fingerprint = ?",
          arguments: [status.rawValue, reason, until, user, now, matches[0]])
        changed.append(matches[0])
      }
      return changed
    }
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

  public var description: String {
    switch self {
    case .ambiguousOrUnknown(let prefix, let matches):
      matches == 0
        ? "no finding has an id starting with '\(prefix)' (see `auditor findings`)"
        : "'\(prefix)' matches \(matches) findings: give at least 8 characters of the id"
    }
  }
}
