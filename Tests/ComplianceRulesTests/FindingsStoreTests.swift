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

  func testRunRoundTripsFindingsIssuesAndRunRow() throws {
    let store = try FindingsStore.inMemory()
    XCTAssertNil(try store.lastCompleteRunID())
    let options = ["format": "sarif", "fail_on": "warning", "jobs": "2", "rulesets": "rulesets/广告法.yml"]
    let runID = try store.beginRun(toolVersion: "0.1.0", feeds: ["feeds/商品.csv", "feeds/b.jsonl"], options: options)

    let healthClaim = Finding(
      listingID: "SKU-001", ruleID: "health_food_cure_claim", area: .healthFood, severity: .error,
      message: "保健食品不得声称具有疾病预防、治疗功能，请删除“治疗”等用语。", evidence: "本品可治疗高血压😀",
      location: SourceLocation(file: "pages/sku-001.html", line: 42, column: 17, scope: .body),
      citation: "中华人民共和国广告法 第十八条 [C]", fingerprint: "5f2c0d3a9b1e4f7a8c6d2e0b1a3f5c7d")
    let absolute = Finding(
      listingID: "SKU-001", ruleID: "advertising_absolute_terms", area: .advertising, severity: .warning,
      message: "广告不得使用“最佳”等用语。", evidence: "全网最佳",
      location: SourceLocation(file: "feeds/商品.csv", line: 2, column: 0, scope: .feedTitle),
      citation: "中华人民共和国广告法 第九条 [C]", fingerprint: "fp-absolute")
    let earlierLine = Finding(
      listingID: "SKU-001", ruleID: "zzz_rule", area: .pricing, severity: .info, message: "划线价无依据",
      evidence: "原价￥999",
      location: SourceLocation(file: "pages/sku-001.html", line: 7, column: 3, scope: .originalPrice),
      citation: "明码标价和禁止价格欺诈规定 第二十条 [S]", fingerprint: "fp-price")
    let otherListing = Finding(
      listingID: "SKU-000", ruleID: "license_missing", area: .license, severity: .warning, message: "未公示营业执照",
      evidence: "", location: SourceLocation(file: "feeds/商品.csv", line: 1, column: 0, scope: .feedRecord),
      citation: "电子商务法 第十五条 [C]")
    let pageIssue = InputIssue(
      kind: .encoding, file: "pages/sku-001.html", line: 0, listingID: "SKU-001", message: "按 GB18030 解码")
    let looseIssue = InputIssue(kind: .malformedRecord, file: "feeds/b.jsonl", line: 9, message: "JSON 语法错误")

    try store.record(runID: runID, issues: [looseIssue])
    try store.record(
      runID: runID, listingID: "SKU-001", contentHash: "h1", source: "feeds/商品.csv:2",
      detailPage: "pages/sku-001.html", findings: [healthClaim, absolute, earlierLine], issues: [pageIssue])
    try store.record(
      runID: runID, listingID: "SKU-000", contentHash: "h0", source: "feeds/商品.csv:1", detailPage: nil,
      findings: [otherListing], issues: [])
    try store.finishRun(
      runID, listingsChecked: 2, listingsSkipped: 0, findingsCount: 4, inputIssuesCount: 2, exitCode: 2)

    // listing_id, file, line, column, rule_id
    XCTAssertEqual(try store.findings(runID: runID), [otherListing, absolute, earlierLine, healthClaim])
    XCTAssertEqual(try store.inputIssues(runID: runID), [looseIssue, pageIssue])
    XCTAssertEqual(
      try store.listing(id: "SKU-001"),
      ListingRecord(
        listingID: "SKU-001", contentHash: "h1", source: "feeds/商品.csv:2", detailPage: "pages/sku-001.html",
        firstSeenRun: runID, lastSeenRun: runID, lastCheckedRun: runID))
    XCTAssertNil(try store.listing(id: "SKU-404"))

    let run = try XCTUnwrap(try store.runs().first)
    XCTAssertEqual(run.id, runID)
    XCTAssertEqual(run.feeds, ["feeds/商品.csv", "feeds/b.jsonl"])
    XCTAssertEqual(run.options, options)
    XCTAssertEqual(run.toolVersion, "0.1.0")
    XCTAssertEqual(
      [run.listingsChecked, run.listingsSkipped, run.findingsCount, run.inputIssuesCount], [2, 0, 4, 2])
    XCTAssertEqual(run.exitCode, 2)
    XCTAssertNotNil(run.finishedAt)
    XCTAssertLessThanOrEqual(run.startedAt, try XCTUnwrap(run.finishedAt))

    try store.writer.read { db in
      let row = try XCTUnwrap(try Row.fetchOne(db, sql: "SELECT started_at, feeds, options FROM run"))
      let startedAt: String = row["started_at"]
      XCTAssertTrue(startedAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, startedAt)
      XCTAssertEqual(row["feeds"], #"["feeds/商品.csv","feeds/b.jsonl"]"#)
      XCTAssertEqual(
        row["options"], #"{"fail_on":"warning","format":"sarif","jobs":"2","rulesets":"rulesets/广告法.yml"}"#)
    }
  }

  // MARK: Runs over the same database

  func testSecondRunUpdatesListingRowsInsteadOfDuplicatingThem() throws {
    let store = try FindingsStore.inMemory()
    let first = try store.beginRun(toolVersion: "0.1.0", feeds: ["a.csv"], options: [:])
    for id in ["A", "B", "C"] {
      try store.record(
        runID: first, listingID: id, contentHash: "\(id)1", source: "a.csv:1", detailPage: nil,
        findings: [finding(listing: id, rule: "r1", fingerprint: "\(id)-old")], issues: [])
    }
    try store.finishRun(
      first, listingsChecked: 3, listingsSkipped: 0, findingsCount: 3, inputIssuesCount: 0, exitCode: 1)

    let second = try store.beginRun(toolVersion: "0.1.0", feeds: ["a.csv"], options: [:])
    try store.record(
      runID: second, listingID: "A", contentHash: "A2", source: "a.csv:5", detailPage: "pages/a.html",
      findings: [finding(listing: "A", rule: "r2", fingerprint: "A-new")], issues: [])
    // B is unchanged: an incremental run carries its last-checked findings into this run.
    let carried = try store.lastCheckedFindings(listingIDs: ["B", "Z"])
    XCTAssertEqual(carried.keys.sorted(), ["B"])
    try store.record(
      runID: second, listingID: "B", contentHash: "B1", source: "a.csv:6", detailPage: nil, findings: carried["B"] ?? [],
      issues: [])
    try store.finishRun(
      second, listingsChecked: 1, listingsSkipped: 1, findingsCount: 2, inputIssuesCount: 0, exitCode: 1)

    XCTAssertEqual(try store.runs().map(\.id), [first, second])
    XCTAssertEqual(try store.lastCompleteRunID(), second)
    try store.writer.read { db in
      XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM listing"), 3)
    }
    XCTAssertEqual(
      try store.listing(id: "A"),
      ListingRecord(
        listingID: "A", contentHash: "A2", source: "a.csv:5", detailPage: "pages/a.html", firstSeenRun: first,
        lastSeenRun: second, lastCheckedRun: second))
    XCTAssertEqual(
      try store.listing(id: "B"),
      ListingRecord(
        listingID: "B", contentHash: "B1", source: "a.csv:6", detailPage: nil, firstSeenRun: first,
        lastSeenRun: second, lastCheckedRun: second))
    XCTAssertEqual(try store.listing(id: "C")?.lastSeenRun, first)

    // A as checked now, B carried over from the first run, C gone from the feed.
    XCTAssertEqual(try store.findings(runID: second).map(\.fingerprint), ["A-new", "B-old"])
  }

  func testPreviousContentHashesReturnTheHashOfTheLastCheck() throws {
    let store = try FindingsStore.inMemory()
    XCTAssertEqual(try store.previousContentHashes(), [:])
    let first = try store.beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    try store.record(
      runID: first, listingID: "A", contentHash: "a1", source: "f:1", detailPage: nil, findings: [], issues: [])
    try store.record(
      runID: first, listingID: "B", contentHash: "b1", source: "f:2", detailPage: nil, findings: [], issues: [])
    try store.finishRun(
      first, listingsChecked: 2, listingsSkipped: 0, findingsCount: 0, inputIssuesCount: 0, exitCode: 0)
    let second = try store.beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    try store.record(
      runID: second, listingID: "A", contentHash: "a2", source: "f:1", detailPage: nil, findings: [], issues: [])

    // Before finishRun, A was last checked by a run that is not complete: an incremental run must check it again.
    XCTAssertEqual(try store.previousContentHashes(), ["B": "b1"])
    try store.finishRun(
      second, listingsChecked: 1, listingsSkipped: 0, findingsCount: 0, inputIssuesCount: 0, exitCode: 0)
    XCTAssertEqual(try store.previousContentHashes(), ["A": "a2", "B": "b1"], "B was not in the second run")
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

  func testDefaultLimitsWriteAfter2000Listings() throws {
    let store = try FindingsStore.inMemory()
    let runID = try store.beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    for listing in 0..<2_001 {
      try store.record(
        runID: runID, listingID: "L\(listing)", contentHash: "h", source: "f:1", detailPage: nil, findings: [],
        issues: [])
    }
    XCTAssertEqual(try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM listing") }, 2_000)
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
