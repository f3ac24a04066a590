import ComplianceRules
import ListingParser
import PostgresNIO
import XCTest

@testable import PostgresStore

/// The lease protocol against a real server (`AUDITOR_TEST_POSTGRES_URL`): claims do not overlap, a lost lease
/// writes nothing, an expired lease is taken back, and a run completes with its last job.
final class LeaseTests: XCTestCase {
  var queue: PostgresQueue!

  override func setUp() async throws {
    guard let base = ProcessInfo.processInfo.environment["AUDITOR_TEST_POSTGRES_URL"] else {
      throw XCTSkip("AUDITOR_TEST_POSTGRES_URL is not set: start a server with scripts/pg-cluster.sh")
    }
    // Its own schema-less database would need CREATE DATABASE; a fresh database per test keeps counts exact.
    let admin = try await PostgresQueue.open(try PostgresURL(base))
    let name = "lease_test_\(UUID().uuidString.prefix(8).lowercased())"
    try await admin.connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: admin.logger)
    await admin.close()
    let url = base.replacingOccurrences(of: #"/[^/]+$"#, with: "/\(name)", options: .regularExpression)
    queue = try await PostgresQueue.open(try PostgresURL(url))
  }

  override func tearDown() async throws {
    await queue?.close()
  }

  /// Three one-line listings with no page.
  func jobs() -> [NewJob] {
    (1...3).map { index in
      let text = #"{"id":"L\#(index)","title":"全网最低价 坚果礼盒","category":"食品/休闲零食"}"#
      let source = SourceLocation(file: "f.ndjson", line: index, column: 1, scope: .feedRecord)
      let listing = Listing(id: "L\(index)", title: "", source: source)
      return NewJob(input: ListingInput(listing: listing, page: nil), record: RawRecord(bytes: Array(text.utf8), column: 1))
    }
  }

  func result(for job: ClaimedJob) throws -> ListingResult {
    let checker = ListingChecker(ruleSet: try Ruleset.load(paths: ["builtin"]))
    return try XCTUnwrap(QueueWorker(
      checker: checker, jobs: 1, batchSize: 1, lease: .seconds(1), exitWhenIdle: true, stop: StopFlag(), log: { _ in }
    ).check(job))
  }

  func testClaimsDoNotOverlapAndTheRunCompletesWithItsLastJob() async throws {
    let runID = try await queue.beginRun(toolVersion: "test", feeds: ["f.ndjson"], options: [:])
    try await queue.enqueue(runID: runID, jobs: jobs())
    try await queue.seal(runID: runID)
    let firstClaimed = try await queue.claim(worker: "a", limit: 2, lease: .seconds(30))
    let first = try XCTUnwrap(firstClaimed)
    let secondClaimed = try await queue.claim(worker: "b", limit: 2, lease: .seconds(30))
    let second = try XCTUnwrap(secondClaimed)
    XCTAssertEqual(first.jobs.map(\.listingID), ["L1", "L2"])
    XCTAssertEqual(second.jobs.map(\.listingID), ["L3"])
    let none = try await queue.claim(worker: "c", limit: 2, lease: .seconds(30))
    XCTAssertNil(none)
    var results: [Int64: ListingResult] = [:]
    for job in first.jobs { results[job.id] = try result(for: job) }
    let refusedFirst = try await queue.finish(first, results: results)
    XCTAssertEqual(refusedFirst, [])
    let halfway = try await queue.queueRuns().first?.state
    XCTAssertEqual(halfway, "running")
    let refusedSecond = try await queue.finish(second, results: [second.jobs[0].id: try result(for: second.jobs[0])])
    XCTAssertEqual(refusedSecond, [])
    let runClaimed = try await queue.queueRuns().first
    let run = try XCTUnwrap(runClaimed)
    XCTAssertEqual([run.state, "\(run.done)", "\(run.pending)"], ["complete", "3", "0"])
    let stored = try await queue.storedRun(runID)
    XCTAssertEqual(stored.summary.checkedListings, ["L1", "L2", "L3"])
    XCTAssertFalse(stored.summary.findings.isEmpty, "全网最低价 is a finding")
  }

  func testALostLeaseWritesNothingAndAnExpiredOneIsTakenBack() async throws {
    let runID = try await queue.beginRun(toolVersion: "test", feeds: ["f.ndjson"], options: [:])
    try await queue.enqueue(runID: runID, jobs: Array(jobs().prefix(1)))
    try await queue.seal(runID: runID)
    let staleClaimed = try await queue.claim(worker: "slow", limit: 5, lease: .milliseconds(100))
    let stale = try XCTUnwrap(staleClaimed)
    try await Task.sleep(for: .milliseconds(300))
    let renewed = try await queue.renew(stale, lease: .seconds(30))
    XCTAssertTrue(renewed, "an expired lease nobody took back is still the worker's")
    try await Task.sleep(for: .milliseconds(300))
    let stillMine = try await queue.claim(worker: "fast", limit: 5, lease: .seconds(30))
    XCTAssertNil(stillMine, "a renewed lease is not taken back")
    // Expire it for real, then let another worker rescue and claim it.
    try await queue.connection.query("UPDATE job SET lease_expires_at = now() - interval '1 s'", logger: queue.logger)
    let rescued = try await queue.rescueExpired()
    XCTAssertEqual(rescued, 1)
    let freshClaimed = try await queue.claim(worker: "fast", limit: 5, lease: .seconds(30))
    let fresh = try XCTUnwrap(freshClaimed)
    XCTAssertEqual(fresh.jobs.map(\.attempt), [2])
    let job = stale.jobs[0]
    let refused = try await queue.finish(stale, results: [job.id: try result(for: job)])
    XCTAssertEqual(refused, [job.id], "the stale worker's results are refused")
    let written = try await queue.storedRun(runID).summary.findings
    XCTAssertEqual(written, [], "and nothing of them was written")
    let accepted = try await queue.finish(fresh, results: [job.id: try result(for: fresh.jobs[0])])
    XCTAssertEqual(accepted, [])
    let finished = try await queue.queueRuns().first?.state
    XCTAssertEqual(finished, "complete")
  }
}
