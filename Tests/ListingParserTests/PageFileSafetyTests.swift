import Foundation
import XCTest

@testable import ListingParser

/// `HTMLReader.load`: what a feed's folder may hold that is no page to read — a FIFO, a symbolic link out of the
/// folder, a file too large to hold — refused as input issues without blocking or reading it.
final class PageFileSafetyTests: XCTestCase {
  private let reader = HTMLReader()
  private var shop: URL!

  override func setUpWithError() throws {
    shop = try HTMLTestSupport.temporaryDirectory(self).appendingPathComponent("shop")
    try FileManager.default.createDirectory(at: shop.appendingPathComponent("pages"), withIntermediateDirectories: true)
  }

  private func load(_ page: String, maxBytes: Int = HTMLReader.defaultMaxPageBytes) -> Result<[UInt8], InputIssue> {
    reader.load(
      path: shop.appendingPathComponent(page).path, displayPath: page, listingID: "L1", confinedTo: shop.path + "/",
      maxBytes: maxBytes)
  }

  private func issue(_ result: Result<[UInt8], InputIssue>) -> InputIssue? {
    if case .failure(let issue) = result { return issue }
    return nil
  }

  private func write(_ text: String, to url: URL) throws {
    try Data(text.utf8).write(to: url)
  }

  func testAFIFOIsRefusedWithoutWaitingForAWriter() throws {
    let fifo = shop.appendingPathComponent("pages/fifo.html").path
    XCTAssertEqual(mkfifo(fifo, 0o600), 0)
    let refused = issue(load("pages/fifo.html"))
    XCTAssertEqual(refused?.kind, .unreadableFile)
    XCTAssertEqual(refused?.message, "page is a FIFO (named pipe), not a regular file")
    XCTAssertEqual(refused?.listingID, "L1")
  }

  func testADeviceIsRefusedUnopened() throws {
    let device = reader.load(path: "/dev/zero", displayPath: "zero.html", listingID: nil)
    XCTAssertEqual(issue(device)?.message, "page is a device, not a regular file")
  }

  func testALinkToAFileOutsideTheFolderIsNotRead() throws {
    let outside = shop.deletingLastPathComponent().appendingPathComponent("secret.html")
    try write("<p>secret</p>", to: outside)
    try FileManager.default.createSymbolicLink(
      atPath: shop.appendingPathComponent("pages/absolute.html").path, withDestinationPath: outside.path)
    try FileManager.default.createSymbolicLink(
      atPath: shop.appendingPathComponent("pages/relative.html").path, withDestinationPath: "../../secret.html")
    for page in ["pages/absolute.html", "pages/relative.html"] {
      let refused = issue(load(page))
      XCTAssertEqual(refused?.kind, .unsafePath, page)
      XCTAssertEqual(refused?.file, page)
      XCTAssertTrue(refused?.message.contains("outside the feed's folder") ?? false, refused?.message ?? page)
    }
  }

  /// The path is resolved before opening only for a page that is no regular file; one outside the folder is still
  /// reported as outside, not as a FIFO.
  func testALinkToAFIFOOutsideTheFolderIsReportedAsOutside() throws {
    let fifo = shop.deletingLastPathComponent().appendingPathComponent("outside.fifo").path
    XCTAssertEqual(mkfifo(fifo, 0o600), 0)
    try FileManager.default.createSymbolicLink(
      atPath: shop.appendingPathComponent("pages/pipe.html").path, withDestinationPath: fifo)
    XCTAssertEqual(issue(load("pages/pipe.html"))?.kind, .unsafePath)
  }

  /// The feed's folder is resolved once and remembered: a second folder must not be judged by the first one's path.
  func testPagesOfTwoFoldersAreEachConfinedToTheirOwn() throws {
    let other = shop.deletingLastPathComponent().appendingPathComponent("other")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    try write("<p>shop</p>", to: shop.appendingPathComponent("pages/a.html"))
    try write("<p>other</p>", to: other.appendingPathComponent("b.html"))
    func load(_ path: URL, in folder: URL) -> Result<[UInt8], InputIssue> {
      reader.load(path: path.path, displayPath: path.lastPathComponent, listingID: "L1", confinedTo: folder.path + "/")
    }
    XCTAssertEqual(try load(shop.appendingPathComponent("pages/a.html"), in: shop).get(), Array("<p>shop</p>".utf8))
    XCTAssertEqual(try load(other.appendingPathComponent("b.html"), in: other).get(), Array("<p>other</p>".utf8))
    XCTAssertEqual(issue(load(other.appendingPathComponent("b.html"), in: shop))?.kind, .unsafePath)
    XCTAssertEqual(issue(load(shop.appendingPathComponent("pages/a.html"), in: other))?.kind, .unsafePath)
  }

  func testALinkedFolderOutsideIsNotRead() throws {
    let elsewhere = shop.deletingLastPathComponent().appendingPathComponent("elsewhere")
    try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
    try write("<p>elsewhere</p>", to: elsewhere.appendingPathComponent("a.html"))
    try FileManager.default.removeItem(at: shop.appendingPathComponent("pages"))
    try FileManager.default.createSymbolicLink(
      atPath: shop.appendingPathComponent("pages").path, withDestinationPath: elsewhere.path)
    XCTAssertEqual(issue(load("pages/a.html"))?.kind, .unsafePath)
  }

  func testALinkThatStaysInsideIsRead() throws {
    try write("<p>ok</p>", to: shop.appendingPathComponent("pages/real.html"))
    try FileManager.default.createSymbolicLink(
      atPath: shop.appendingPathComponent("pages/alias.html").path, withDestinationPath: "real.html")
    try FileManager.default.createSymbolicLink(
      atPath: shop.appendingPathComponent("same").path, withDestinationPath: "pages")
    XCTAssertEqual(try load("pages/alias.html").get(), Array("<p>ok</p>".utf8))
    XCTAssertEqual(try load("same/real.html").get(), Array("<p>ok</p>".utf8))
  }

  func testAFeedFolderReachedThroughALinkStillHoldsItsPages() throws {
    try write("<p>ok</p>", to: shop.appendingPathComponent("pages/real.html"))
    let link = shop.deletingLastPathComponent().appendingPathComponent("shop-link")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: shop.path)
    let loaded = reader.load(
      path: link.appendingPathComponent("pages/real.html").path, displayPath: "pages/real.html", listingID: nil,
      confinedTo: link.path + "/")
    XCTAssertEqual(try loaded.get(), Array("<p>ok</p>".utf8))
  }

  func testAPageAboveTheLimitIsRefusedByItsSize() throws {
    let line = "<p>hello</p>\n"
    try write(String(repeating: line, count: 100), to: shop.appendingPathComponent("pages/big.html"))
    let limit = line.utf8.count * 100 - 1
    let refused = issue(load("pages/big.html", maxBytes: limit))
    XCTAssertEqual(refused?.kind, .tooLarge)
    XCTAssertEqual(refused?.message, "page is 1300 bytes, above the limit of 1299 (--max-page-bytes) — not read")
    XCTAssertEqual(try load("pages/big.html", maxBytes: limit + 1).get().count, limit + 1, "at the limit it is read")
  }
}
