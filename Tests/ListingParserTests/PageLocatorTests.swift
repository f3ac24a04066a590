import XCTest

@testable import ListingParser

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

/// `resolve` answers plain paths without the full resolution; both must agree wherever the shortcut is taken.
final class PageLocatorShortcutTests: XCTestCase {
  func testShortcutAgreesWithTheFullResolution() {
    let pages = [
      "pages/a.html", "a.html", "页面/商品 1.html", "pages/.hidden.html", "pages/.../a.html", "pages/a.html\n",
      "pages//a.html", "pages/a.html/", "/pages/a.html", "./a.html", "pages/./a.html", "pages/../a.html", "..",
      ".", "...", "pages\\a.html", " pages/a.html", "pages/a.html\t", "\u{3000}a.html", "a.html\u{200B}",
      "a/\u{338}b.html", "a//\u{338}b.html", "a\u{600}/b.html", "c:/x.html", "https://x/y.html", "a\0b", "",
      "pages/a.html\u{301}", "\u{301}pages/a.html",
    ]
    let feeds = [
      "/data/shop/feed.ndjson", "feed.ndjson", "shop/feed.csv", "/feed.ndjson", "/数据/商店/feed.ndjson",
      "a/\u{338}b/feed.ndjson", "a/b/\u{338}feed.ndjson", "a\u{600}/feed.ndjson", "dir/", "/",
    ]
    for page in pages {
      for feed in feeds {
        let quick = PageLocator.resolve(page, feedPath: feed, listingID: "L1", line: 3)
        let full = PageLocator.resolveInFull(page, feedPath: feed, listingID: "L1", line: 3)
        XCTAssertEqual(quick, full, "\(page) in \(feed)")
      }
    }
  }

  func testShortcutTakesOnlyPlainPaths() {
    for page in ["pages/a.html", "a.html", "页面/商品.html", "pages/.../a.html"] {
      XCTAssertTrue(PageLocator.isPlainRelativePath(page), page)
    }
    for page in ["", "pages/../a.html", "./a.html", "a//b", "a/", "/a", "a\\b", "c:x", " a", "a\t", "\u{3000}a"] {
      XCTAssertFalse(PageLocator.isPlainRelativePath(page), page)
    }
  }

  func testFolderAgreesWithFoundation() {
    let feeds = [
      "/data/shop/feed.ndjson", "feed.ndjson", "/", "", "dir/", "/数据/商店/feed.ndjson", "a/\u{338}b/feed.ndjson",
      "a/b/\u{338}feed.ndjson", "a\u{600}/feed.ndjson", "商店/feed.ndjson", "a\u{301}/b",
    ]
    for feed in feeds {
      let expected = feed.range(of: "/", options: .backwards).map { String(feed[..<$0.upperBound]) } ?? ""
      XCTAssertEqual(PageLocator.folder(of: feed), expected, feed)
    }
  }
}
