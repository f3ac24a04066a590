import ListingParser
import XCTest

final class PageLocatorTests: XCTestCase {
  private func resolve(_ page: String, feed: String = "/data/shop/feed.ndjson") -> Result<String, InputIssue> {
    PageLocator.resolve(page, feedPath: feed, listingID: "L1", line: 12)
  }

  private func kind(_ result: Result<String, InputIssue>) -> InputIssue.Kind? {
    guard case .failure(let issue) = result else { return nil }
    return issue.kind
  }

  func testPathsInsideTheFeedFolderResolveAgainstIt() {
    XCTAssertEqual(try resolve("pages/a.html").get(), "/data/shop/pages/a.html")
    XCTAssertEqual(try resolve("pages/./a.html").get(), "/data/shop/pages/a.html")
    XCTAssertEqual(try resolve("pages/x/../a.html").get(), "/data/shop/pages/a.html")
    XCTAssertEqual(try resolve("pages\\a.html").get(), "/data/shop/pages/a.html")
    XCTAssertEqual(try resolve("a.html", feed: "feed.ndjson").get(), "a.html")
    XCTAssertEqual(try resolve("pages/a.html", feed: "shop/feed.csv").get(), "shop/pages/a.html")
  }

  func testEscapingAndAbsolutePathsAreUnsafe() {
    for page in ["../../etc/passwd", "/etc/passwd", "pages/../../x.html", "..", "C:\\Windows\\win.ini", "./"] {
      XCTAssertEqual(kind(resolve(page)), .unsafePath, page)
    }
  }

  func testRemoteAddressesAreNeverFetched() {
    let pages = [
      "http://shop.example/a.html", "https://shop.example/a.html", "//cdn.x/y.html", "HTTPS://X/Y",
      "file:///etc/passwd", "ftp://x/y",
    ]
    for page in pages {
      XCTAssertEqual(kind(resolve(page)), .remotePage, page)
    }
  }

  func testIssueNamesTheFeedLineAndListing() throws {
    guard case .failure(let issue) = resolve("https://x/y.html") else { return XCTFail("expected a failure") }
    XCTAssertEqual(issue.file, "/data/shop/feed.ndjson")
    XCTAssertEqual(issue.line, 12)
    XCTAssertEqual(issue.listingID, "L1")
    XCTAssertTrue(issue.message.contains("https://x/y.html"), issue.message)
  }
}
