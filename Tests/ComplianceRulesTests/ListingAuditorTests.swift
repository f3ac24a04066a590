import ListingParser
import XCTest

@testable import ComplianceRules

/// The library API: one listing and its page in memory, checked with no file, folder or database.
final class ListingAuditorTests: XCTestCase {
  private static let auditor = Result { try ListingAuditor(rules: .builtIn) }

  func testChecksARecordAndItsPageHeldInMemory() throws {
    let auditor = try Self.auditor.get()
    let record = Array(#"{"id":"A1","title":"保温杯","detail_page":"/no/such/file.html"}"#.utf8)
    let page = Array("<html><body>\n<p>本店保温杯全网最低价</p>\n</body></html>".utf8)

    let result = auditor.check(record: record, pageHTML: page, pageName: "a1.html")

    let absolute = try XCTUnwrap(result.findings.first { $0.ruleID == "ad_absolute_terms" })
    XCTAssertEqual(absolute.listingID, "A1")
    XCTAssertEqual(absolute.evidence, "全网最低价")
    XCTAssertEqual([absolute.location.file, "\(absolute.location.line)"], ["a1.html", "2"])
    // The bytes handed in are the page: the record's detail_page is not looked up on disk.
    XCTAssertFalse(result.issues.contains { $0.kind == .missingFile }, "\(result.issues)")
  }

  func testARecordThatIsNotAListingIsAnIssueNotACrash() throws {
    let result = try Self.auditor.get().check(record: Array(#"{"title":"无编号"}"#.utf8), recordName: "queue-row-7")
    XCTAssertEqual(result.findings, [])
    XCTAssertEqual(result.issues.map(\.file), ["queue-row-7"])
  }

  func testTheSameListingGivesTheSameFindingsAsTheFeedPath() throws {
    let auditor = try Self.auditor.get()
    let record = Array(#"{"id":"B2","title":"国家级 保健品 销量第一"}"#.utf8)
    let inMemory = auditor.check(record: record).findings
    XCTAssertFalse(inMemory.isEmpty)
    let listing = try XCTUnwrap(
      ListingRecordDecoder.decode(
        jsonText: String(decoding: record, as: UTF8.self),
        source: SourceLocation(file: "record.json", line: 1, column: 1, scope: .feedRecord)
      ).0)
    XCTAssertEqual(auditor.checker.check(ListingInput(listing: listing, page: nil)).findings, inMemory)
  }
}
