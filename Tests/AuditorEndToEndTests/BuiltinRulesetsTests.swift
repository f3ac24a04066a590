import Foundation
import XCTest

/// The default rules travel inside the binary: run from a folder with no rulesets, `--rules` replaces them, and
/// `builtin` names them next to house rules.
final class BuiltinRulesetsEndToEndTests: XCTestCase {
  var folder: URL!

  override func setUpWithError() throws { folder = try AuditorBinary.scratchFolder() }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

  func writeHouseRules() throws -> String {
    let file = folder.appendingPathComponent("house.yml")
    try """
      version: 1
      regulation: 店铺规则
      effective: "2024-01-01"
      rules:
        - id: house_no_baokuan
          kind: terms
          area: advertising
          severity: error
          title: No Baokuan
          message: "店铺规则不允许「{evidence}」"
          citation: {article: 第一条, grade: S}
          terms: [爆款]
          examples: {fail: ["<p>爆款</p>"], pass: ["<p>新款</p>"]}
      """.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  /// `folder` has no rulesets in it or above it: what runs comes from the binary.
  func testRulesComeFromTheBinaryInAnyFolder() throws {
    let lint = try AuditorBinary.run(["rules", "lint"], in: folder)
    XCTAssertEqual(lint.status, 0, lint.stderr)
    XCTAssertTrue(lint.stdout.contains("ok  rulesets/advertising-law.yml  广告法"), lint.stdout)
    let listed = try AuditorBinary.run(["rules", "--source"], in: folder)
    XCTAssertEqual(listed.status, 0, listed.stderr)
    let line = try XCTUnwrap(listed.stdout.split(separator: "\n").first { $0.hasPrefix("ad_absolute_terms ") })
    XCTAssertTrue(line.contains("built-in  rulesets/advertising-law.yml:"), String(line))
    let coded = try XCTUnwrap(listed.stdout.split(separator: "\n").first { $0.hasPrefix("price_page_mismatch ") })
    let codedSource = "coded     Sources/ComplianceRules/Rules/Pricing/PagePriceMismatchRule.swift"
    XCTAssertTrue(coded.contains(codedSource), String(coded))
  }

  func testRulesReplacesTheBuiltinSetUnlessBuiltinIsNamed() throws {
    let house = try writeHouseRules()
    let replaced = try AuditorBinary.run(["rules", "--source", "--rules", house], in: folder)
    XCTAssertEqual(replaced.status, 0, replaced.stderr)
    XCTAssertTrue(replaced.stdout.contains("house_no_baokuan"), replaced.stdout)
    XCTAssertTrue(replaced.stdout.contains("file      \(house):5"), replaced.stdout)
    XCTAssertFalse(replaced.stdout.contains("ad_absolute_terms"), replaced.stdout)
    XCTAssertFalse(replaced.stdout.contains("built-in"), replaced.stdout)

    let added = try AuditorBinary.run(["rules", "--rules", "builtin", "--rules", house], in: folder)
    XCTAssertEqual(added.status, 0, added.stderr)
    XCTAssertTrue(added.stdout.contains("house_no_baokuan") && added.stdout.contains("ad_absolute_terms"), added.stdout)

    // The configuration's `rulesets` says the same; `builtin` is not a path relative to it.
    try "version: 1\nrulesets: [builtin, house.yml]\n"
      .write(to: folder.appendingPathComponent("auditor.yml"), atomically: true, encoding: .utf8)
    let feed = folder.appendingPathComponent("listings.ndjson")
    try #"{"id":"b-1","title":"爆款 全网最低价","category":"家居/日用","price":10}"#
      .write(to: feed, atomically: true, encoding: .utf8)
    let checked = try AuditorBinary.run(["check", feed.path, "--format", "json"], in: folder)
    XCTAssertEqual(checked.status, 1, checked.stderr)
    XCTAssertTrue(checked.stdout.contains("house_no_baokuan"), checked.stdout)
    XCTAssertTrue(checked.stdout.contains("ad_absolute_terms"), checked.stdout)
  }
}
