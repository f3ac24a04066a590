import Foundation
import XCTest

/// The CI gate and the review queue, end to end: config, baseline, suppressions, waivers, diff, incremental runs.
final class ReviewWorkflowTests: XCTestCase {
  var folder: URL!
  var rules: String { AuditorBinary.packageRoot.appendingPathComponent("rulesets").path }
  var feed: String { folder.appendingPathComponent("listings.ndjson").path }
  var db: String { folder.appendingPathComponent("audit.sqlite").path }

  override func setUpWithError() throws { folder = try AuditorBinary.scratchFolder() }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

  static let license = "9135052155323005XL"

  func write(_ id: String, body: String, title: String = "真丝连衣裙", extra: String = "") throws {
    let record =
      #"{"id":"\#(id)","title":"\#(title)","category":"服饰/女装","price":299,"seller":{"license_no":"\#(Self.license)"},"detail_page":"pages/\#(id).html"\#(extra)}"#
    let existing = (try? String(contentsOfFile: feed, encoding: .utf8)) ?? ""
    let lines = existing.split(separator: "\n").filter { !$0.contains(#""id":"\#(id)""#) }.map(String.init) + [record]
    try (lines.joined(separator: "\n") + "\n").write(toFile: feed, atomically: true, encoding: .utf8)
    try "<html><body>\n\(body)\n</body></html>".write(
      to: folder.appendingPathComponent("pages/\(id).html"), atomically: true, encoding: .utf8)
  }

  func check(_ extra: [String] = []) throws -> (status: Int32, json: [String: Any]) {
    let result = try AuditorBinary.run(["check", feed, "--rules", rules, "--db", db, "--format", "json"] + extra, in: folder)
    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stderr)
    return (result.status, json)
  }

  func ruleIDs(_ json: [String: Any]) -> [String] {
    ((json["findings"] as? [[String: Any]]) ?? []).compactMap { $0["rule_id"] as? String }.sorted()
  }

  func testBaselineHidesOldFindingsAfterReformattingAndShowsTheNewOne() throws {
    try write("a", body: "<p>支持7天无理由退货</p><p>全网最低价</p>")
    try write("b", body: "<p>支持7天无理由退货</p><p>特价商品不退不换</p>")
    let baseline = folder.appendingPathComponent("baseline.json").path
    let written = try AuditorBinary.run(["baseline", "write", baseline, feed, "--rules", rules], in: folder)
    XCTAssertEqual(written.status, 0, written.stderr)
    // Reformat both pages (new lines, indentation) and add one new violation.
    try write("a", body: "\n\n   <div>\n  <p>支持7天无理由退货</p>\n\n    <p>\n全网最低价\n</p></div>")
    try write("b", body: "<p>支持7天无理由退货</p>\n\n\n<section><p>特价商品不退不换</p></section><p>史上最强</p>")
    let gated = try AuditorBinary.run(["check", feed, "--rules", rules, "--baseline", baseline, "--format", "json"], in: folder)
    XCTAssertEqual(gated.status, 1)
    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(gated.stdout.utf8)) as? [String: Any])
    XCTAssertEqual(ruleIDs(json), ["ad_absolute_terms"])
    XCTAssertEqual(((json["findings"] as? [[String: Any]])?.first?["evidence"] as? String), "史上最强")
    XCTAssertEqual((json["run"] as? [String: Any])?["baselined"] as? Int, 2)
    // Fixing a listing leaves a stale baseline entry, which is reported so the baseline can shrink.
    try write("b", body: "<p>支持7天无理由退货</p>")
    let fixed = try AuditorBinary.run(["check", feed, "--rules", rules, "--baseline", baseline], in: folder)
    XCTAssertEqual(fixed.status, 0, fixed.stdout)
    XCTAssertTrue(fixed.stdout.contains("no longer match"), fixed.stdout)
    XCTAssertTrue(fixed.stdout.contains("returns_refused"), fixed.stdout)
  }

  func testAnUnreadableBaselineIsAConfigurationErrorBeforeAnyWork() throws {
    try write("a", body: "<p>全网最低价</p>")
    let baseline = folder.appendingPathComponent("baseline.json")
    try "not a baseline".write(to: baseline, atomically: true, encoding: .utf8)
    let result = try AuditorBinary.run(["check", feed, "--rules", rules, "--db", db, "--baseline", baseline.path], in: folder)
    XCTAssertEqual(result.status, 2)
    XCTAssertTrue(result.stderr.contains("baseline.json"), result.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: db), "nothing may be written before the baseline loads")
  }

  func testConfigurationFileSetsRulesSeverityAndFailOn() throws {
    try write("a", body: "<p>全网最低价</p>")
    try """
      version: 1
      disable: [returns_promise_missing]
      severity: {ad_absolute_terms: warning}
      fail-on: warning
      """.write(to: folder.appendingPathComponent("auditor.yml"), atomically: true, encoding: .utf8)
    let (status, json) = try check()
    XCTAssertEqual(status, 1)
    XCTAssertEqual(ruleIDs(json), ["ad_absolute_terms"])
    XCTAssertEqual((json["findings"] as? [[String: Any]])?.first?["severity"] as? String, "warning")
    try "version: 1\nfail-on: warning\ncolour: red\n".write(
      to: folder.appendingPathComponent("auditor.yml"), atomically: true, encoding: .utf8)
    let bad = try AuditorBinary.run(["check", feed, "--rules", rules], in: folder)
    XCTAssertEqual(bad.status, 2)
    XCTAssertTrue(bad.stderr.contains("auditor.yml:3: unknown key 'colour'"), bad.stderr)
  }

  func testSuppressionsNeedAReasonAndMustSuppressSomething() throws {
    try write(
      "a",
      body: "<p>支持7天无理由退货</p>\n<!-- auditor-ignore ad_absolute_terms: 品牌名“最佳拍档”是注册商标 -->\n<p>最佳拍档 保温杯</p>\n<!-- auditor-ignore returns_refused: 没有这回事 -->\n<p>保温杯</p>",
      extra: #","audit_ignore":[{"rule":"price_reference_unverified"}]"#)
    let (status, json) = try check(["--fail-on", "error"])
    XCTAssertEqual(status, 0)
    XCTAssertEqual(ruleIDs(json), [])
    let issues = (json["input_issues"] as? [[String: Any]]) ?? []
    let messages = issues.compactMap { $0["message"] as? String }
    XCTAssertTrue(messages.contains { $0.contains("suppresses nothing") }, "\(messages)")
    XCTAssertTrue(messages.contains { $0.contains("has no reason") }, "\(messages)")
    XCTAssertEqual((json["run"] as? [String: Any])?["suppressed"] as? Int, 1)
  }

  /// Waiver expiry itself is tested on the store (RunStateAndHistoryTests): the command no longer takes a past date.
  func testFalsePositiveStaysHiddenWaiversNeedARealFutureDateAndEveryDecisionIsKept() throws {
    try write("a", body: "<p>支持7天无理由退货</p><p>全网最低价</p>")
    try write("b", body: "<p>支持7天无理由退货</p><p>顶级工艺</p>")
    XCTAssertEqual(try check().status, 1)
    let listed = try AuditorBinary.run(["findings", "--db", db], in: folder)
    let ids = listed.stdout.split(separator: "\n").filter { $0.contains("ad_absolute_terms") }.map { String($0.prefix(12)) }
    XCTAssertEqual(ids.count, 2, listed.stdout)
    let a = try XCTUnwrap(listed.stdout.split(separator: "\n").first { $0.contains(" a ") || $0.contains("  a  ") }).prefix(12)
    let b = try XCTUnwrap(ids.first { $0 != String(a) })
    XCTAssertEqual(try AuditorBinary.run(["findings", "set", String(a), "--status", "false_positive", "--reason", "测试", "--db", db], in: folder).status, 0)
    let waive = { (extra: [String]) in
      try AuditorBinary.run(["findings", "set", b, "--status", "waived", "--db", self.db] + extra, in: self.folder)
    }
    for (until, message) in [("2000-01-01", "is in the past"), ("2099-02-31", "is not a date")] {
      let rejected = try waive(["--reason", "整改中", "--until", until])
      XCTAssertEqual(rejected.status, 2, until)
      XCTAssertTrue(rejected.stderr.contains(message), rejected.stderr)
    }
    XCTAssertEqual(try waive(["--until", "2099-01-01"]).status, 2, "a waiver needs a reason")
    XCTAssertEqual(try check().status, 1, "b is still open")
    XCTAssertEqual(try waive(["--reason", "整改中", "--until", "2099-12-31", "--by", "李四"]).status, 0)
    XCTAssertEqual(try waive(["--reason", "延期", "--until", "2100-06-30", "--by", "王五"]).status, 0)
    let (status, json) = try check()
    XCTAssertEqual(status, 0, "false positive and live waiver are both hidden")
    XCTAssertEqual((json["run"] as? [String: Any])?["reviewed"] as? Int, 2)

    let history = try AuditorBinary.run(["findings", "history", b, "--db", db, "--format", "json"], in: folder)
    XCTAssertEqual(history.status, 0, history.stderr)
    let object = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any]
    let entries = try XCTUnwrap(object?["history"] as? [[String: Any]])
    XCTAssertEqual(entries.map { $0["decided_by"] as? String }, ["王五", "李四"], "newest first")
    XCTAssertEqual(entries.map { $0["reason"] as? String }, ["延期", "整改中"], "the first reason is kept")
    XCTAssertEqual(entries.map { $0["from"] as? String }, ["waived", "open"])
    XCTAssertEqual(entries.map { $0["until"] as? String }, ["2100-06-30", "2099-12-31"])
    XCTAssertEqual(entries.map { $0["run"] as? Int }, [2, 2])
    let text = try AuditorBinary.run(["findings", "history", b, "--db", db], in: folder)
    XCTAssertTrue(text.stdout.contains("李四  open → waived  run 2  until 2099-12-31  — 整改中"), text.stdout)
  }

  func testDiffShowsNewFixedAndUnchanged() throws {
    try write("a", body: "<p>支持7天无理由退货</p><p>全网最低价</p>")
    try write("b", body: "<p>支持7天无理由退货</p><p>特价商品不退不换</p>")
    _ = try check()
    try write("b", body: "<p>支持7天无理由退货</p>")
    try write("c", body: "<p>支持7天无理由退货</p><p>史上最强</p>")
    _ = try check()
    let diff = try AuditorBinary.run(["diff", "--db", db], in: folder)
    XCTAssertEqual(diff.status, 0, diff.stderr)
    XCTAssertTrue(diff.stdout.contains("run 1 → run 2: 1 new, 1 fixed, 1 unchanged"), diff.stdout)
    XCTAssertTrue(diff.stdout.contains("new") && diff.stdout.contains("史上最强"))
    let fixed = try AuditorBinary.run(["findings", "--status", "fixed", "--db", db], in: folder)
    XCTAssertTrue(fixed.stdout.contains("fixed findings (no longer reported): 1"), fixed.stdout)
  }

  func testIncrementalRunSkipsUnchangedListingsAndReportsTheSameFindings() throws {
    for id in ["a", "b", "c"] { try write(id, body: "<p>支持7天无理由退货</p><p>\(id == "b" ? "特价商品不退不换" : "好货")</p>") }
    let first = try check(["--incremental"])
    try write("c", body: "<p>支持7天无理由退货</p><p>全网最低价</p>")
    let second = try check(["--incremental"])
    let run = try XCTUnwrap(second.json["run"] as? [String: Any])
    XCTAssertEqual(run["listings_skipped"] as? Int, 2)
    XCTAssertEqual(run["listings_checked"] as? Int, 1)
    XCTAssertEqual(ruleIDs(first.json), ["returns_refused"])
    XCTAssertEqual(ruleIDs(second.json), ["ad_absolute_terms", "returns_refused"])
    let full = try AuditorBinary.run(["check", feed, "--rules", rules, "--format", "json"], in: folder)
    let fullJSON = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(full.stdout.utf8)) as? [String: Any])
    let prints = { (json: [String: Any]) in ((json["findings"] as? [[String: Any]]) ?? []).compactMap { $0["fingerprint"] as? String }.sorted() }
    XCTAssertEqual(prints(second.json), prints(fullJSON), "an incremental run reports what a full run reports")
  }
}
