@testable import ComplianceRules
import ListingParser
import XCTest

final class FindingSinkTests: XCTestCase {
  /// Placeholders are filled wherever they are; any other brace, a cut-off placeholder and the text around them stay.
  func testMessageTemplatesAreFilled() {
    XCTAssertEqual(
      FindingSink.fill("「{evidence}」违反{detail}：{x}{evidence}{evid", evidence: "最佳", detail: "第九条"),
      "「最佳」违反第九条：{x}最佳{evid")
    XCTAssertEqual(FindingSink.fill("{{evidence}}{detail}{", evidence: "最", detail: "九"), "{最}九{")
    XCTAssertEqual(FindingSink.fill("无占位符", evidence: "a", detail: "b"), "无占位符")
    XCTAssertEqual(FindingSink.fill("{detail}", evidence: "a", detail: ""), "")
    XCTAssertEqual(FindingSink.fill("", evidence: "a", detail: "b"), "")
  }
}

extension FindingSinkTests {
  /// A rule stopped mid-way loses what it reported; what earlier rules reported stays, repeats counted as before.
  func testDropForgetsOnlyTheFindingsAfterTheMark() {
    func rule(_ id: String) -> RuleDescription {
      RuleDescription(
        id: id, area: .advertising, severity: .error, title: id, message: "{evidence}",
        citation: Citation(law: "法", article: "第一条", grade: .confirmed), failingExamples: [],
        passingExamples: [], source: "test")
    }
    let location = SourceLocation(file: "f", line: 1, column: 1, scope: .feedTitle)
    var sink = FindingSink(listingID: "l1")
    sink.report(rule("kept"), evidence: "最佳", at: location)
    let mark = sink.count
    sink.report(rule("dropped"), evidence: "第一", at: location)
    sink.report(rule("dropped"), evidence: "顶级", at: location)
    sink.drop(from: mark)
    sink.report(rule("dropped"), evidence: "第一", at: location)
    sink.report(rule("kept"), evidence: "最佳", at: location)
    XCTAssertEqual(sink.findings.map(\.ruleID), ["kept", "dropped"])
    XCTAssertEqual(sink.findings.map(\.message), ["最佳（此商品中同一表述共 2 处）", "第一"])
  }
}
