import ComplianceRules
import Foundation
import PostgresNIO

/// The review lifecycle, as the SQLite store's (`FindingsStore+Lifecycle.swift`): `finding_status` holds each
/// fingerprint's current status, `decision` every change, appended in the same transaction. Writers of
/// `finding_status` take `PostgresLifecycle.lock` first.
extension PostgresAuditStore {
  public func updateStatuses(runID: Int64, today: String) throws {
    try flush()
    let statements = PostgresLifecycle.updateStatuses(runID: runID, today: today, now: PostgresQueue.now())
    try session.transaction { query in
      for statement in statements { try query(statement) }
    }
  }

  public func hiddenStatuses(today: String) throws -> [String: FindingStatus] {
    var hidden: [String: FindingStatus] = [:]
    for row in try session.query(
      """
      SELECT fingerprint, status FROM finding_status
      WHERE status IN ('accepted', 'false_positive')
        OR (status = 'waived' AND COALESCE(until, '9999-12-31') >= \(today))
      """)
    {
      let (fingerprint, status) = try row.decode((String, String).self)
      if let status = FindingStatus(rawValue: status) { hidden[fingerprint] = status }
    }
    return hidden
  }

  public func setStatus(
    _ prefixes: [String], to status: FindingStatus, reason: String?, until: String?, by user: String
  ) throws -> [String] {
    let now = PostgresQueue.now()
    return try session.transaction { query in
      try query(PostgresLifecycle.lock)
      var changed: [String] = []
      for prefix in prefixes {
        let current = try Self.statusRecord(prefix, query)
        try query(
          """
          INSERT INTO decision (fingerprint, run_id, from_status, to_status, reason, until, decided_by, decided_at)
          VALUES (\(current.fingerprint), \(current.lastRun), \(current.status.rawValue), \(status.rawValue),
            \(reason), \(until), \(user), \(now))
          """)
        try query(
          """
          UPDATE finding_status SET status = \(status.rawValue), reason = \(reason), until = \(until),
            changed_by = \(user), changed_at = \(now)
          WHERE fingerprint = \(current.fingerprint)
          """)
        changed.append(current.fingerprint)
      }
      return changed
    }
  }

  public func history(of prefix: String) throws -> (fingerprint: String, decisions: [DecisionRecord]) {
    try session.transaction { query in
      let fingerprint = try Self.statusRecord(prefix, query).fingerprint
      let decisions = try query(
        """
        SELECT id, run_id, from_status, to_status, reason, until, decided_by, decided_at FROM decision
        WHERE fingerprint = \(fingerprint) ORDER BY id DESC
        """
      ).map { row in
        let (id, runID, from, to, reason, until, decidedBy, decidedAt) = try row.decode(
          (Int64, Int64, String?, String, String?, String?, String, String).self)
        return DecisionRecord(
          id: id, fingerprint: fingerprint, runID: runID, fromStatus: from.flatMap(FindingStatus.init(rawValue:)),
          toStatus: FindingStatus(rawValue: to) ?? .open, reason: reason, until: until, decidedBy: decidedBy,
          decidedAt: decidedAt)
      }
      return (fingerprint, decisions)
    }
  }

  public func findingStatus(fingerprint: String) throws -> FindingStatusRecord? {
    try session.query("SELECT \(unescaped: Self.statusColumns) FROM finding_status WHERE fingerprint = \(fingerprint)")
      .first.map(Self.statusRecord)
  }

  public func reviewedFindings(runID: Int64) throws -> [ReviewedFinding] {
    let findings = try findings(runID: runID)
    let fingerprints = Array(Set(findings.map(\.fingerprint)))
    let records = try session.query(
      """
      SELECT \(unescaped: Self.statusColumns) FROM finding_status WHERE fingerprint = ANY(\(fingerprints)::text[])
      """
    ).map(Self.statusRecord)
    let byFingerprint = Dictionary(records.map { ($0.fingerprint, $0) }) { first, _ in first }
    return findings.map { finding in
      let record = byFingerprint[finding.fingerprint]
      return ReviewedFinding(
        finding: finding, status: record?.status ?? .open, reason: record?.reason, until: record?.until,
        changedBy: record?.changedBy, changedAt: record?.changedAt)
    }
  }

  public func fixedFindings() throws -> [FindingStatusRecord] {
    try session.query(
      """
      SELECT \(unescaped: Self.statusColumns) FROM finding_status WHERE status = 'fixed'
      ORDER BY fingerprint COLLATE "C"
      """
    ).map(Self.statusRecord)
  }

  private static let statusColumns = "fingerprint, status, reason, until, changed_by, changed_at, first_run, last_run"

  private static func statusRecord(_ row: PostgresRow) throws -> FindingStatusRecord {
    let (fingerprint, status, reason, until, changedBy, changedAt, firstRun, lastRun) = try row.decode(
      (String, String, String?, String?, String?, String?, Int64, Int64).self)
    return FindingStatusRecord(
      fingerprint: fingerprint, status: FindingStatus(rawValue: status) ?? .open, reason: reason, until: until,
      changedBy: changedBy, changedAt: changedAt, firstRun: firstRun, lastRun: lastRun)
  }

  /// The status row of the one fingerprint that starts with `prefix` (8+ characters, any case), as the SQLite
  /// store finds it.
  private static func statusRecord(
    _ prefix: String, _ query: PostgresSession.Transaction
  ) throws -> FindingStatusRecord {
    let matches = try query(
      """
      SELECT \(unescaped: statusColumns) FROM finding_status
      WHERE starts_with(lower(fingerprint), \(prefix.lowercased())) LIMIT 2
      """
    ).map(statusRecord)
    guard matches.count == 1, prefix.count >= 8 else {
      let count = try query(
        "SELECT count(*) FROM finding_status WHERE starts_with(lower(fingerprint), \(prefix.lowercased()))"
      ).first?.decode(Int.self) ?? 0
      throw LifecycleError.ambiguousOrUnknown(prefix, matches: count)
    }
    return matches[0]
  }
}
