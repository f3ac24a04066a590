import Foundation
import XCTest

/// `auditor check`: exit codes, the JSON report's shape, input issues, and the database.
final class CheckCommandTests: XCTestCase {
  var folder: URL!
  var rules: String { AuditorBinary.packageRoot.appendingPathComponent("rulesets").path }

  override func setUpWithError() throws { folder = try AuditorBinary.scratchFolder() }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

  static let license = "9135052155323005XL"

  /// A feed with one clean listing and, optionally, one that refuses returns (an error) and one with only an info hint.
  func writeFeed(violating: Bool, infoOnly: Bool = false) throws -> String {
    var lines = [
      #"{"id":"clean-1","title":"有机大米 5kg","category":"食品/粮油","price":59.9,"seller":{"name":"某某粮油有限公司","license_no":"\#(Self.license)"},"sc_code":"SC12336098200173","detail_page":"pages/clean-1.html","return_policy":"支持7天无理由退货"}"#
    ]
    try page("clean-1", "<p>东北五常稻花香，当季新米。</p><p>支持7天无理由退货</p><span class=\"price\">¥59.90</span>")
    if violating {
      lines.append(
        #"{"id":"bad-1","title":"真丝连衣裙","category":"服饰/女装","price":299,"seller":{"license_no":"\#(Self.license)"},"detail_page":"pages/bad-1.html"}"#)
      try page("bad-1", "<p>桑蚕丝面料，垂感好。</p>\n<p>特价商品，售出概不退换</p>")
    }
    if infoOnly {
      lines.append(
        #"{"id":"hint-1","title":"收纳箱","category":"家居/日用","price":39,"seller":{"license_no":"\#(Self.license)"},"detail_page":"pages/hint-1.html"}"#)
      try page("hint-1", "<p>加厚材质，可叠放。</p>")
    }
    let feed = folder.appendingPathComponent("listings.ndjson")
    try (lines.joined(separator: "\n") + "\n").write(to: feed, atomically: true, encoding: .utf8)
    return feed.path
  }

  func page(_ id: String, _ body: String) throws {
    try "<html><head><meta charset=\"utf-8\"><title>\(id)</title></head><body>\n\(body)\n</body></html>"
      .write(to: folder.appendingPathComponent("pages/\(id).html"), atomically: true, encoding: .utf8)
  }

  func testCleanFeedExitsZero() throws {
    let result = try AuditorBinary.run(["check", try writeFeed(violating: false), "--rules", rules])
    XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    XCTAssertTrue(result.stdout.contains("0 findings"), result.stdout)
  }

  func testFindingAtThresholdExitsOne() throws {
    let result = try AuditorBinary.run(["check", try writeFeed(violating: true), "--rules", rules])
    XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
    XCTAssertTrue(result.stdout.contains("returns_refused"), result.stdout)
  }

  func testFindingsBelowThresholdExitZero() throws {
    let feed = try writeFeed(violating: false, infoOnly: true)
    let atError = try AuditorBinary.run(["check", feed, "--rules", rules, "--fail-on", "error"])
    XCTAssertEqual(atError.status, 0, atError.stdout)
    XCTAssertTrue(atError.stdout.contains("returns_promise_missing"), atError.stdout)
    let atInfo = try AuditorBinary.run(["check", feed, "--rules", rules, "--fail-on", "info"])
    XCTAssertEqual(atInfo.status, 1)
    let never = try AuditorBinary.run(["check", try writeFeed(violating: true), "--rules", rules, "--fail-on", "never"])
    XCTAssertEqual(never.status, 0)
  }

  func testUsageAndConfigurationErrorsExitTwoBeforeAnyWork() throws {
    let feed = try writeFeed(violating: true)
    let badOption = try AuditorBinary.run(["check", feed, "--no-such-option"])
    XCTAssertEqual(badOption.status, 2, badOption.stderr)
    let badFormat = try AuditorBinary.run(["check", feed, "--rules", rules, "--format", "yaml"])
    XCTAssertEqual(badFormat.status, 2)
    XCTAssertTrue(badFormat.stderr.contains("unknown format 'yaml'"), badFormat.stderr)
    let missingFeed = try AuditorBinary.run(["check", folder.appendingPathComponent("nope.ndjson").path, "--rules", rules])
    XCTAssertEqual(missingFeed.status, 2)
    XCTAssertTrue(missingFeed.stdout.isEmpty, "no report may be printed: \(missingFeed.stdout)")

    let badRules = folder.appendingPathComponent("bad.yml")
    try """
      version: 1
      regulation: 测试
      effective: "2021-01-01"
      rules:
        - id: bad_rule
          kind: terms
          area: advertising
          severity: error
          title: Bad
          message: "x"
          citation: {article: 第一条, grade: C}
          terms: [最佳]
          colour: red
          examples: {fail: ["<p>最佳</p>"], pass: ["<p>好</p>"]}
      """.write(to: badRules, atomically: true, encoding: .utf8)
    let db = folder.appendingPathComponent("run.sqlite").path
    let badRuleset = try AuditorBinary.run(["check", feed, "--rules", badRules.path, "--db", db])
    XCTAssertEqual(badRuleset.status, 2)
    XCTAssertTrue(badRuleset.stderr.contains("bad.yml:13: unknown key 'colour'"), badRuleset.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: db), "nothing may be written before the rules load")
  }

  func testJSONReportShape() throws {
    let feedPath = try writeFeed(violating: true)
    try FileManager.default.removeItem(at: folder.appendingPathComponent("pages/clean-1.html"))
    try ("not json at all\n" + #"{"id":"extra-1","title":"收纳箱","return_policy":"支持7天无理由退货"}"# + "\n")
      .write(to: folder.appendingPathComponent("extra.ndjson"), atomically: true, encoding: .utf8)
    let result = try AuditorBinary.run(["check", feedPath, folder.appendingPathComponent("extra.ndjson").path, "--rules", rules, "--format", "json"])
    XCTAssertEqual(result.status, 1, result.stderr)
    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let run = try XCTUnwrap(json["run"] as? [String: Any])
    XCTAssertEqual(run["listings_checked"] as? Int, 3)
    let findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
    let refused = try XCTUnwrap(findings.first { $0["rule_id"] as? String == "returns_refused" })
    for key in ["listing_id", "rule_id", "area", "severity", "message", "evidence", "location", "citation", "fingerprint"] {
      XCTAssertNotNil(refused[key], "finding is missing \(key)")
    }
    XCTAssertEqual(refused["listing_id"] as? String, "bad-1")
    XCTAssertEqual(refused["area"] as? String, "returns")
    XCTAssertEqual(refused["severity"] as? String, "error")
    XCTAssertTrue((refused["evidence"] as? String ?? "").contains("概不退"))
    let location = try XCTUnwrap(refused["location"] as? [String: Any])
    XCTAssertTrue((location["file"] as? String ?? "").hasSuffix("pages/bad-1.html"))
    XCTAssertEqual(location["line"] as? Int, 3)
    XCTAssertEqual(location["column"] as? Int, 4)
    XCTAssertEqual(location["scope"] as? String, "body")
    let issues = try XCTUnwrap(json["input_issues"] as? [[String: Any]])
    XCTAssertTrue(issues.contains { ($0["file"] as? String ?? "").hasSuffix("extra.ndjson") && $0["line"] as? Int == 1 }, "\(issues)")
    XCTAssertTrue(
      issues.contains { $0["listing_id"] as? String == "clean-1" && ($0["file"] as? String ?? "").hasSuffix("clean-1.html") },
      "\(issues)")
    for issue in issues {
      for key in ["file", "listing_id", "line", "message"] { XCTAssertTrue(issue.keys.contains(key), "issue is missing \(key)") }
    }
  }

  func testRunsAreRecordedInTheDatabase() throws {
    let feed = try writeFeed(violating: true)
    let db = folder.appendingPathComponent("audit.sqlite").path
    XCTAssertEqual(try AuditorBinary.run(["check", feed, "--rules", rules, "--db", db]).status, 1)
    XCTAssertEqual(try AuditorBinary.run(["check", feed, "--rules", rules, "--db", db]).status, 1)
    let counts = try sqlite(db, "select (select count(*) from run), (select count(*) from listing), (select count(*) from finding where rule_id = 'returns_refused')")
    XCTAssertEqual(counts, "2|2|2")
  }

  func testHelpVersionAndRules() throws {
    let help = try AuditorBinary.run(["--help"])
    XCTAssertEqual(help.status, 0)
    XCTAssertTrue(help.stdout.contains("check"))
    let version = try AuditorBinary.run(["--version"])
    XCTAssertEqual(version.status, 0)
    XCTAssertFalse(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    let list = try AuditorBinary.run(["rules", "--rules", rules])
    XCTAssertEqual(list.status, 0, list.stderr)
    for id in ["uscc_checksum", "price_page_mismatch", "returns_refused", "ad_absolute_terms"] {
      XCTAssertTrue(list.stdout.contains(id), "\(id) missing from `auditor rules`")
    }
    let lint = try AuditorBinary.run(["rules", "lint", "--rules", rules])
    XCTAssertEqual(lint.status, 0, lint.stderr)
  }

  /// Queries a database with the sqlite3 shell if present, else through Python's sqlite3.
  func sqlite(_ db: String, _ sql: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print('|'.join(str(v) for v in c.execute(sys.argv[2]).fetchone()))", db, sql]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
