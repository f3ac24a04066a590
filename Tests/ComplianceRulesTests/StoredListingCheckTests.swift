import ComplianceRules
import ListingParser
import XCTest

/// A queue worker checks a listing from stored bytes (the feed record, the page): it must find exactly what a check
/// of the feed and page files finds, positions included.
final class StoredListingCheckTests: XCTestCase {
  static let shop = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples/shop/listings.ndjson").path

  func testAListingReadBackFromItsStoredBytesChecksAsFromItsFiles() throws {
    let checker = ListingChecker(ruleSet: RuleExamplesTests.ruleSet)
    var compared = 0
    for event in try FeedReader(path: Self.shop) {
      guard case .listing(let listing) = event else { continue }
      let record = try XCTUnwrap(listing.rawRecord, "a JSON record keeps its bytes")
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
    XCTAssertGreaterThan(compared, 10, "the example shop has findings to compare")
  }
}
