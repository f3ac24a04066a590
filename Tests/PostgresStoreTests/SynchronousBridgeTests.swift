import ComplianceRules
import Foundation
import ListingParser
import XCTest

@testable import PostgresStore

/// `PostgresAuditStore` is synchronous over an async client. Its calls wait on NIO event-loop futures, never on work
/// scheduled on Swift concurrency's cooperative pool, so callers that occupy every thread of that pool at once (two
/// on a 2-core machine) still get their answers; a `Task` + semaphore bridge would hang here.
final class SynchronousBridgeTests: XCTestCase {
  func testEveryCooperativeThreadMayCallTheStoreAtOnce() async throws {
    guard let base = ProcessInfo.processInfo.environment["AUDITOR_TEST_POSTGRES_URL"] else {
      throw XCTSkip("AUDITOR_TEST_POSTGRES_URL is not set: start a server with scripts/pg-cluster.sh")
    }
    let store = try PostgresAuditStore.open(try PostgresURL(base))
    let runID = try store.beginRun(toolVersion: "0.1.0", feeds: ["bridge.ndjson"], options: [:])
    let callers = ProcessInfo.processInfo.activeProcessorCount * 8
    try await withThrowingTaskGroup(of: Void.self) { group in
      for caller in 0..<callers {
        group.addTask {
          // Blocks this cooperative thread until the server answers: the answer comes on an event-loop thread.
          let finding = Finding(
            listingID: "B\(caller)", ruleID: "r", area: .advertising, severity: .error, message: "m", evidence: "e",
            location: SourceLocation(file: "p.html", line: 1, column: 1, scope: .body), citation: "c",
            fingerprint: "bridge-\(runID)-\(caller)")
          try store.record(
            runID: runID, listingID: "B\(caller)", contentHash: "h", source: "bridge.ndjson:\(caller + 1)",
            detailPage: nil, findings: [finding], issues: [])
          try store.flush()
          _ = try store.runs()
        }
      }
      try await group.waitForAll()
    }
    XCTAssertEqual(try store.findings(runID: runID).count, callers)
    try store.finishRun(
      runID, listingsChecked: callers, listingsSkipped: 0, findingsCount: callers, inputIssuesCount: 0, exitCode: 1)
    XCTAssertEqual(try store.runs().first { $0.id == runID }?.state, .complete)
  }
}
