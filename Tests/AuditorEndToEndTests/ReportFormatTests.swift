import Foundation
import XCTest

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Every `--format` on the bundled example catalogue: each parses, SARIF validates against the official schema.
final class ReportFormatTests: XCTestCase {
  let feed = "examples/shop/listings.ndjson"

  func report(_ format: String) throws -> String {
    let result = try AuditorBinary.run(["check", feed, "--format", format])
    XCTAssertEqual(result.status, 1, "the example has errors: \(result.stderr)")
    return result.stdout
  }

  func testSARIFHasRulesResultsAndFingerprintsAndValidates() throws {
    let text = try report("sarif")
    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    XCTAssertEqual(json["version"] as? String, "2.1.0")
    let run = try XCTUnwrap((json["runs"] as? [[String: Any]])?.first)
    let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
    XCTAssertGreaterThanOrEqual(rules.count, 40)
    let results = try XCTUnwrap(run["results"] as? [[String: Any]])
    XCTAssertFalse(results.isEmpty)
    for result in results {
      let ruleID = try XCTUnwrap(result["ruleId"] as? String)
      let index = try XCTUnwrap(result["ruleIndex"] as? Int)
      XCTAssertEqual(rules[index]["id"] as? String, ruleID)
      XCTAssertNotNil((result["partialFingerprints"] as? [String: String])?.values.first)
    }
    guard let python = ProcessInfo.processInfo.environment["SARIF_VALIDATOR"] else {
      throw XCTSkip("SARIF_VALIDATOR is not set (scripts/test.sh sets it up)")
    }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("example-\(UUID().uuidString).sarif")
    try text.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [AuditorBinary.packageRoot.appendingPathComponent("scripts/validate-sarif.py").path, file.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let message = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, message)
  }

  func testJUnitIsXMLWithATestcasePerListingAndAFailurePerFinding() throws {
    let json = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(try report("json").utf8)) as? [String: Any])
    let findings = (json["findings"] as? [Any])?.count ?? -1
    let checked = (json["run"] as? [String: Any])?["listings_checked"] as? Int ?? -1
    let document = try XMLDocument(data: Data(try report("junit").utf8))
    let cases = try document.nodes(forXPath: "//testcase[not(@name='input issues')]")
    let failures = try document.nodes(forXPath: "//testcase/failure")
    XCTAssertEqual(cases.count, checked)
    XCTAssertEqual(failures.count, findings)
  }

  func testGitHubAnnotationsOnePerFinding() throws {
    let lines = try report("github").split(separator: "\n")
    let annotations = lines.filter { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") || $0.hasPrefix("::notice ") }
    XCTAssertTrue(annotations.contains { $0.hasPrefix("::error file=examples/shop/pages/lx-1009.html,line=") && $0.contains("title=returns_refused") })
    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try report("json").utf8)) as? [String: Any])
    let inputIssues = (json["input_issues"] as? [Any])?.count ?? 0
    XCTAssertEqual(annotations.count, ((json["findings"] as? [Any])?.count ?? -1) + inputIssues)
  }

  func testOutputWritesTheReportToAFile() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try AuditorBinary.run(["check", feed, "--format", "json", "--output", file.path])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stdout.isEmpty)
    XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
  }
}
