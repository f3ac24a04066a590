import Foundation
import GRDB
import ListingParser
import XCTest

@testable import ComplianceRules

final class FindingsStoreTests: XCTestCase {
  // MARK: Schema

  func testMigrationsCreateTheDocumentedTablesColumnsAndIndexes() throws {
    let store = try FindingsStore.inMemory()
    try store.writer.read { db in
      let expected: [String: [String]] = [
        "run": [
          "id", "started_at", "finished_at", "tool_version", "feeds", "options", "listings_checked",
          "listings_skipped", "findings_count", "input_issues_count", "exit_code", "state",
        ],
        "listing": [
          "listing_id", "content_hash", "source", "detail_page", "first_seen_run", "last_seen_run",
          "last_checked_run",
        ],
        "finding": [
          "id", "run_id", "listing_id", "rule_id", "area", "severity", "message", "evidence", "file", "line",
          "column", "scope", "citation", "fingerprint",
        ],
        "input_issue": ["id", "run_id", "kind", "file", "line", "listing_id", "message"],
        "finding_status": [
          "fingerprint", "status", "reason", "until", "changed_by", "changed_at", "first_run", "last_run",
        ],
        "decision": [
          "id", "fingerprint", "run_id", "from_status", "to_status", "reason", "until", "decided_by", "decided_at",
        ],
        "review_user": ["name", "role", "token_hash", "created_at", "revoked_at"],
      ]
      for (table, columns) in expected {
        XCTAssertEqual(try db.columns(in: table).map(\.name), columns, table)
      }
      let indexed = try db.indexes(on: "finding").map(\.columns)
      for column in ["run_id", "fingerprint", "listing_id"] {
        XCTAssertTrue(indexed.contains([column]), "finding(\(column)) has no index: \(indexed)")
      }
      XCTAssertEqual(try db.foreignKeys(on: "finding").map(\.destinationTable), ["run"])
      XCTAssertEqual(try db.foreignKeys(on: "input_issue").map(\.destinationTable), ["run"])
      XCTAssertEqual(
        try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid"),
        ["v1-runs-listings-findings", "v2-finding-status", "v3-run-state", "v4-decision", "v5-review-user"])
      XCTAssertTrue(try db.indexes(on: "decision").map(\.columns).contains(["fingerprint"]))
    }
  }

  func testFileDatabaseUsesWALAndReopensWithoutMigratingAgain() throws {
    let path = try temporaryDatabasePath()
    let runID: Int64
    do {
      let store = try FindingsStore(path: path)
      runID = try store.beginRun(toolVersion: "0.1.0", feeds: ["feeds/a.csv"], options: [:])
      try store.record(
        runID: runID, listingID: "A", contentHash: "h1", source: "feeds/a.csv:2", detailPage: nil,
        findings: [finding(listing: "A", rule: "r", fingerprint: "fa")], issues: [])
      try store.finishRun(
        runID, listingsChecked: 1, listingsSkipped: 0, findingsCount: 1, inputIssuesCount: 0, exitCode: 1)
      try store.writer.read { db in
        XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA synchronous"), 1, "NORMAL")
        XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), 1)
      }
      try store.writer.write { db in
        XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA cache_size"), -65_536)
      }
    }

    let reopened = try FindingsStore(path: path)
    try reopened.writer.read { db in
      XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations"), 5)
    }
    XCTAssertEqual(try reopened.lastCompleteRunID(), runID)
    XCTAssertEqual(try reopened.findings(runID: runID).map(\.fingerprint), ["fa"])
    XCTAssertEqual(try reopened.runs().map(\.exitCode), [1])
    XCTAssertEqual(try reopened.runs().map(\.state), [.complete])
  }

  // MARK: Round trip

  // What every store keeps is in StoreContractTests; here, how SQLite spells it.
  func testRunRowStoresUTCTimesAndFeedsAndOptionsAsJSONText() throws {
    let store = try FindingsStore.inMemory()
    let options = ["format": "sarif", "fail_on": "warning", "jobs": "2", "rulesets": "rulesets/广告法.yml"]
    _ = try store.beginRun(toolVersion: "0.1.0", feeds: ["feeds/商品.csv", "feeds/b.jsonl"], options: options)
    try store.writer.read { db in
      let row = try XCTUnwrap(try Row.fetchOne(db, sql: "SELECT started_at, feeds, options FROM run"))
      let startedAt: String = row["started_at"]
      XCTAssertTrue(startedAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, startedAt)
      XCTAssertEqual(row["feeds"], #"["feeds/商品.csv","feeds/b.jsonl"]"#)
      XCTAssertEqual(
        row["options"], #"{"fail_on":"warning","format":"sarif","jobs":"2","rulesets":"rulesets/广告法.yml"}"#)
    }
  }

  func testFindingStatusRoundTripsAndRejectsUnknownStatuses() throws {
    let store = try FindingsStore.inMemory()
    let runID = try store.beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    let waived = FindingStatusRecord(
      fingerprint: "x", status: .waived, reason: "法务确认：旧包装库存", until: "2026-12-31", changedBy: "张三",
      changedAt: "2026-11-23T10:00:00Z", firstRun: runID, lastRun: runID)
    try store.writer.write { db in
      try waived.insert(db)
      XCTAssertEqual(try String.fetchOne(db, sql: "SELECT status FROM finding_status"), "waived")
      XCTAssertThrowsError(try db.execute(sql: "UPDATE finding_status SET status = 'ignored'")) { error in
        XCTAssertEqual((error as? DatabaseError)?.extendedResultCode, .SQLITE_CONSTRAINT_CHECK, "\(error)")
      }
    }
    XCTAssertEqual(try store.findingStatus(fingerprint: "x"), waived)
    XCTAssertNil(try store.findingStatus(fingerprint: "y"))
  }

  // MARK: Batching

  func testBatchesStoreEveryFindingWhenTheRowLimitFallsMidListing() throws {
    // 4 findings + 1 listing row = 5 rows per listing; 3,998 rows is reached inside the 800th listing.
    let store = try FindingsStore.inMemory(batchLimits: .init(listings: 10_000, rows: 3_998))
    let runID = try store.beginRun(toolVersion: "0.1.0", feeds: ["big.csv"], options: [:])
    for listing in 0..<3_000 {
      let id = "L\(listing)"
      try store.record(
        runID: runID, listingID: id, contentHash: "h\(listing)", source: "big.csv:\(listing + 2)", detailPage: nil,
        findings: (0..<4).map { finding(listing: id, rule: "r\($0)", fingerprint: "\(id)-\($0)") }, issues: [])
    }
    let writtenBeforeFinish = try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM finding") }
    XCTAssertEqual(writtenBeforeFinish, 9_600, "three batches of 800 whole listings written, 600 listings buffered")

    try store.finishRun(
      runID, listingsChecked: 3_000, listingsSkipped: 0, findingsCount: 12_000, inputIssuesCount: 0, exitCode: 1)
    try store.writer.read { db in
      XCTAssertEqual(
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM finding WHERE run_id = ?", arguments: [runID]), 12_000)
      XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM listing"), 3_000)
      XCTAssertEqual(
        try Int.fetchOne(
          db, sql: "SELECT COUNT(*) FROM (SELECT listing_id FROM finding GROUP BY listing_id HAVING COUNT(*) <> 4)"),
        0, "a listing's findings were split or lost")
      XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT fingerprint) FROM finding"), 12_000)
    }
  }

  func testDefaultLimitsWriteARunsBatchOfListingsAtATime() throws {
    let store = try FindingsStore.inMemory()
    let runID = try store.beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    XCTAssertEqual(FindingsStore.BatchLimits.default.listings, AuditRun.defaultBatchSize)
    for listing in 0..<(2 * AuditRun.defaultBatchSize + 1) {
      try store.record(
        runID: runID, listingID: "L\(listing)", contentHash: "h", source: "f:1", detailPage: nil, findings: [],
        issues: [])
    }
    XCTAssertEqual(try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM listing") },
      2 * AuditRun.defaultBatchSize)
  }

  // MARK: Integrity

  func testForeignKeysRejectUnknownRunsAndCascadeDeletes() throws {
    let store = try FindingsStore.inMemory()
    try store.record(
      runID: 999, listingID: "A", contentHash: "h", source: "f:1", detailPage: nil,
      findings: [finding(listing: "A", rule: "r", fingerprint: "x")], issues: [])
    XCTAssertThrowsError(try store.flush()) { error in
      XCTAssertEqual((error as? DatabaseError)?.extendedResultCode, .SQLITE_CONSTRAINT_FOREIGNKEY, "\(error)")
    }
    XCTAssertThrowsError(
      try store.finishRun(
        999, listingsChecked: 0, listingsSkipped: 0, findingsCount: 0, inputIssuesCount: 0, exitCode: 0)
    ) { error in
      XCTAssertEqual(error as? FindingsStoreError, .unknownRun(999))
    }

    let runID = try store.beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    try store.record(
      runID: runID, listingID: "A", contentHash: "h", source: "f:1", detailPage: nil,
      findings: [finding(listing: "A", rule: "r", fingerprint: "x")],
      issues: [InputIssue(kind: .encoding, file: "p.html", line: 0, listingID: "A", message: "m")])
    try store.flush()
    try store.writer.write { db in
      try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [runID])
      XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM finding"), 0)
      XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM input_issue"), 0)
      XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM listing"), 1, "listings outlive runs")
    }
  }

  func testSeverityAndAreaAreStoredAsTextAndInvalidSeverityIsRejected() throws {
    let store = try FindingsStore.inMemory()
    let runID = try store.beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    var healthFinding = finding(listing: "A", rule: "r", fingerprint: "x")
    healthFinding.area = .healthFood
    healthFinding.severity = .warning
    try store.record(
      runID: runID, listingID: "A", contentHash: "h", source: "f:1", detailPage: nil, findings: [healthFinding],
      issues: [])
    try store.flush()
    try store.writer.write { db in
      let row = try XCTUnwrap(
        try Row.fetchOne(db, sql: "SELECT severity, typeof(severity) AS t, area, typeof(area) AS u FROM finding"))
      XCTAssertEqual(row["severity"], "warning")
      XCTAssertEqual(row["t"], "text")
      XCTAssertEqual(row["area"], "health_food")
      XCTAssertEqual(row["u"], "text")
      XCTAssertThrowsError(
        try db.execute(sql: "UPDATE finding SET severity = 'fatal'")
      ) { error in
        XCTAssertEqual((error as? DatabaseError)?.extendedResultCode, .SQLITE_CONSTRAINT_CHECK, "\(error)")
      }
      try db.execute(sql: "UPDATE finding SET area = 'astrology'")
    }
    XCTAssertThrowsError(try store.findings(runID: runID), "an unknown area must not decode")
  }

  // MARK: Helpers

  private func finding(listing: String, rule: String, fingerprint: String) -> Finding {
    Finding(
      listingID: listing, ruleID: rule, area: .advertising, severity: .error, message: "不得使用“国家级”",
      evidence: "国家级产品", location: SourceLocation(file: "pages/\(listing).html", line: 3, column: 5, scope: .body),
      citation: "中华人民共和国广告法 第九条 [C]", fingerprint: fingerprint)
  }

  private func temporaryDatabasePath() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("FindingsStoreTests-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder.appendingPathComponent("auditor.sqlite").path
  }
}
