import Foundation
import ListingParser
import PostgresStore
import XCTest

@testable import ComplianceRules

/// The semantics every `AuditStore` keeps, through the protocol only, given a way to open stores on one new, empty
/// database. `SQLiteStoreContractTests` and `PostgresStoreContractTests` (below) run them on each implementation.
/// What only SQLite has (WAL, migrations, lock files) is tested in `FindingsStoreTests`.
struct StoreContract {
  /// Opens another store (another connection, as another process would) on the test's database.
  let open: () throws -> any AuditStore

  // MARK: Runs, listings, findings, input issues

  func aRunRoundTripsItsFindingsIssuesListingsAndRunRow() throws {
    let store = try open()
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
    XCTAssertEqual(try store.runs().map(\.state), [.running])
    XCTAssertNil(try store.lastCompleteRunID(), "a running run is not the last complete one")
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
    XCTAssertEqual(try store.lastCompleteRunID(), runID)
    XCTAssertEqual(try store.completeRunIDs(), [runID])

    let run = try XCTUnwrap(try store.runs().first)
    XCTAssertEqual(run.id, runID)
    XCTAssertEqual(run.state, .complete)
    XCTAssertEqual(run.feeds, ["feeds/商品.csv", "feeds/b.jsonl"])
    XCTAssertEqual(run.options, options)
    XCTAssertEqual(run.toolVersion, "0.1.0")
    XCTAssertEqual(
      [run.listingsChecked, run.listingsSkipped, run.findingsCount, run.inputIssuesCount], [2, 0, 4, 2])
    XCTAssertEqual(run.exitCode, 2)
    XCTAssertLessThanOrEqual(run.startedAt, try XCTUnwrap(run.finishedAt))
  }

  func finishingARunTheStoreDidNotBeginThrows() throws {
    let store = try open()
    XCTAssertThrowsError(
      try store.finishRun(
        999, listingsChecked: 0, listingsSkipped: 0, findingsCount: 0, inputIssuesCount: 0, exitCode: 0)
    ) { error in
      XCTAssertEqual(error as? FindingsStoreError, .unknownRun(999))
    }
  }

  func aSecondRunUpdatesListingsAndCarriesTheFindingsOfUnchangedOnes() throws {
    let store = try open()
    let first = try store.beginRun(toolVersion: "0.1.0", feeds: ["a.csv"], options: [:])
    for id in ["A", "B", "C"] {
      try record(store, run: first, listing: id, hash: "\(id)1", fingerprints: ["\(id)-old"])
    }
    try finish(store, first)

    let second = try store.beginRun(toolVersion: "0.1.0", feeds: ["a.csv"], options: [:])
    XCTAssertGreaterThan(second, first)
    try store.record(
      runID: second, listingID: "A", contentHash: "A2", source: "a.csv:5", detailPage: "pages/a.html",
      findings: [finding(listing: "A", fingerprint: "A-new")], issues: [])
    // B is unchanged: an incremental run carries its last-checked findings into this run.
    let carried = try store.lastCheckedFindings(listingIDs: ["B", "Z"])
    XCTAssertEqual(carried.keys.sorted(), ["B"])
    try store.record(
      runID: second, listingID: "B", contentHash: "B1", source: "a.csv:6", detailPage: nil,
      findings: carried["B"] ?? [], issues: [])
    try finish(store, second)

    XCTAssertEqual(try store.runs().map(\.id), [first, second])
    XCTAssertEqual(try store.lastCompleteRunID(), second)
    XCTAssertEqual(
      try store.listing(id: "A"),
      ListingRecord(
        listingID: "A", contentHash: "A2", source: "a.csv:5", detailPage: "pages/a.html", firstSeenRun: first,
        lastSeenRun: second, lastCheckedRun: second))
    XCTAssertEqual(try store.listing(id: "C")?.lastSeenRun, first)
    // A as checked now, B carried over from the first run, C gone from the feed.
    XCTAssertEqual(try store.findings(runID: second).map(\.fingerprint), ["A-new", "B-old"])
  }

  func previousContentHashesComeOnlyFromCompleteRuns() throws {
    let store = try open()
    XCTAssertEqual(try store.previousContentHashes(), [:])
    let first = try store.beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    try record(store, run: first, listing: "A", hash: "a1", fingerprints: [])
    try record(store, run: first, listing: "B", hash: "b1", fingerprints: [])
    try finish(store, first)
    let second = try store.beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    try record(store, run: second, listing: "A", hash: "a2", fingerprints: [])

    // Before finishRun, A was last checked by a run that is not complete: an incremental run must check it again.
    XCTAssertEqual(try store.previousContentHashes(), ["B": "b1"])
    try finish(store, second)
    XCTAssertEqual(try store.previousContentHashes(), ["A": "a2", "B": "b1"], "B was not in the second run")
  }

  // MARK: Review decisions

  func everyDecisionIsKeptAndAnExpiredWaiverKeepsTheReviewersReason() throws {
    let store = try open()
    let first = try lifecycleRun(store, fingerprints: ["abcdef0123456789"], today: "2026-01-01")
    XCTAssertEqual(try store.history(of: "abcdef01").decisions, [], "being reported is not a decision")
    XCTAssertEqual(
      try store.setStatus(["abcdef01"], to: .waived, reason: "整改中", until: "2026-03-31", by: "alice"),
      ["abcdef0123456789"])
    // Reported again after the waiver lapsed: auditor re-opens it.
    let second = try lifecycleRun(store, fingerprints: ["abcdef0123456789"], today: "2026-04-01")
    // The listing is checked and the finding is gone: auditor marks it fixed.
    let third = try lifecycleRun(store, fingerprints: [], today: "2026-04-02")

    let history = try store.history(of: "ABCDEF01")
    XCTAssertEqual(history.fingerprint, "abcdef0123456789")
    XCTAssertEqual(
      history.decisions.map { [$0.fromStatus?.rawValue, $0.toStatus.rawValue, $0.decidedBy, $0.reason, $0.until] },
      [
        ["open", "fixed", "auditor", "no longer reported", nil],
        ["waived", "open", "auditor", "waiver expired 2026-03-31", nil],
        ["open", "waived", "alice", "整改中", "2026-03-31"],
      ])
    XCTAssertEqual(history.decisions.map(\.runID), [third, second, first])
    let current = try XCTUnwrap(try store.findingStatus(fingerprint: "abcdef0123456789"))
    XCTAssertEqual(
      [current.status.rawValue, current.reason, current.changedBy], ["fixed", "no longer reported", "auditor"])
    XCTAssertEqual(try store.fixedFindings().map(\.fingerprint), ["abcdef0123456789"])
    XCTAssertNil(try store.findingStatus(fingerprint: "never-reported"))
  }

  func historyAndSetStatusNeedAnIdThatNamesOneFinding() throws {
    let store = try open()
    _ = try lifecycleRun(store, fingerprints: ["abcdef0123456789", "abcdef0199999999"], today: "2026-01-01")
    XCTAssertThrowsError(try store.history(of: "abcdef01")) { error in
      XCTAssertTrue("\(error)".contains("matches 2 findings"), "\(error)")
    }
    XCTAssertThrowsError(try store.history(of: "ffffffff")) { error in
      XCTAssertTrue("\(error)".contains("no finding"), "\(error)")
    }
    XCTAssertThrowsError(try store.setStatus(["abcdef01"], to: .accepted, reason: nil, until: nil, by: "bob"))
    XCTAssertEqual(try store.findingStatus(fingerprint: "abcdef0123456789")?.status, .open)
  }

  func hiddenStatusesAreWhatReviewersTookOutAndNotLapsedWaivers() throws {
    let store = try open()
    let prints = ["accepted-000000", "falsepos-000000", "waivedok-000000", "waivedold-00000", "stillopen-00000"]
    let runID = try lifecycleRun(store, fingerprints: prints, today: "2026-01-01")
    _ = try store.setStatus(["accepted"], to: .accepted, reason: "合规", until: nil, by: "alice")
    _ = try store.setStatus(["falsepos"], to: .falsePositive, reason: nil, until: nil, by: "alice")
    _ = try store.setStatus(["waivedok"], to: .waived, reason: nil, until: "2026-06-30", by: "alice")
    _ = try store.setStatus(["waivedold"], to: .waived, reason: nil, until: "2026-01-31", by: "alice")

    XCTAssertEqual(
      try store.hiddenStatuses(today: "2026-02-01"),
      ["accepted-000000": .accepted, "falsepos-000000": .falsePositive, "waivedok-000000": .waived])
    XCTAssertEqual(try store.hiddenStatuses(today: "2026-01-31")["waivedold-00000"], .waived, "until is inclusive")
    let reviewed = try store.reviewedFindings(runID: runID)
    // One listing, file, line, column and rule: recording order.
    XCTAssertEqual(reviewed.map(\.finding.fingerprint), prints)
    XCTAssertEqual(reviewed.map(\.status), [.accepted, .falsePositive, .waived, .waived, .open])
    XCTAssertEqual(reviewed.first(where: { $0.status == .accepted })?.reason, "合规")
  }

  func aRunWhoseWriterIsGoneReadsIncomplete() throws {
    var writer: (any AuditStore)? = try open()
    let runID = try XCTUnwrap(writer).beginRun(toolVersion: "0.1.0", feeds: ["a.csv"], options: [:])
    try record(XCTUnwrap(writer), run: runID, listing: "A", hash: "a1", fingerprints: ["fp-a"])
    try XCTUnwrap(writer).flush()
    let reader = try open()
    XCTAssertEqual(try reader.runs().map(\.state), [.running], "its writer is still there")
    XCTAssertEqual(try reader.findings(runID: runID).map(\.fingerprint), ["fp-a"], "what it flushed is readable")
    // As far as the database can tell, what a killed process leaves: the run's writer gone without finishRun.
    writer = nil
    XCTAssertEqual(try reader.runs().map(\.state), [.incomplete])
    XCTAssertNil(try reader.lastCompleteRunID())
    XCTAssertEqual(try reader.previousContentHashes(), [:], "a listing checked by an incomplete run is checked again")
    XCTAssertEqual(try open().runs().map(\.state), [.incomplete], "and so it stays for a store opened later")
    let next = try reader.beginRun(toolVersion: "0.1.0", feeds: ["a.csv"], options: [:])
    XCTAssertGreaterThan(next, runID)
    try finish(reader, next)
    XCTAssertEqual(try reader.runs().map(\.state), [.incomplete, .complete])
  }

  // MARK: Helpers

  /// A complete run that checks listing "A", reports `fingerprints` for it and applies the lifecycle.
  func lifecycleRun(_ store: any AuditStore, fingerprints: [String], today: String) throws -> Int64 {
    let runID = try store.beginRun(toolVersion: "0.1.0", feeds: [], options: [:])
    try record(store, run: runID, listing: "A", hash: "h\(runID)", fingerprints: fingerprints)
    try store.updateStatuses(runID: runID, today: today)
    try finish(store, runID)
    return runID
  }

  func record(
    _ store: any AuditStore, run: Int64, listing: String, hash: String, fingerprints: [String]
  ) throws {
    try store.record(
      runID: run, listingID: listing, contentHash: hash, source: "a.csv:1", detailPage: nil,
      findings: fingerprints.map { finding(listing: listing, fingerprint: $0) }, issues: [])
  }

  func finish(_ store: any AuditStore, _ runID: Int64) throws {
    try store.finishRun(
      runID, listingsChecked: 1, listingsSkipped: 0, findingsCount: 0, inputIssuesCount: 0, exitCode: 0)
  }

  func finding(listing: String, fingerprint: String) -> Finding {
    Finding(
      listingID: listing, ruleID: "r", area: .advertising, severity: .error, message: "不得使用“国家级”",
      evidence: "国家级产品", location: SourceLocation(file: "pages/\(listing).html", line: 3, column: 5, scope: .body),
      citation: "中华人民共和国广告法 第九条 [C]", fingerprint: fingerprint)
  }
}

/// The contract on SQLite: a database file in a new folder per test.
final class SQLiteStoreContractTests: XCTestCase {
  var folder: URL!
  var contract: StoreContract!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-contract-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("audit.sqlite").path
    contract = StoreContract { try FindingsStore(path: path) }
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  func testARunRoundTripsItsFindingsIssuesListingsAndRunRow() throws {
    try contract.aRunRoundTripsItsFindingsIssuesListingsAndRunRow()
  }
  func testFinishingARunTheStoreDidNotBeginThrows() throws {
    try contract.finishingARunTheStoreDidNotBeginThrows()
  }
  func testASecondRunUpdatesListingsAndCarriesTheFindingsOfUnchangedOnes() throws {
    try contract.aSecondRunUpdatesListingsAndCarriesTheFindingsOfUnchangedOnes()
  }
  func testPreviousContentHashesComeOnlyFromCompleteRuns() throws {
    try contract.previousContentHashesComeOnlyFromCompleteRuns()
  }
  func testEveryDecisionIsKeptAndAnExpiredWaiverKeepsTheReviewersReason() throws {
    try contract.everyDecisionIsKeptAndAnExpiredWaiverKeepsTheReviewersReason()
  }
  func testHistoryAndSetStatusNeedAnIdThatNamesOneFinding() throws {
    try contract.historyAndSetStatusNeedAnIdThatNamesOneFinding()
  }
  func testHiddenStatusesAreWhatReviewersTookOutAndNotLapsedWaivers() throws {
    try contract.hiddenStatusesAreWhatReviewersTookOutAndNotLapsedWaivers()
  }
  func testARunWhoseWriterIsGoneReadsIncomplete() throws {
    try contract.aRunWhoseWriterIsGoneReadsIncomplete()
  }
}

/// The contract on PostgreSQL (`AUDITOR_TEST_POSTGRES_URL`, as scripts/pg-cluster.sh starts one): a new database
/// per test, so tests neither see each other's runs nor share run ids.
final class PostgresStoreContractTests: XCTestCase {
  var contract: StoreContract!

  override func setUpWithError() throws {
    guard let base = ProcessInfo.processInfo.environment["AUDITOR_TEST_POSTGRES_URL"] else {
      throw XCTSkip("AUDITOR_TEST_POSTGRES_URL is not set: start a server with scripts/pg-cluster.sh")
    }
    let url = try PostgresURL(try Self.freshDatabase(base))
    contract = StoreContract { try PostgresAuditStore.open(url) }
  }

  /// Creates a database named for the test on the server of `base` and returns its URL.
  static func freshDatabase(_ base: String) throws -> String {
    let name = "store_contract_\(UUID().uuidString.prefix(8).lowercased())"
    let psql = Process()
    psql.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    psql.arguments = ["psql", base, "-q", "-c", "CREATE DATABASE \(name)"]
    try psql.run()
    psql.waitUntilExit()
    guard psql.terminationStatus == 0 else { throw XCTSkip("psql could not create a database on \(base)") }
    return base.replacingOccurrences(of: #"/[^/]+$"#, with: "/\(name)", options: .regularExpression)
  }

  func testARunRoundTripsItsFindingsIssuesListingsAndRunRow() throws {
    try contract.aRunRoundTripsItsFindingsIssuesListingsAndRunRow()
  }
  func testFinishingARunTheStoreDidNotBeginThrows() throws {
    try contract.finishingARunTheStoreDidNotBeginThrows()
  }
  func testASecondRunUpdatesListingsAndCarriesTheFindingsOfUnchangedOnes() throws {
    try contract.aSecondRunUpdatesListingsAndCarriesTheFindingsOfUnchangedOnes()
  }
  func testPreviousContentHashesComeOnlyFromCompleteRuns() throws {
    try contract.previousContentHashesComeOnlyFromCompleteRuns()
  }
  func testEveryDecisionIsKeptAndAnExpiredWaiverKeepsTheReviewersReason() throws {
    try contract.everyDecisionIsKeptAndAnExpiredWaiverKeepsTheReviewersReason()
  }
  func testHistoryAndSetStatusNeedAnIdThatNamesOneFinding() throws {
    try contract.historyAndSetStatusNeedAnIdThatNamesOneFinding()
  }
  func testHiddenStatusesAreWhatReviewersTookOutAndNotLapsedWaivers() throws {
    try contract.hiddenStatusesAreWhatReviewersTookOutAndNotLapsedWaivers()
  }
  func testARunWhoseWriterIsGoneReadsIncomplete() throws {
    try contract.aRunWhoseWriterIsGoneReadsIncomplete()
  }
}
