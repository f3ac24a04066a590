import Foundation
import XCTest

/// The rule catalogue as `auditor rules` prints it, compared with a checked-in snapshot, so that a change of id,
/// area, severity or citation is reviewed as a diff. Re-record with `RECORD_SNAPSHOTS=1`.
final class RuleCatalogueSnapshotTests: XCTestCase {
  func testRuleCatalogueMatchesTheSnapshot() throws {
    let snapshot = AuditorBinary.packageRoot.appendingPathComponent("Tests/AuditorEndToEndTests/Snapshots/rules.txt")
    let result = try AuditorBinary.run(["rules"])
    XCTAssertEqual(result.status, 0, result.stderr)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
      try result.stdout.write(to: snapshot, atomically: true, encoding: .utf8)
      XCTFail("recorded \(snapshot.path); run again without RECORD_SNAPSHOTS")
      return
    }
    let expected = try String(contentsOf: snapshot, encoding: .utf8)
    XCTAssertEqual(result.stdout, expected, "the rule catalogue changed; review the diff and re-record with RECORD_SNAPSHOTS=1")
  }
}
