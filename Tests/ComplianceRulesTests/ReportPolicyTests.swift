import ListingParser
import XCTest

@testable import ComplianceRules

final class ReportPolicyTests: XCTestCase {
  func testReviewsHideFirstThenTheBaselineAndStaleEntriesAreTheUnseenOnes() {
    let findings = ["reviewed", "both", "baselined", "shown"].map(finding)
    let baseline = Baseline(findings: ["both", "baselined", "gone"].map(finding))
    let policy = ReportPolicy(hidden: ["reviewed": .accepted, "both": .waived], baseline: baseline)

    let (shown, reviewed, baselined) = policy.apply(findings)

    XCTAssertEqual(shown.map(\.fingerprint), ["shown"])
    XCTAssertEqual([reviewed, baselined], [2, 1], "a finding both reviewed and baselined counts as reviewed")
    XCTAssertEqual(
      policy.staleBaselineEntries(seen: Set(findings.map(\.fingerprint))), ["A r: evidence of gone"])
  }

  func testAnEmptyPolicyShowsEverything() {
    let findings = ["a", "b"].map(finding)
    let (shown, reviewed, baselined) = ReportPolicy().apply(findings)
    XCTAssertEqual(shown, findings)
    XCTAssertEqual([reviewed, baselined], [0, 0])
    XCTAssertEqual(ReportPolicy().staleBaselineEntries(seen: []), [])
  }

  private func finding(_ fingerprint: String) -> Finding {
    Finding(
      listingID: "A", ruleID: "r", area: .advertising, severity: .error, message: "m",
      evidence: "evidence of \(fingerprint)",
      location: SourceLocation(file: "p.html", line: 1, column: 1, scope: .body),
      citation: "c", fingerprint: fingerprint)
  }
}
