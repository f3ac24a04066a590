import Foundation
import ListingParser
import PostgresStore
import XCTest

@testable import ComplianceRules

/// What `auditor serve` asks of a `ReviewStore`: versions that only move forward, decisions that compare and append
/// under one write lock (also across two stores on one database, as two processes would have), counts with and
/// without the status join, users found by their token's hash only while active. `ReviewStoreTests` runs it on
/// SQLite, `PostgresReviewStoreTests` on PostgreSQL.
struct ReviewStoreContract {
  /// Opens another store (another connection) on the test's new database.
  let open: () throws -> any ReviewStore

  func aDecisionOnAStaleVersionIsRefusedEvenFromAnotherStore() throws {
    let first = try open()
    try record(first, fingerprints: ["aaaaaaaa11", "bbbbbbbb22"])
    let second = try open()
    let item = try XCTUnwrap(try first.reviewItem(idPrefix: "aaaaaaaa"))
    XCTAssertEqual(item.version, 0)
    let version = try first.decide(
      fingerprint: item.finding.fingerprint, expectedVersion: 0, to: .falsePositive, reason: "brand", until: nil,
      by: "rita")
    XCTAssertGreaterThan(version, 0)
    XCTAssertThrowsError(
      try second.decide(
        fingerprint: item.finding.fingerprint, expectedVersion: 0, to: .accepted, reason: "late", until: nil, by: "vera")
    ) { error in
      XCTAssertEqual(error as? ReviewError, .stale(current: version))
    }
    XCTAssertEqual(try second.reviewItem(idPrefix: "aaaaaaaa")?.status, .falsePositive)
    XCTAssertEqual(try second.decisions(fingerprint: "aaaaaaaa11").map(\.decidedBy), ["rita"])
    XCTAssertNil(try second.reviewItem(idPrefix: "aaaa"), "a prefix under 8 characters")
    XCTAssertNil(try second.reviewItem(idPrefix: "cccccccc"))
  }

  func countsAndBatchesMatchTheFilterWithAndWithoutAStatus() throws {
    let store = try open()
    let run = try record(store, fingerprints: ["aaaaaaaa11", "bbbbbbbb22", "cccccccc33"])
    XCTAssertEqual(try store.reviewCount(ReviewFilter(), run: run), 3)
    XCTAssertEqual(try store.reviewCount(ReviewFilter(status: .open), run: run), 3)
    XCTAssertThrowsError(
      try store.decideAll(
        ReviewFilter(listing: "L1"), run: run, expectedCount: 1, to: .waived, reason: "r", until: "2999-01-01",
        by: "rita")
    ) { error in XCTAssertEqual(error as? ReviewError, .countChanged(actual: 2)) }
    XCTAssertEqual(
      try store.decideAll(
        ReviewFilter(listing: "L1"), run: run, expectedCount: 2, to: .waived, reason: "r", until: "2999-01-01",
        by: "rita"), 2)
    XCTAssertEqual(try store.reviewCount(ReviewFilter(status: .waived), run: run), 2)
    XCTAssertEqual(try store.reviewCount(ReviewFilter(status: .open), run: run), 1)
    let facets = try store.reviewFacets(ReviewFilter(), run: run)
    XCTAssertEqual(facets["status"], [.init(value: "waived", count: 2), .init(value: "open", count: 1)])
  }

  func usersAreFoundByTheirTokenHashUntilRevoked() throws {
    let store = try open()
    try store.addUser(name: "rita", role: .reviewer, tokenHash: "h1")
    XCTAssertThrowsError(try store.addUser(name: "rita", role: .admin, tokenHash: "h2"))
    XCTAssertEqual(try store.reviewUser(tokenHash: "h1")?.role, .reviewer)
    try store.revokeUser(name: "rita")
    XCTAssertNil(try store.reviewUser(tokenHash: "h1"))
    XCTAssertThrowsError(try store.revokeUser(name: "rita"))
    try store.addUser(name: "rita", role: .admin, tokenHash: "h2")
    XCTAssertEqual(try store.reviewUser(tokenHash: "h2")?.role, .admin)
    XCTAssertEqual(try store.reviewUsers().map(\.name), ["rita"])
    XCTAssertTrue(ReviewRole.admin > .reviewer && ReviewRole.reviewer > .viewer)
  }

  /// One complete run: the fingerprints' findings, two per listing (L1, L1, L2, …).
  @discardableResult
  private func record(_ store: any ReviewStore, fingerprints: [String]) throws -> Int64 {
    let run = try store.beginRun(toolVersion: "test", feeds: ["f"], options: [:])
    let findings = fingerprints.enumerated().map { index, fingerprint in
      Finding(
        listingID: "L\(index / 2 + 1)", ruleID: "r", area: .advertising, severity: .error, message: "m",
        evidence: "e\(index)", location: SourceLocation(file: "p.html", line: index + 1, column: 1, scope: .body),
        citation: "c", fingerprint: fingerprint)
    }
    for (listing, group) in Dictionary(grouping: findings, by: \.listingID) {
      try store.record(
        runID: run, listingID: listing, contentHash: "h", source: "f:1", detailPage: nil, findings: group, issues: [])
    }
    try store.finishRun(
      run, listingsChecked: 2, listingsSkipped: 0, findingsCount: findings.count, inputIssuesCount: 0, exitCode: 1)
    try store.updateStatuses(runID: run, today: "2026-01-01")
    return run
  }

}

/// The contract on SQLite: a database file in a new folder per test.
final class ReviewStoreTests: XCTestCase {
  var contract: ReviewStoreContract!

  override func setUpWithError() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ReviewStoreTests-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("auditor.sqlite").path
    contract = ReviewStoreContract { try FindingsStore(path: path) }
  }

  func testADecisionOnAStaleVersionIsRefusedEvenFromAnotherStore() throws {
    try contract.aDecisionOnAStaleVersionIsRefusedEvenFromAnotherStore()
  }

  func testCountsAndBatchesMatchTheFilterWithAndWithoutAStatus() throws {
    try contract.countsAndBatchesMatchTheFilterWithAndWithoutAStatus()
  }

  func testUsersAreFoundByTheirTokenHashUntilRevoked() throws {
    try contract.usersAreFoundByTheirTokenHashUntilRevoked()
  }
}

/// The contract on PostgreSQL (`AUDITOR_TEST_POSTGRES_URL`): a new database per test.
final class PostgresReviewStoreTests: XCTestCase {
  var contract: ReviewStoreContract!

  override func setUpWithError() throws {
    guard let base = ProcessInfo.processInfo.environment["AUDITOR_TEST_POSTGRES_URL"] else {
      throw XCTSkip("AUDITOR_TEST_POSTGRES_URL is not set: start a server with scripts/pg-cluster.sh")
    }
    let url = try PostgresURL(try PostgresStoreContractTests.freshDatabase(base))
    contract = ReviewStoreContract { try PostgresAuditStore.open(url) }
  }

  func testADecisionOnAStaleVersionIsRefusedEvenFromAnotherStore() throws {
    try contract.aDecisionOnAStaleVersionIsRefusedEvenFromAnotherStore()
  }

  func testCountsAndBatchesMatchTheFilterWithAndWithoutAStatus() throws {
    try contract.countsAndBatchesMatchTheFilterWithAndWithoutAStatus()
  }

  func testUsersAreFoundByTheirTokenHashUntilRevoked() throws {
    try contract.usersAreFoundByTheirTokenHashUntilRevoked()
  }
}
