import Foundation
import GRDB
import ListingParser

/// Reads for tests, the incremental mode and later commands. Each writes the buffer first, so it sees everything
/// recorded so far.
extension FindingsStore {
  /// All runs, oldest first.
  public func runs() throws -> [RunRecord] {
    try flush()
    return try writer.read { db in try RunRecord.order(RunRecord.Columns.id).fetchAll(db) }
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

  /// The findings each listing had when it was last checked: what an incremental run carries forward for a listing
  /// whose feed record and page have not changed.
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

  /// listing id → content hash when the listing was last checked: an incremental run skips listings whose hash
  /// is the same.
  public func previousContentHashes() throws -> [String: String] {
    try flush()
    return try writer.read { db in
      var hashes: [String: String] = [:]
      let rows = try Row.fetchCursor(db, sql: "SELECT listing_id, content_hash FROM listing")
      while let row = try rows.next() {
        hashes[row[0]] = row[1] as String
      }
      return hashes
    }
  }

  /// The newest run, finished or not; nil for a new database.
  public func lastRunID() throws -> Int64? {
    try writer.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM run") }
  }

  /// The review state of a fingerprint; nil when no finished run has reported it.
  public func findingStatus(fingerprint: String) throws -> FindingStatusRecord? {
    try writer.read { db in try FindingStatusRecord.fetchOne(db, key: fingerprint) }
  }
}
