import Foundation
import GRDB
import ListingParser

/// Reads for tests, the incremental mode and later commands. Each writes the buffer first, so it sees everything
/// recorded so far.
///
/// "The last run" and what an incremental run builds on are complete runs only: a running or incomplete run has
/// stored part of its findings. Reads by run id take any run.
extension FindingsStore {
  /// All runs, oldest first. A run still `running` in the database whose process is gone is shown `incomplete`,
  /// as the next writer to open the database will mark it; a read-only database never gets that writer.
  public func runs() throws -> [RunRecord] {
    try flush()
    let runs = try writer.read { db in try RunRecord.order(RunRecord.Columns.id).fetchAll(db) }
    guard let path else { return runs }
    return runs.map { run in
      guard run.state == .running, let id = run.id, RunLock.isAbandoned(database: path, runID: id) else { return run }
      var abandoned = run
      abandoned.state = .incomplete
      return abandoned
    }
  }

  /// The ids of the complete runs, oldest first.
  public func completeRunIDs() throws -> [Int64] {
    try flush()
    return try writer.read { db in
      try Int64.fetchAll(
        db, sql: "SELECT id FROM run WHERE state = ? ORDER BY id", arguments: [RunState.complete])
    }
  }

  /// The findings a run reported, ordered by listing, file, line, column and rule (insertion order breaks ties).
  public func findings(runID: Int64) throws -> [Finding] {
    typealias Columns = FindingRecord.Columns
    try flush()
    return try writer.read { db in
      try FindingRecord
        .filter(Columns.runID == runID)
        .order(Columns.listingID, Columns.file, Columns.line, Columns.column, Columns.ruleID, Columns.id)
        .fetchAll(db)
        .map(\.finding)
    }
  }

  /// The findings each listing had when a complete run last checked it: what an incremental run carries forward for
  /// a listing whose feed record and page have not changed.
  public func lastCheckedFindings(listingIDs: [String]) throws -> [String: [Finding]] {
    guard !listingIDs.isEmpty else { return [:] }
    try flush()
    let ids = String(decoding: try JSONEncoder().encode(listingIDs), as: UTF8.self)
    return try writer.read { db in
      let findings = try FindingRecord.fetchAll(
        db,
        sql: """
          SELECT finding.* FROM finding
          JOIN listing ON listing.listing_id = finding.listing_id AND listing.last_checked_run = finding.run_id
          JOIN run ON run.id = finding.run_id AND run.state = 'complete'
          WHERE finding.listing_id IN (SELECT value FROM json_each(?))
          ORDER BY finding.id
          """,
        arguments: [ids]
      ).map(\.finding)
      return Dictionary(grouping: findings, by: \.listingID)
    }
  }

  /// The input issues a run reported, in the order it reported them.
  public func inputIssues(runID: Int64) throws -> [InputIssue] {
    try flush()
    return try writer.read { db in
      try InputIssueRecord
        .filter(InputIssueRecord.Columns.runID == runID)
        .order(InputIssueRecord.Columns.id)
        .fetchAll(db)
        .map(\.issue)
    }
  }

  public func listing(id: String) throws -> ListingRecord? {
    try flush()
    return try writer.read { db in try ListingRecord.fetchOne(db, key: id) }
  }

  /// listing id → content hash when the listing was last checked, by a complete run: an incremental run skips
  /// listings whose hash is the same. A listing last checked by a running or incomplete run is checked again.
  public func previousContentHashes() throws -> [String: String] {
    try flush()
    return try writer.read { db in
      var hashes: [String: String] = [:]
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT listing_id, content_hash FROM listing
          JOIN run ON run.id = listing.last_checked_run AND run.state = 'complete'
          """)
      while let row = try rows.next() {
        hashes[row[0]] = row[1] as String
      }
      return hashes
    }
  }

  /// The newest complete run; nil when there is none.
  public func lastCompleteRunID() throws -> Int64? {
    try writer.read { db in
      try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM run WHERE state = ?", arguments: [RunState.complete])
    }
  }

  /// The review state of a fingerprint; nil when no finished run has reported it.
  public func findingStatus(fingerprint: String) throws -> FindingStatusRecord? {
    try writer.read { db in try FindingStatusRecord.fetchOne(db, key: fingerprint) }
  }
}
