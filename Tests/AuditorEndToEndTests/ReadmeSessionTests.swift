import Foundation
import XCTest

/// The README's example session and `examples/shop/EXPECTED.md` are checked against the real report, so neither can
/// drift from what the tool prints.
final class ReadmeSessionTests: XCTestCase {
  /// The session block under "## A session": its command line, the report lines shown and the exit status.
  struct Session {
    var arguments: [String]
    var reportLines: [String]
    var status: Int32
  }

  static func session() throws -> Session {
    let readme = try String(
      contentsOf: AuditorBinary.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let section = try XCTUnwrap(readme.components(separatedBy: "\n## A session\n").dropFirst().first)
    let block = try XCTUnwrap(section.components(separatedBy: "```").dropFirst().first)
    var lines = block.components(separatedBy: "\n").dropFirst()  // the fence's language tag
    if lines.last == "" { lines.removeLast() }
    let command = try XCTUnwrap(lines.first, "the session is empty")
    XCTAssertTrue(command.hasPrefix("$ .build/release/auditor "), command)
    let echo = try XCTUnwrap(lines.firstIndex(of: "$ echo $?"), "the session does not show the exit status")
    return Session(
      arguments: command.split(separator: " ").dropFirst(2).map(String.init),
      reportLines: Array(lines[lines.index(after: lines.startIndex)..<echo]),
      status: try XCTUnwrap(Int32(lines[lines.index(after: echo)])))
  }

  /// Runs the session's command, its database in a scratch folder rather than the checkout.
  static func runSession(_ session: Session) throws -> AuditorBinary.Result {
    var arguments = session.arguments
    if let db = arguments.firstIndex(of: "--db") {
      arguments[db + 1] = try AuditorBinary.scratchFolder().appendingPathComponent("audit.sqlite").path
    }
    return try AuditorBinary.run(arguments)
  }

  /// Every line the README shows is in the report, in the same order; `…` stands for lines left out. The summary
  /// line, the last, is the report's own.
  func testTheReadmeSessionIsTheRealReport() throws {
    let session = try Self.session()
    XCTAssertGreaterThan(session.reportLines.count, 10, "the session shows almost nothing")
    let result = try Self.runSession(session)
    XCTAssertEqual(result.status, session.status, result.stderr)
    let report = result.stdout.components(separatedBy: "\n").filter { !$0.isEmpty }
    var next = 0
    for line in session.reportLines where line != "…" && !line.isEmpty {
      guard let found = report[next...].firstIndex(of: line) else {
        XCTFail("README line not in the report (or out of order): \(line)")
        return
      }
      next = found + 1
    }
    XCTAssertEqual(report.last, session.reportLines.last)
  }

  /// `EXPECTED.md` lists, for each listing of `listings.ndjson`, the rules that fire (`×2` for two findings); the
  /// README says its report is exactly that list.
  func testExpectedMdListsTheReportsFindings() throws {
    let expectedText = try String(
      contentsOf: AuditorBinary.packageRoot.appendingPathComponent("examples/shop/EXPECTED.md"), encoding: .utf8)
    let table = try XCTUnwrap(
      expectedText.components(separatedBy: "## listings.ndjson").dropFirst().first?.components(separatedBy: "\n## ")
        .first)
    let ruleID = try NSRegularExpression(pattern: #"`([a-z0-9_]+)`(?: \(×(\d+)[^)]*\))?"#)
    var expected: [String: [String]] = [:]
    for row in table.components(separatedBy: "\n") where row.hasPrefix("| lx-") {
      let cells = row.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      let rules = cells[cells.count - 2]
      var ids: [String] = []
      for match in ruleID.matches(in: rules, range: NSRange(rules.startIndex..., in: rules)) {
        let id = String(rules[Range(match.range(at: 1), in: rules)!])
        let times = Range(match.range(at: 2), in: rules).flatMap { Int(rules[$0]) } ?? 1
        ids += Array(repeating: id, count: times)
      }
      if !ids.isEmpty { expected[cells[1]] = ids.sorted() }
    }
    XCTAssertGreaterThan(expected.count, 10, "EXPECTED.md's table was not read")

    let result = try Self.runSession(try Self.session())
    var reported: [String: [String]] = [:]
    var listing = ""
    for line in result.stdout.components(separatedBy: "\n") {
      if line.hasPrefix("lx-") { listing = line }
      let words = line.split(separator: " ")
      let isFinding = line.hasPrefix("  ") && !line.hasPrefix("    ") && words.count > 1
      if isFinding, ["error", "warning", "info"].contains(words[0]) {
        reported[listing, default: []].append(String(words[1]))
      }
    }
    XCTAssertEqual(reported.mapValues { $0.sorted() }, expected)
  }
}
