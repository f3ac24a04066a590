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
      let fromFiles = checker.check(listing)
      let stored = ListingRecordDecoder.events(stored: record, file: listing.source.file, line: listing.source.line)
        .compactMap { event -> Listing? in
          if case .listing(let listing) = event { return listing }
          return nil
        }
      let again = try XCTUnwrap(stored.first)
      XCTAssertEqual(again.recordHash, listing.recordHash)
      XCTAssertEqual(again.fieldAnchors, listing.fieldAnchors)
      let fromBytes: ListingResult
      switch ListingChecker.loadPage(of: again, maxPageBytes: checker.maxPageBytes) {
      case .success(let page)?: fromBytes = checker.check(again, pageBytes: page.bytes, pagePath: page.path)
      case .failure(let issue)?: fromBytes = checker.check(again, pageBytes: nil, pagePath: "", pageIssues: [issue])
      case nil: fromBytes = checker.check(again, pageBytes: nil, pagePath: "")
      }
      XCTAssertEqual(fromBytes.findings, fromFiles.findings, listing.id)
      XCTAssertEqual(fromBytes.issues, fromFiles.issues, listing.id)
      XCTAssertEqual(fromBytes.contentHash, fromFiles.contentHash, listing.id)
      compared += fromFiles.findings.count
    }
    XCTAssertGreaterThan(compared, 10, "the example shop has findings to compare")
  }
}
