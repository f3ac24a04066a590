import ComplianceRules
import Foundation
import XCTest

/// The annotated corpus: every `ruleid` must fire, nothing unannotated may. Prints precision and recall.
final class CorpusTests: XCTestCase {
  func testCorpusAnnotationsHold() throws {
    let root = RuleExamplesTests.packageRoot
    let report = try CorpusRunner(checker: ListingChecker(ruleSet: RuleExamplesTests.ruleSet)).run(
      corpus: root.appendingPathComponent("corpus").path)
    print(report.table)
    XCTAssertGreaterThanOrEqual(report.cases, 150, "the corpus must hold at least 150 cases")
    XCTAssertGreaterThanOrEqual(report.traps * 3, report.cases, "at least a third of the cases must be traps")
    XCTAssertEqual(Set(report.byArea.keys), Set(Area.allCases.map(\.rawValue)), "every area needs corpus cases")
    XCTAssertTrue(report.inputIssues.isEmpty, "corpus input issues: \(report.inputIssues)")
    XCTAssertTrue(report.failures.isEmpty, report.failures.joined(separator: "\n"))
  }
}
