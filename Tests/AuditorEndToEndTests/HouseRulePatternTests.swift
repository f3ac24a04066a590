import Foundation
import XCTest

/// A house rule whose pattern backtracks exponentially: rejected by lint when its shape shows it, stopped per listing
/// (a `rule_timeout` input issue) when only the text does, and never stalls the run.
final class HouseRulePatternTests: XCTestCase {
  var folder: URL!

  override func setUpWithError() throws { folder = try AuditorBinary.scratchFolder() }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

  /// A one-rule ruleset whose rule matches `pattern` in listing titles; the pattern is on line 12.
  func writeRules(pattern: String) throws -> String {
    let file = folder.appendingPathComponent("house.yml")
    try """
      version: 1
      regulation: 店铺规则
      effective: "2024-01-01"
      rules:
        - id: house_repeated_letters
          kind: terms
          area: advertising
          severity: warning
          title: Repeated letters
          message: "标题中有重复字母：{evidence}"
          citation: {article: 第一条, grade: S}
          patterns: ['\(pattern)']
          triggers: [a]
          examples: {fail: ["<p>aaa</p>"], pass: ["<p>b</p>"]}
      """.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  func testLintRejectsNestedQuantifiersWithFileAndLine() throws {
    let rules = try writeRules(pattern: "(a+)+$")
    let lint = try AuditorBinary.run(["rules", "lint", "--rules", rules])
    XCTAssertEqual(lint.status, 2, lint.stdout + lint.stderr)
    XCTAssertTrue(lint.stderr.contains("house.yml:5: bad pattern '(a+)+$'"), lint.stderr)
    XCTAssertTrue(lint.stderr.contains("repeats a group that itself repeats"), lint.stderr)

    // `check` stops on it before the feed is opened: a feed that does not exist is never reported.
    let check = try AuditorBinary.run(["check", folder.appendingPathComponent("nope.ndjson").path, "--rules", rules])
    XCTAssertEqual(check.status, 2)
    XCTAssertTrue(check.stderr.contains("house.yml:5:"), check.stderr)
    XCTAssertFalse(check.stderr.contains("nope.ndjson"), check.stderr)
  }

  /// `(a|aa)+$` passes lint, and on 40 a's and a `!` would take minutes: the rule is stopped on that listing, the
  /// issue names the rule and the listing, and the other listings are checked as usual.
  func testAPatternThatTimesOutBecomesAnIssueAndTheRunCompletes() throws {
    let rules = try writeRules(pattern: "(a|aa)+$")
    XCTAssertEqual(try AuditorBinary.run(["rules", "lint", "--rules", rules]).status, 0)
    let feed = folder.appendingPathComponent("listings.ndjson")
    try """
      {"id":"slow-1","title":"\(String(repeating: "a", count: 40))!","category":"家居/日用","price":10}
      {"id":"plain-1","title":"aaaa","category":"家居/日用","price":10}
      {"id":"slow-2","title":"\(String(repeating: "a", count: 60))?","category":"家居/日用","price":10}

      """.write(to: feed, atomically: true, encoding: .utf8)
    let db = folder.appendingPathComponent("run.sqlite").path
    let result = try AuditorBinary.run(["check", feed.path, "--rules", rules, "--db", db, "--format", "json"])
    // The run completes; its one finding is a warning, under the default failing severity.
    XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    let report = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    let findings = try XCTUnwrap(report["findings"] as? [[String: Any]])
    XCTAssertEqual(findings.map { $0["listing_id"] as? String }, ["plain-1"])
    let issues = try XCTUnwrap(report["input_issues"] as? [[String: Any]])
    XCTAssertEqual(issues.map { $0["kind"] as? String }, ["rule_timeout", "rule_timeout"])
    XCTAssertEqual(issues.map { $0["listing_id"] as? String }, ["slow-1", "slow-2"])
    XCTAssertEqual(issues.map { $0["line"] as? Int }, [1, 3])
    let message = try XCTUnwrap(issues.first?["message"] as? String)
    XCTAssertTrue(message.contains("rule 'house_repeated_letters' (\(rules):5)"), message)
    let run = try XCTUnwrap(report["run"] as? [String: Any])
    XCTAssertEqual(run["listings_checked"] as? Int, 3)
  }
}
