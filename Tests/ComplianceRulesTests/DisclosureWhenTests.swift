import ComplianceRules
import Foundation
import XCTest

/// What makes a disclosure rule apply, as a ruleset writes it under `when`.
final class DisclosureWhenTests: XCTestCase {
  /// A disclosure rule that applies when the page states a 保质期 with a number (`when: {patterns}`), and then
  /// wants the production date.
  static let rule = """
    version: 1
    regulation: 食品安全法
    effective: "2021-04-29"
    rules:
      - id: probe_production_date
        kind: disclosure
        area: food_license
        severity: warning
        title: Shelf Life Without Production Date
        message: "标注了保质期「{evidence}」却未标注{detail}"
        citation: {article: 第六十七条, grade: C}
        when: {patterns: ['保质期\\s*[:：]?\\s*\\d+\\s*(天|个月|月)']}
        require: [{name: 生产日期, terms: [生产日期]}]
        examples:
          fail: ["<p>保质期：12个月</p>"]
          pass: ["<p>保质期：12个月，生产日期见包装</p>", "<p>保质期见包装</p>", "<p>新鲜上市</p>"]
    """

  func testWhenPatternsMakeTheRuleApply() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("when-\(UUID().uuidString).yml")
    try Self.rule.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    // Loading checks the examples: the failing one fires only if the pattern triggers the rule.
    let set = try Ruleset.load(paths: [file.path])
    let rule = try XCTUnwrap(set.rule(id: "probe_production_date"))
    let findings = ExampleRunner(ruleSet: set).findings(of: rule, html: "<p>保质期 180天</p>", feed: nil)
    XCTAssertEqual(findings.map(\.evidence), ["保质期 180天"])
    XCTAssertEqual(findings.first?.location.file, "example.html")
  }
}
