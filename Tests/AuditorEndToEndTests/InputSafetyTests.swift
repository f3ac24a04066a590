import Foundation
import XCTest

/// Input that must not hang, escape or vanish: whole runs over feeds and pages that are broken or hostile finish,
/// report what they could not read, and fail a CI gate when a feed gave nothing to check.
final class InputSafetyTests: XCTestCase {
  var folder: URL!
  var rules: String { AuditorBinary.packageRoot.appendingPathComponent("rulesets").path }

  override func setUpWithError() throws { folder = try AuditorBinary.scratchFolder() }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let url = folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  /// `auditor check …` with a JSON report; a run still going after two minutes is killed, so a hang fails the test
  /// instead of stalling the suite.
  func check(_ arguments: [String]) throws -> (status: Int32, issues: [[String: Any]], stderr: String) {
    let watchdog = DispatchWorkItem {
      let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
      for task in tasks {
        let pids = (try? String(contentsOfFile: "/proc/self/task/\(task)/children", encoding: .utf8)) ?? ""
        for pid in pids.split(separator: " ").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
      }
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
    defer { watchdog.cancel() }
    let result = try AuditorBinary.run(["check"] + arguments + ["--rules", rules, "--format", "json"])
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    return (result.status, json?["input_issues"] as? [[String: Any]] ?? [], result.stderr)
  }

  func testAFIFOAsAPageIsReportedAndTheRunFinishes() throws {
    let feed = try write(
      "feed.ndjson",
      #"""
      {"id":"pipe","title":"收纳箱","detail_page":"pages/pipe.html"}
      {"id":"next","title":"收纳箱","detail_page":"pages/next.html"}
      """#)
    XCTAssertEqual(mkfifo(folder.appendingPathComponent("pages/pipe.html").path, 0o600), 0)
    try write("pages/next.html", "<p>售出概不退换</p>")
    let run = try check([feed, "--fail-on", "never"])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(
      run.issues.contains { $0["listing_id"] as? String == "pipe" && $0["kind"] as? String == "unreadable_file" },
      "\(run.issues)")
  }

  func testAPageLinkedOutOfTheFeedsFolderIsNotQuoted() throws {
    let outside = try AuditorBinary.scratchFolder()
    defer { try? FileManager.default.removeItem(at: outside) }
    try "<p>售出概不退换</p>".write(to: outside.appendingPathComponent("secret.html"), atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent("pages/linked.html").path,
      withDestinationPath: outside.appendingPathComponent("secret.html").path)
    let feed = try write("feed.ndjson", #"{"id":"linked","title":"收纳箱","detail_page":"pages/linked.html"}"#)
    let run = try check([feed])
    XCTAssertEqual(run.status, 0, "the page behind the link must not be read: \(run.stderr)")
    XCTAssertEqual(run.issues.first?["kind"] as? String, "unsafe_path", "\(run.issues)")
  }

  func testAPageAboveMaxPageBytesIsReportedNotRead() throws {
    try write("pages/big.html", String(repeating: "<p>售出概不退换</p>\n", count: 200))
    let feed = try write("feed.ndjson", #"{"id":"big","title":"收纳箱","detail_page":"pages/big.html"}"#)
    let run = try check([feed, "--max-page-bytes", "1000"])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertEqual(run.issues.first?["kind"] as? String, "too_large", "\(run.issues)")
    XCTAssertEqual(try check([feed]).status, 1, "under the default limit the page is read")
  }

  func testAnIDReusedAcrossFeedsIsReportedLikeOneWithinAFeed() throws {
    let first = try write("a.ndjson", #"{"id":"same","title":"收纳箱","return_policy":"支持7天无理由退货"}"#)
    let second = try write("b.ndjson", #"{"id":"same","title":"收纳箱","return_policy":"售出概不退换"}"#)
    let run = try check([first, second])
    XCTAssertEqual(run.status, 0, "the second record is skipped, the first one is kept: \(run.stderr)")
    let duplicate = try XCTUnwrap(run.issues.first { $0["kind"] as? String == "duplicate_id" }, "\(run.issues)")
    XCTAssertTrue((duplicate["file"] as? String ?? "").hasSuffix("b.ndjson"), "\(duplicate)")
    XCTAssertEqual(duplicate["listing_id"] as? String, "same")
  }

  func testAFeedFromWhichNoListingCouldBeReadExitsTwo() throws {
    let good = try write("good.ndjson", #"{"id":"ok","title":"收纳箱","return_policy":"支持7天无理由退货"}"#)
    let broken: [(String, String)] = [
      ("malformed.ndjson", "not json\n{\"title\":\"no id\"}\n"),
      ("brackets.json", String(repeating: "[", count: 100_000)),
      ("header.csv", "id,title,price\n"),
    ]
    for (name, text) in broken {
      let feed = try write(name, text)
      for feeds in [[feed], [good, feed]] {
        let run = try check(feeds)
        XCTAssertEqual(run.status, 2, "\(feeds): \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("\(name): no listing could be read"), run.stderr)
      }
    }
    XCTAssertEqual(try check([good]).status, 0)
  }

  func testACSVRowAfterAnUnclosedQuoteIsStillChecked() throws {
    let feed = try write(
      "feed.csv",
      """
      id,title,return_policy
      open,"收纳箱,支持7天无理由退货
      refused,真丝连衣裙,售出概不退换
      """)
    let run = try check([feed])
    XCTAssertEqual(run.status, 1, "the row the open quote swallowed is checked: \(run.stderr)")
    XCTAssertEqual(run.issues.first?["kind"] as? String, "malformed_record", "\(run.issues)")
    XCTAssertEqual(run.issues.first?["line"] as? Int, 2)
  }

  func testARecordAboveMaxRecordBytesIsReportedAndSkipped() throws {
    let long = #"{"id":"long","title":"收纳箱","description":"\#(String(repeating: "售出概不退换", count: 50))"}"#
    let feed = try write("feed.ndjson", long + "\n" + #"{"id":"short","title":"收纳箱"}"# + "\n")
    let run = try check([feed, "--max-record-bytes", "500"])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertEqual(run.issues.first?["kind"] as? String, "too_large", "\(run.issues)")
    XCTAssertEqual(try check([feed]).status, 1, "under the default limit the record is read")
  }
}
