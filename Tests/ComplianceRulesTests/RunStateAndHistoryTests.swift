import Foundation
import GRDB
import ListingParser
import XCTest

@testable import ComplianceRules

/// Run states (running, complete, incomplete), the append-only review history and the migration of databases
/// written before either existed.
final class RunStateAndHistoryTests: XCTestCase {
  // MARK: Run states

  func testARunWhoseStoreIsGoneIsMarkedIncompleteByTheNextWriterAndALiveOneIsNot() throws {
    let path = try temporaryDatabasePath()
    var first: FindingsStore? = try FindingsStore(path: path)
    let complete = try XCTUnwrap(first).beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    try record(first, run: complete, listing: "A", hash: "a1", fingerprints: ["old"])
    try first?.finishRun(
      complete, listingsChecked: 1, listingsSkipped: 0, findingsCount: 1, inputIssuesCount: 0, exitCode: 1)
    let abandoned = try XCTUnwrap(first).beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    try record(first, run: abandoned, listing: "A", hash: "a2", fingerprints: ["partial"])
    try first?.flush()
    XCTAssertTrue(FileManager.default.fileExists(atPath: "\(path)-run-\(abandoned).lock"))

    // Another writer while the run's store still holds its lock: the run is going on, not abandoned.
    let live = try FindingsStore(path: path)
    XCTAssertEqual(try live.runs().map(\.state), [.complete, .running])
    XCTAssertEqual(try FindingsStore.reading(path: path).runs().map(\.state), [.complete, .running])

    // The store goes without finishing its run, as a killed process does: its lock goes with it.
    first = nil
    XCTAssertEqual(
      try FindingsStore.reading(path: path).runs().map(\.state), [.complete, .incomplete],
      "a reader sees the run is abandoned before any writer marks it")
    let next = try FindingsStore(path: path)
    try next.writer.read { db in
      XCTAssertEqual(
        try String.fetchAll(db, sql: "SELECT state FROM run ORDER BY id"), ["complete", "incomplete"])
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: "\(path)-run-\(abandoned).lock"))
    XCTAssertEqual(try next.lastCompleteRunID(), complete)
    XCTAssertEqual(try next.completeRunIDs(), [complete])
    XCTAssertEqual(try next.previousContentHashes(), [:], "A was last checked by the incomplete run")
    XCTAssertEqual(try next.findings(runID: abandoned).map(\.fingerprint), ["partial"], "named runs still read")
  }

  func testFinishingARunMakesItCompleteAndRemovesItsLockFile() throws {
    let path = try temporaryDatabasePath()
    let store = try FindingsStore(path: path)
    let runID = try store.beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    XCTAssertEqual(try store.runs().map(\.state), [.running])
    XCTAssertNil(try store.lastCompleteRunID())
    try store.finishRun(
      runID, listingsChecked: 0, listingsSkipped: 0, findingsCount: 0, inputIssuesCount: 0, exitCode: 0)
    XCTAssertEqual(try store.runs().map(\.state), [.complete])
    XCTAssertFalse(FileManager.default.fileExists(atPath: "\(path)-run-\(runID).lock"))
  }

  func testWaiverDatesMustBeRealAndNotPast() throws {
    XCTAssertNoThrow(try FindingsStore.validateWaiverDate("2028-02-29", today: "2026-12-05"))
    XCTAssertNoThrow(try FindingsStore.validateWaiverDate("2026-12-05", today: "2026-12-05"))
    for impossible in ["2027-02-31", "2027-02-29", "2027-13-01", "2027-00-10", "2027-1-1", "tomorrow"] {
      XCTAssertThrowsError(try FindingsStore.validateWaiverDate(impossible, today: "2026-12-05"), impossible) {
        XCTAssertTrue("\($0)".contains("is not a date"), "\($0)")
      }
    }
    XCTAssertThrowsError(try FindingsStore.validateWaiverDate("2026-12-04", today: "2026-12-05")) {
      XCTAssertTrue("\($0)".contains("in the past"), "\($0)")
    }
  }

  // MARK: Migration

  func testADatabaseFromBeforeRunStatesAndHistoryMigrates() throws {
    let path = try temporaryDatabasePath()
    do {
      let old = try DatabaseQueue(path: path)
      try Migrations.migrator.migrate(old, upTo: "v2-finding-status")
      try old.write { db in
        try db.execute(
          sql: """
            INSERT INTO run (started_at, finished_at, tool_version, feeds, options, exit_code)
            VALUES ('2026-01-01T08:00:00Z', '2026-01-01T08:01:00Z', '0.1.0', '[]', '{}', 1);
            INSERT INTO finding_status (fingerprint, status, reason, until, changed_by, changed_at, first_run, last_run)
            VALUES ('waived-one', 'waived', '法务确认', '2027-01-31', '张三', '2026-01-02T09:00:00Z', 1, 1),
              ('untouched', 'open', NULL, NULL, NULL, NULL, 1, 1),
              ('fixed-one', 'fixed', 'no longer reported', NULL, 'auditor', '2026-01-03T09:00:00Z', 1, 1);
            """)
      }
    }
    let store = try FindingsStore(path: path)
    XCTAssertEqual(try store.runs().map(\.state), [.complete])
    XCTAssertEqual(try store.lastCompleteRunID(), 1)
    let waived = try XCTUnwrap(try store.history(of: "waived-one").decisions.first)
    XCTAssertEqual(
      [waived.fromStatus?.rawValue, waived.toStatus.rawValue, waived.reason, waived.until, waived.decidedBy,
       waived.decidedAt],
      [nil, "waived", "法务确认", "2027-01-31", "张三", "2026-01-02T09:00:00Z"])
    XCTAssertEqual(try store.history(of: "fixed-one").decisions.map(\.toStatus), [.fixed])
    XCTAssertEqual(try store.history(of: "untouched").decisions, [])
  }

  func testReadingAnOlderWritableDatabaseUpgradesItFirst() throws {
    let path = try temporaryDatabasePath()
    do {
      let old = try DatabaseQueue(path: path)
      try Migrations.migrator.migrate(old, upTo: "v2-finding-status")
      try old.write { db in
        try db.execute(
          sql: """
            INSERT INTO run (started_at, tool_version, feeds, options)
            VALUES ('2026-01-01T08:00:00Z', '0.1.0', '[]', '{}')
            """)
      }
    }
    let store = try FindingsStore.reading(path: path)
    XCTAssertEqual(try store.runs().map(\.state), [.complete])
    XCTAssertTrue(try store.writer.read(Migrations.migrator.hasCompletedMigrations))
  }

  // MARK: Helpers

  private func record(
    _ store: FindingsStore?, run: Int64, listing: String, hash: String, fingerprints: [String]
  ) throws {
    let findings = fingerprints.map {
      Finding(
        listingID: listing, ruleID: "r", area: .advertising, severity: .error, message: "不得使用“国家级”",
        evidence: "国家级", location: SourceLocation(file: "p.html", line: 1, column: 1, scope: .body),
        citation: "广告法 第九条", fingerprint: $0)
    }
    try store?.record(
      runID: run, listingID: listing, contentHash: hash, source: "f:1", detailPage: nil, findings: findings,
      issues: [])
  }

  private func temporaryDatabasePath() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("RunStateTests-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder.appendingPathComponent("auditor.sqlite").path
  }
}
