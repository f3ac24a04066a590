import Foundation
import XCTest

/// `examples/health-shop`: the built binary reports, listing by listing, exactly the rule ids its EXPECTED.md lists —
/// the drug, device and live-stream violations, and nothing on their look-alikes.
final class HealthShopExampleTests: XCTestCase {
  static let folder = AuditorBinary.packageRoot.appendingPathComponent("examples/health-shop")

  func testReportsExactlyTheExpectedRulesPerListing() throws {
    let expected = try Self.expectedRules()
    XCTAssertEqual(expected.count, 15, "EXPECTED.md lists every listing of the feed")
    let result = try AuditorBinary.run([
      "check", "examples/health-shop/listings.ndjson", "--rules", "rulesets", "--format", "json", "--fail-on", "never",
    ])
    XCTAssertEqual(result.status, 0, result.stderr)
    let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    XCTAssertTrue(report.input_issues.isEmpty, "\(report.input_issues)")
    XCTAssertEqual(report.run.listings_checked, expected.count)
    var actual = Dictionary(uniqueKeysWithValues: expected.keys.map { ($0, Set<String>()) })
    for finding in report.findings { actual[finding.listing_id, default: []].insert(finding.rule_id) }
    for id in expected.keys.sorted() {
      XCTAssertEqual(actual[id], expected[id], "rules reported for \(id)")
    }
    XCTAssertEqual(Set(actual.keys), Set(expected.keys), "findings for listings EXPECTED.md does not know")
  }

  /// The table of EXPECTED.md: listing id → the rule ids in back quotes in its last column (— for none).
  static func expectedRules() throws -> [String: Set<String>] {
    let text = try String(contentsOf: folder.appendingPathComponent("EXPECTED.md"), encoding: .utf8)
    var rules: [String: Set<String>] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("| hs-") {
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard let id = cells.first, let last = cells.last else { continue }
      // Between back quotes: every second piece of the cell split at them.
      let pieces = last.split(separator: "`", omittingEmptySubsequences: false)
      rules[id] = Set(pieces.enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) })
    }
    return rules
  }

  /// The parts of the JSON report this test reads (field names as the README's contract spells them).
  struct Report: Decodable {
    struct Run: Decodable { var listings_checked: Int }
    struct Finding: Decodable {
      var listing_id: String
      var rule_id: String
    }
    var run: Run
    var findings: [Finding]
    var input_issues: [InputIssueEntry]
  }

  struct InputIssueEntry: Decodable { var message: String }
}
