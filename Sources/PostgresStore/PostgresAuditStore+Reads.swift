import ComplianceRules
import Foundation
import ListingParser
import PostgresNIO

/// Reads, as the SQLite store's (`FindingsStore+Queries.swift`). Each writes the buffer first, so it sees
/// everything recorded so far. Text sort keys use `COLLATE "C"` (byte order), as SQLite compares text, so both
/// stores list findings in one order whatever the server's locale.
extension PostgresAuditStore {
  public func runs() throws -> [RunRecord] {
    try flush()
    let rows = try session.query(
      PostgresQuery(
        unsafeSQL: """
          SELECT id, started_at, finished_at, tool_version, feeds, options, listings_checked, listings_skipped,
            findings_count, input_issues_count, exit_code, \(Self.visibleState)
          FROM run ORDER BY id
          """))
    let dates = ISO8601DateFormatter()
    let decoder = JSONDecoder()
    return try rows.map { row in
      let (id, started, finished, toolVersion, feeds, options, checked, skipped, findings, issues, exitCode, state) =
        try row.decode((Int64, String, String?, String, String, String, Int, Int, Int, Int, Int32?, String).self)
      return RunRecord(
        id: id, startedAt: dates.date(from: started) ?? Date(timeIntervalSince1970: 0),
        finishedAt: finished.flatMap(dates.date(from:)), toolVersion: toolVersion,
        feeds: try decoder.decode([String].self, from: Data(feeds.utf8)),
        options: try decoder.decode([String: String].self, from: Data(options.utf8)), listingsChecked: checked,
        listingsSkipped: skipped, findingsCount: findings, inputIssuesCount: issues, exitCode: exitCode,
        state: RunState(rawValue: state) ?? .incomplete)
    }
  }

  public func completeRunIDs() throws -> [Int64] {
    try flush()
    return try session.query("SELECT id FROM run WHERE state = 'complete' ORDER BY id").map {
      try $0.decode(Int64.self)
    }
  }

  public func lastCompleteRunID() throws -> Int64? {
    try flush()
    return try session.query("SELECT MAX(id) FROM run WHERE state = 'complete'").first?.decode(Int64?.self)
  }

  public func listing(id: String) throws -> ListingRecord? {
    try flush()
    return try session.query(
      """
      SELECT listing_id, content_hash, source, detail_page, first_seen_run, last_seen_run, last_checked_run
      FROM listing WHERE listing_id = \(id)
      """
    ).first.map { row in
      let (id, hash, source, page, first, seen, checked) = try row.decode(
        (String, String, String, String?, Int64, Int64, Int64).self)
      return ListingRecord(
        listingID: id, contentHash: hash, source: source, detailPage: page, firstSeenRun: first, lastSeenRun: seen,
        lastCheckedRun: checked)
    }
  }

  public func previousContentHashes() throws -> [String: String] {
    try flush()
    var hashes: [String: String] = [:]
    for row in try session.query(
      """
      SELECT listing_id, content_hash FROM listing
      JOIN run ON run.id = listing.last_checked_run AND run.state = 'complete'
      """)
    {
      let (id, hash) = try row.decode((String, String).self)
      hashes[id] = hash
    }
    return hashes
  }

  public func lastCheckedFindings(listingIDs: [String]) throws -> [String: [Finding]] {
    guard !listingIDs.isEmpty else { return [:] }
    try flush()
    let findings = try Self.findings(
      session.query(
        """
        SELECT \(unescaped: Self.findingColumns) FROM finding
        JOIN listing ON listing.listing_id = finding.listing_id AND listing.last_checked_run = finding.run_id
        JOIN run ON run.id = finding.run_id AND run.state = 'complete'
        WHERE finding.listing_id = ANY(\(listingIDs)::text[])
        ORDER BY finding.id
        """))
    return Dictionary(grouping: findings, by: \.listingID)
  }

  public func findings(runID: Int64) throws -> [Finding] {
    try flush()
    return try Self.findings(
      session.query(
        """
        SELECT \(unescaped: Self.findingColumns) FROM finding WHERE run_id = \(runID)
        ORDER BY listing_id COLLATE "C", file COLLATE "C", line, "column", rule_id COLLATE "C", id
        """))
  }

  public func inputIssues(runID: Int64) throws -> [InputIssue] {
    try flush()
    return try session.query(
      "SELECT kind, file, line, listing_id, message FROM input_issue WHERE run_id = \(runID) ORDER BY id"
    ).map { row in
      let (kind, file, line, listingID, message) = try row.decode((String, String, Int, String?, String).self)
      guard let kind = InputIssue.Kind(rawValue: kind) else {
        throw PostgresStoreError("run \(runID) holds an input issue of kind \(kind): a newer auditor?")
      }
      return InputIssue(kind: kind, file: file, line: line, listingID: listingID, message: message)
    }
  }

  /// The columns `findings(_:)` decodes, in its order.
  static let findingColumns = """
    finding.listing_id, finding.rule_id, finding.area, finding.severity, finding.message, finding.evidence,
    finding.file, finding.line, finding."column", finding.scope, finding.citation, finding.fingerprint
    """

  static func findings(_ rows: [PostgresRow]) throws -> [Finding] {
    try rows.map { row in
      let (listingID, ruleID, area, severity, message, evidence, file, line, column, scope, citation, fingerprint) =
        try row.decode(
          (String, String, String, String, String, String, String, Int, Int, String, String, String).self)
      guard let area = Area(rawValue: area), let severity = Severity(rawValue: severity) else {
        throw PostgresStoreError("a finding of area \(area), severity \(severity): written by a newer auditor?")
      }
      return Finding(
        listingID: listingID, ruleID: ruleID, area: area, severity: severity, message: message, evidence: evidence,
        location: SourceLocation(file: file, line: line, column: column, scope: Scope(scope)), citation: citation,
        fingerprint: fingerprint)
    }
  }
}
