import ComplianceRules
import ListingParser
import XCTest

/// A queue worker checks a listing from stored bytes (the feed record, the page): it must find exactly what a check
/// of the feed and page files finds, positions included.
final class StoredListingCheckTests: XCTestCase {
  static let shop = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples/shop").path

  func testAListingReadBackFromItsStoredBytesChecksAsFromItsFiles() throws {
    try compareStoredListings(feed: Self.shop + "/listings.ndjson", format: .json)
  }

  /// A CSV row is stored with its feed's header (`RawRecord.Format.csvRow`), so `queue add` takes CSV feeds too.
  func testACSVRowReadBackFromItsStoredBytesChecksAsFromItsFiles() throws {
    try compareStoredListings(feed: Self.shop + "/listings.csv", format: .csvRow)
  }

  func compareStoredListings(feed: String, format: RawRecord.Format) throws {
    let checker = ListingChecker(ruleSet: RuleExamplesTests.ruleSet)
    var compared = 0
    for event in try FeedReader(path: feed) {
      guard case .listing(let listing) = event else { continue }
      let record = try XCTUnwrap(listing.rawRecord, "a record keeps what reads it again")
      XCTAssertEqual(record.format, format)
      let fromFiles = checker.check(ListingInput.reading(listing))
      let stored = ListingRecordDecoder.events(stored: record, file: listing.source.file, line: listing.source.line)
        .compactMap { event -> Listing? in
          if case .listing(let listing) = event { return listing }
          return nil
        }
      let again = try XCTUnwrap(stored.first)
      XCTAssertEqual(again.recordHash, listing.recordHash)
      XCTAssertEqual(again.fieldAnchors, listing.fieldAnchors)
      // What `queue add` stores: the page bytes read for the CLI, or why there are none.
      let input = ListingInput.reading(again)
      let fromBytes = checker.check(
        again, pageBytes: input.page?.bytes, pagePath: input.page?.path ?? "",
        pageIssues: input.pageIssue.map { [$0] } ?? [])
      XCTAssertEqual(fromBytes.findings, fromFiles.findings, listing.id)
      XCTAssertEqual(fromBytes.issues, fromFiles.issues, listing.id)
      XCTAssertEqual(fromBytes.contentHash, fromFiles.contentHash, listing.id)
      compared += fromFiles.findings.count
    }
    XCTAssertGreaterThan(compared, 5, "the example shop has findings to compare")
  }
}
