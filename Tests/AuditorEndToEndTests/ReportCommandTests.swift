import Foundation
import XCTest

/// `auditor report` on a SQLite database: a stored run's report is what `check` printed (the PostgreSQL side is in
/// QueueFleetTests).
final class ReportCommandTests: XCTestCase {
  var folder: URL!
  var shop: String { AuditorBinary.packageRoot.appendingPathComponent("examples/shop/listings.ndjson").path }

  override func setUpWithError() throws { folder = try AuditorBinary.scratchFolder() }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

  func testAStoredRunReportsAsCheckPrintedIt() throws {
    let db = folder.appendingPathComponent("audit.sqlite").path
    for format in ["text", "github", "sarif", "json"] {
      let checked = try AuditorBinary.run(["check", shop, "--db", db, "--format", format], in: folder)
      let reported = try AuditorBinary.run(["report", "--db", db, "--format", format], in: folder)
      XCTAssertEqual(reported.status, checked.status, reported.stderr)
      // SARIF and JSON carry the run's times, which the store keeps to the second.
      let times = #""(started_at|finished_at|startTimeUtc|endTimeUtc)" : "[^"]*""#
      XCTAssertEqual(
        reported.stdout.replacingOccurrences(of: times, with: "", options: .regularExpression),
        checked.stdout.replacingOccurrences(of: times, with: "", options: .regularExpression), format)
    }
    let gated = try AuditorBinary.run(["report", "1", "--db", db, "--fail-on", "never"], in: folder)
    XCTAssertEqual(gated.status, 0)
    let missing = try AuditorBinary.run(["report", "99", "--db", db], in: folder)
    XCTAssertEqual(missing.status, 2)
    XCTAssertTrue(missing.stderr.contains("no run 99"), missing.stderr)
  }
}
