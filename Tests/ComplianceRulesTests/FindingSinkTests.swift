@testable import ComplianceRules
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
